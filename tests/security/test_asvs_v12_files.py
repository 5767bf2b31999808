"""ASVS 4.0.3 V12: files. The plan import is the only upload so far; modules with uploads add theirs here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from varna.plans.models import Plan

IMPORT = "/sollentuna/plans/import/"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def _upload(client: Client, name: str, content: bytes, content_type: str = "application/yaml") -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, content_type)})


def test_v12_1_1_an_upload_over_the_size_limit_is_refused(verified_client: Any, alice: Any, sollentuna: Any) -> None:
    client = verified_client(alice)
    response = _upload(client, "plan.yaml", b"# " + b"x" * (1024 * 1024 + 10))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not Plan.objects.filter(municipality=sollentuna).exists()
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


def test_v12_2_1_the_type_is_checked_by_content_not_by_name(verified_client: Any, alice: Any,
                                                            sollentuna: Any) -> None:
    client = verified_client(alice)
    for name, content_type in [("plan.yaml", "application/yaml"), ("plan.yaml", "text/yaml")]:
        response = _upload(client, name, PNG, content_type)  # an image with a plan's name and type
        assert response.status_code == 200
        assert response.context["form"].errors or response.context["problems"]
    response = _upload(client, "plan.yaml", b"format: varna-plan/1\nplan: [not, a, mapping]\n")
    assert response.context["problems"]  # YAML, but not a plan: refused with the reasons
    assert not Plan.objects.filter(municipality=sollentuna).exists()


def test_v12_5_2_uploaded_files_are_not_served_by_the_application(client: Client, db: Any) -> None:
    # MEDIA_URL is routed only under DEBUG (development); in production the web server serves uploads
    # with Content-Disposition: attachment (README), never Django as HTML.
    assert not settings.DEBUG
    assert client.get(settings.MEDIA_URL + "anything.html").status_code == 404

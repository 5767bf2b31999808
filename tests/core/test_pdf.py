"""Every PDF is tagged PDF/UA-1: structure, language and title for screen readers (lag 2018:1937)."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from varna.core.pdf import html_to_pdf

SRC = Path(__file__).resolve().parents[2] / "src" / "varna"
needs_pdfinfo = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils")


def pdfinfo(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    path = tmp_path / "file.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def test_only_the_pdf_module_calls_weasyprint() -> None:
    """A PDF made elsewhere would bypass the tagging: every view and service goes through html_to_pdf."""
    offenders = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            if any(name.split(".")[0] == "weasyprint" for name in names):
                offenders.append(str(path.relative_to(SRC)))
    assert set(offenders) == {"core/pdf.py"}


@needs_pdfinfo
def test_a_document_comes_out_tagged_with_its_title(tmp_path: Path) -> None:
    html = ('<!doctype html><html lang="sv"><head><title>Årsrapport 2026</title></head><body><h1>Rubrik</h1>'
            "<table><tr><th>Termin</th></tr><tr><td>HT</td></tr></table></body></html>")
    info = pdfinfo(html_to_pdf(html), tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Årsrapport 2026"
    assert info["PDF version"] == "1.7"


@needs_pdfinfo
def test_the_public_plan_pdf_is_tagged(client: Client, demo_plan: Any, tmp_path: Path) -> None:
    response = client.get(f"/sollentuna/plans/{demo_plan.slug}/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    info = pdfinfo(response.content, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"]


def test_documents_are_rendered_through_render_pdf_only() -> None:
    """Templates reach WeasyPrint through one helper, which sets the language tag and the font."""
    callers = sorted(str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                     if path.name != "pdf.py" and "html_to_pdf" in path.read_text("utf-8"))
    assert callers == []
    templates = sorted(SRC.rglob("*_pdf.html"))
    assert len(templates) == 6
    assert [t.name for t in templates if "DejaVu" in t.read_text("utf-8")] == []


@needs_pdfinfo
@pytest.mark.parametrize(("language", "expected"), [("sv", "Årsrapport"), ("en", "Annual report")])
def test_render_pdf_uses_the_readers_language(tmp_path: Path, language: str, expected: str, settings: Any) -> None:
    from django.utils import translation

    from varna.core.pdf import render_pdf

    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    (tmp_path / "doc_pdf.html").write_text(
        '<!doctype html><html lang="{{ pdf_language }}"><head><title>{% if pdf_language == "sv" %}Årsrapport'
        "{% else %}Annual report{% endif %}</title><style>html { font: 10pt {{ pdf_font }}; }</style></head>"
        "<body><h1>x</h1></body></html>", "utf-8")
    with translation.override(language):
        pdf = render_pdf("doc_pdf.html", {})
    assert pdfinfo(pdf, tmp_path)["Title"] == expected
    assert f"/Lang ({language})".encode() in _inflated(pdf)


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (where WeasyPrint puts the catalogue) unpacked, for searching."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_a_pdf_never_makes_the_server_fetch_an_address() -> None:
    from varna.core.pdf import _fetcher

    for address in ("http://127.0.0.1:8000/static/varna/varna.css", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            _fetcher()(address)
    assert _fetcher()("data:text/css,p%7Bcolor:red%7D").read() == b"p{color:red}"

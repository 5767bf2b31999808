"""An external source's figures: the file holds what the page shows, and a cell that starts like a formula is
defused in both CSV and XLSX (CSV injection)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from tests.export_checks import assert_export_equals_page
from varna.analysis import services
from varna.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_source_export_equals_its_page_defused(client: Any, taby: Any, tove: Any,
                                                   taby_group: dict[str, Any]) -> None:
    source = services.source_create(actor=tove, municipality=taby, kind="safety_walk", title="Trygghetsvandring",
                                    publisher="Täby kommun", published_on=dt.date(2025, 5, 1), figures=[
                                        {"series": "=HYPERLINK(\"http://x\")", "area": "Centrum", "period": "2025",
                                         "value": Decimal(3), "unit": "iakttagelser"},
                                        {"series": "Trasig belysning", "area": "Näsby", "period": "2025",
                                         "value": Decimal("4.5"), "unit": "platser"}])
    client.force_login(taby_group["steering"])
    page = client.get(reverse("analysis:source_detail", args=[taby.slug, source.pk])).content
    files = [client.get(reverse("analysis:source_export", args=[taby.slug, source.pk, f])).content
             for f in ("csv", "xlsx")]
    shown = assert_export_equals_page(page, *files)
    assert shown[1][0].startswith("=HYPERLINK")  # the page shows the text as it is, escaped
    assert b"'=HYPERLINK" in files[0]
    assert b'"=HYPERLINK' not in files[0]
    assert AuditEvent.objects.filter(action="analysis.source.exported", municipality=taby).count() == 2

"""Every PDF Värna makes, from a template, as tagged PDF/UA-1.

Public-sector documents must be accessible (lag 2018:1937): a tagged PDF carries its structure (headings,
lists, tables, reading order), its language (from ``<html lang>``) and its title (from ``<title>``), so a
screen reader can read it and ``pdfinfo`` reports "Tagged: yes". Views and services call
:func:`render_pdf` instead of WeasyPrint directly, so no PDF leaves untagged, in the wrong language or with
another font; this module is also the one place that decides what WeasyPrint may load (nothing remote).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

PDF_VARIANT = "pdf/ua-1"
# Installed with WeasyPrint's Debian dependencies and covering å, ä, ö and every script a name may use.
PDF_FONT: SafeString = mark_safe('"DejaVu Sans", sans-serif')  # noqa: S308 # nosec B308, B703 - a constant


def _fetcher() -> Any:
    """WeasyPrint's fetcher: inline data only. A document never makes the server request an address (a
    template that linked a stylesheet by URL would otherwise have the server fetch from itself)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The document as a tagged PDF/UA-1 (links relative to `base_url` stay links to the site)."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time that only a PDF needs

    pdf = HTML(string=html, base_url=base_url, url_fetcher=_fetcher()).write_pdf(pdf_variant=PDF_VARIANT)
    if pdf is None:  # write_pdf returns the bytes when it is given no target; None would be a WeasyPrint bug
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None,
               language: str | None = None) -> bytes:
    """`template_name` rendered as a tagged PDF, in the reader's language unless `language` says otherwise.

    The template gets ``pdf_language`` for ``<html lang>`` (the tag a screen reader reads it in) and
    ``pdf_font`` for its CSS. A document kept in one language for its recipients (the analysis goes to the
    board in Swedish) passes that language.
    """
    language = language or translation.get_language() or "sv"
    with translation.override(language):
        html = render_to_string(template_name, {**context, "pdf_language": language, "pdf_font": PDF_FONT},
                                request=request)
    return html_to_pdf(html, base_url=request.build_absolute_uri("/") if request is not None else None)


def pdf_response(pdf: bytes, *, filename: str, attachment: bool = False) -> HttpResponse:
    """The PDF shown in the browser (or, as an `attachment`, only saved), under `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{"attachment" if attachment else "inline"}; filename="{filename}"'
    return response

"""Every PDF Värna makes, from HTML, as tagged PDF/UA-1.

Public-sector documents must be accessible (lag 2018:1937): a tagged PDF carries its structure (headings,
lists, tables, reading order), its language (from ``<html lang>``) and its title (from ``<title>``), so a
screen reader can read it and ``pdfinfo`` reports "Tagged: yes". Views and services call this instead of
WeasyPrint directly, so no PDF leaves untagged.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """The document as a tagged PDF/UA-1."""
    from weasyprint import HTML  # imported here: loading WeasyPrint costs time that only a PDF needs

    pdf = HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    if pdf is None:  # write_pdf returns the bytes when it is given no target; None would be a WeasyPrint bug
        raise RuntimeError("WeasyPrint returned no PDF")
    return pdf

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
    assert offenders == ["core/pdf.py"]


@needs_pdfinfo
def test_a_document_comes_out_tagged_with_its_title(tmp_path: Path) -> None:
    html = ('<!doctype html><html lang="sv"><head><title>Årsrapport 2026</title></head><body><h1>Rubrik</h1>'
            "<table><tr><th>Termin</th></tr><tr><td>HT</td></tr></table></body></html>")
    info = pdfinfo(html_to_pdf(html), tmp_path)
    assert info["Tagged"] == "yes" and info["Title"] == "Årsrapport 2026"
    assert info["PDF version"] == "1.7"


@needs_pdfinfo
def test_the_public_plan_pdf_is_tagged(client: Client, demo_plan: Any, tmp_path: Path) -> None:
    response = client.get(f"/sollentuna/plans/{demo_plan.slug}/plan.pdf")
    assert response["Content-Type"] == "application/pdf"
    info = pdfinfo(response.content, tmp_path)
    assert info["Tagged"] == "yes" and info["Title"]

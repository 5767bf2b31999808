"""The header's links to the user's own pages come from the apps' `account_links` hooks; core imports
no other app to get them."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from varna.core.navigation import NavLink

pytestmark = pytest.mark.django_db

CORE = Path(__file__).resolve().parents[2] / "src" / "varna" / "core"


def _account_nav(html: str) -> str:
    start = html.index('class="site-account"')
    return html[start:html.index("</nav>", start)]


def test_core_imports_no_other_app() -> None:
    for path in CORE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith("varna.") or name.startswith("varna.core"), (path.name, name)


def test_a_hook_of_any_app_reaches_the_header(alice: Any, verified_client: Any, monkeypatch: Any) -> None:
    config = apps.get_app_config("training")
    monkeypatch.setattr(config, "account_links", lambda request: [NavLink("Mina utbildningar", "/mine/")],
                        raising=False)
    html = verified_client(alice).get("/sollentuna/").content.decode()
    assert '<a class="ds-link" href="/mine/">Mina utbildningar</a>' in _account_nav(html)


def test_a_visitor_gets_no_account_links(client: Any, sollentuna: Any) -> None:
    for path in ["/", "/sollentuna/"]:
        assert 'class="site-account"' not in client.get(path).content.decode()

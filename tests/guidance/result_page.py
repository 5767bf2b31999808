"""Reads the guide's result page the way a person sees it: the level, the contacts in order, the cards."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_STEP = re.compile(r'<li class="step[^"]*" data-contact="([^"]+)">(.*?)</li>', re.DOTALL)
_LEVEL = re.compile(r'<div class="ds-alert level level--([a-z]+)"')


@dataclass(frozen=True)
class ResultPage:
    html: str
    level: str
    contacts: list[str]
    cards: dict[str, str]
    shows_duties: bool
    warns_of_stale_contacts: bool
    has_site_header: bool


def read(response: Any) -> ResultPage:
    assert response.status_code == 200
    html = response.content.decode()
    level = _LEVEL.search(html)
    assert level is not None, "not a result page"
    steps = _STEP.findall(html)
    return ResultPage(
        html=html,
        level=level.group(1),
        contacts=[key for key, _card in steps],
        cards=dict(steps),
        shows_duties='id="duties-heading"' in html,
        warns_of_stale_contacts='class="ds-alert stale-contacts"' in html,
        has_site_header='class="site-header"' in html,
    )

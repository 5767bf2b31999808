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
        warns_of_stale_contacts='class="ds-paragraph stale-contacts"' in html,
        has_site_header='class="site-header"' in html,
    )


def give_answers(client: Any, answers: dict[str, Any]) -> None:
    """Put answers in the guide's cookie the way the guide itself does after the last question."""
    from varna.guidance import wizard

    signs = tuple(answers.get("signs", ()))
    questions = {name: value for name, value in answers.items() if name in wizard.CHOICES}
    state = wizard.WizardState(answers=questions, signs=signs, signs_answered="signs" in answers)
    client.cookies[wizard.COOKIE] = wizard.dump(state)


def show(client: Any, answers: dict[str, Any], *, municipality: str = "sollentuna", print_view: bool = False) -> Any:
    """The result page for these answers (``signs`` a list; leave it out on the acute path)."""
    give_answers(client, answers)
    return client.get(f"/{municipality}/vart-vander-jag-mig/resultat/" + ("?utskrift=1" if print_view else ""))

"""The question bank of the situation survey. Questions are data: the coordinator picks from these.

Keys are stable: answers are stored against them, so a question's wording may be improved without
losing the comparison with earlier surveys.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from varna.knowledge import vocabulary

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The survey is national (answers are compared across surveys and municipalities), so its milieus are the
# national template's, in the reader's language.
_NATIONAL_MILIEUS = [(key, lazy(vocabulary.national_label, str)("milieu", key))
                     for key in vocabulary.national_keys("milieu")]


class Audience(models.TextChoices):
    SCHOOL = "school", _("School staff")
    SOCIAL_SERVICES = "social_services", _("Social services")
    LEISURE = "leisure", _("Leisure")
    CIVIL_SOCIETY = "civil_society", _("Civil society associations")


class Kind(models.TextChoices):
    YES_NO = "yes_no", _("Yes or no")
    SCALE = "scale", _("Scale 1–5")
    CHOICE = "choice", _("One of a list")
    DISTRICT = "district", _("A district")
    TEXT = "text", _("Free text")


YES_NO = [("yes", _("Yes")), ("no", _("No")), ("unsure", _("Don't know"))]
SCALE = [(str(n), str(n)) for n in range(1, 6)]


@dataclass(frozen=True)
class Question:
    key: str
    kind: str
    text: StrOrPromise
    options: Sequence[tuple[str, StrOrPromise]] = field(default_factory=list)


BANK: list[Question] = [
    Question("seen-propaganda", Kind.YES_NO, _(
        "In the last six months, have you seen propaganda, stickers or symbols of violent extremist movements?"),
        YES_NO),
    Question("seen-recruitment", Kind.YES_NO, _(
        "In the last six months, have you seen anyone try to recruit young people to a violent movement?"), YES_NO),
    Question("seen-threats", Kind.YES_NO, _(
        "In the last six months, have you seen threats or harassment with an extremist motive?"), YES_NO),
    Question("met-sympathy", Kind.YES_NO, _(
        "In the last six months, have you met someone who showed sympathy for violent movements?"), YES_NO),
    Question("milieu", Kind.CHOICE, _("If you have seen anything of this kind, which milieu did it concern most?"),
             [*_NATIONAL_MILIEUS, ("none", _("I have seen nothing of this kind"))]),
    Question("district", Kind.DISTRICT, _("In which district did you see it?")),
    Question("safe-acting", Kind.SCALE, _(
        "How safe do you feel acting on a concern about violent extremism? (1 = not at all, 5 = completely)"),
        SCALE),
    Question("knows-whom", Kind.YES_NO, _("Do you know whom to contact in the municipality with such a concern?"),
             YES_NO),
    Question("training-need", Kind.CHOICE, _("Which training do you need most?"), [
        ("signs-symbols", _("Warning signs and symbols")), ("conversation", _("Talking with a young person")),
        ("reporting", _("Where and how to report a concern")), ("law", _("Laws and confidentiality")),
        ("none", _("None at the moment"))]),
    Question("comment", Kind.TEXT, _(
        "Is there anything else the working group should know? Please write no names or personal details.")),
]
BY_KEY = {question.key: question for question in BANK}

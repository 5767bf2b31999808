"""Demo content for cases: the legal bases from the Public Access to Information and Secrecy Act (OSL).

Only the legal bases: the demo never invents a case about a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from varna.cases.models import LegalBasis
from varna.core.actors import SYSTEM
from varna.core.models import Municipality

# Verified against the text of OSL (SFS 2009:400) on this date; the coordinator re-verifies them in Värna.
VERIFIED = dt.date(2026, 11, 1)

LEGAL_BASES: list[dict[str, Any]] = [
    {"key": "consent", "statute": "OSL 12 kap. 2 §", "section": "samtycke", "is_consent": True,
     "explanation": "Sekretessen kan efterges av den som skyddas. Anteckna vem som samtyckte, när och till vad."},
    {"key": "osl-10-2", "statute": "OSL 10 kap.", "section": "2 §",
     "explanation": "Uppgift får lämnas ut när det är nödvändigt för att myndigheten ska kunna fullgöra sin "
                    "egen verksamhet."},
    {"key": "osl-10-18a", "statute": "OSL 10 kap.", "section": "18 a §",
     "explanation": "Socialtjänsten får lämna uppgift till polisen om en person under 21 år när det behövs "
                    "för att förhindra att personen begår brott."},
    {"key": "osl-10-18b", "statute": "OSL 10 kap.", "section": "18 b §",
     "explanation": "Uppgift får lämnas till Polismyndigheten eller Säkerhetspolisen för att förhindra "
                    "terroristbrott."},
    {"key": "osl-10-28", "statute": "OSL 10 kap.", "section": "28 §", "reporting_duty": True,
     "explanation": "Sekretess hindrar inte att uppgift lämnas när en lag föreskriver uppgiftsskyldighet, till "
                    "exempel anmälningsplikten till socialtjänsten när ett barn kan behöva skydd."},
    {"key": "osl-26-9", "statute": "OSL 26 kap.", "section": "9 §",
     "explanation": "Socialtjänsten får lämna uppgift om en person under 18 år till hälso- och sjukvården och "
                    "annan socialtjänst när det behövs för en nödvändig insats."},
]


def load(municipality: Municipality, *, actor: object = SYSTEM) -> str:
    """Add the demo legal bases the municipality does not have yet. Idempotent."""
    created = 0
    for item in LEGAL_BASES:
        values = {"section": "", "is_consent": False, "reporting_duty": False, **item}
        key = values.pop("key")
        _basis, was_created = LegalBasis.objects.get_or_create(
            municipality=municipality, key=key, defaults={**values, "last_verified": VERIFIED})
        created += was_created
    return f"{created} legal bases"

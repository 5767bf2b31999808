"""Reads for the knowledge base. Every function takes the municipality and never crosses it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q, QuerySet
from django.http import Http404

from varna.core.models import Municipality
from varna.core.selectors import scoped
from varna.knowledge.models import (
    Category,
    Definition,
    Factor,
    LawReference,
    LexiconEntry,
    Milieu,
    PathIn,
    Sign,
    Tier,
)
from varna.knowledge.vocabulary import Entry, Vocabulary

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def signs_of(municipality: Municipality, *, include_retired: bool = False) -> QuerySet[Sign]:
    signs = scoped(Sign.objects.all(), municipality).order_by("order", "key")
    return signs if include_retired else signs.filter(retired_at__isnull=True)


def sign_get(municipality: Municipality, key: str) -> Sign:
    sign = signs_of(municipality).filter(key=key).first()
    if sign is None:
        raise Http404
    return sign


def signs_by_tier(municipality: Municipality) -> list[tuple[str, StrOrPromise, list[Sign]]]:
    """``(tier, tier label, signs)`` in tier order, leaving out tiers without signs."""
    return group_by_tier(list(signs_of(municipality)))


def group_by_tier(signs: Iterable[Sign]) -> list[tuple[str, StrOrPromise, list[Sign]]]:
    signs = list(signs)
    grouped = [(tier.value, tier.label, [s for s in signs if s.tier == tier.value]) for tier in Tier]
    return [group for group in grouped if group[2]]


def sign_tiers(municipality: Municipality) -> dict[str, str]:
    """The sign catalogue in the rule engine's shape: ``{key: tier}``."""
    return dict(signs_of(municipality).values_list("key", "tier"))


def definition_of(municipality: Municipality) -> Definition | None:
    return scoped(Definition.objects.all(), municipality).first()


def milieus_of(municipality: Municipality, *, include_retired: bool = False) -> QuerySet[Milieu]:
    milieus = scoped(Milieu.objects.all(), municipality)
    return milieus if include_retired else milieus.filter(retired_at__isnull=True)


VOCABULARY_MODELS: dict[str, type[Category] | type[Milieu] | type[Sign]] = {
    "category": Category, "milieu": Milieu, "sign": Sign}


def vocabulary_of(municipality: Municipality) -> Vocabulary:
    """The municipality's categories, milieus and signs, retired ones included (ADR 0018)."""
    def entries(kind: str) -> tuple[Entry, ...]:
        # Each model's own manager (not scoped(), whose one type parameter can't hold the three models).
        rows = VOCABULARY_MODELS[kind].objects.filter(municipality=municipality).order_by("order", "key")
        return tuple(Entry(row.key, str(row.label), row.is_retired, row.national_key, getattr(row, "tier", ""))
                     for row in rows)
    return Vocabulary(entries("category"), entries("milieu"), entries("sign"))


def vocabulary_entries(municipality: Municipality, kind: str) -> QuerySet[Any]:
    """The rows of one kind for the coordinator's page, retired ones last."""
    model = VOCABULARY_MODELS.get(kind)
    if model is None:
        raise Http404
    return scoped(model.objects.all(), municipality).order_by(F("retired_at").asc(nulls_first=True), "order", "key")


def retired_entries(municipality: Municipality, kind: str) -> QuerySet[Any]:
    """The entries of one kind the municipality no longer uses (ADR 0018), most recently retired first: the
    knowledge pages list them apart, labelled, so that what was recorded under them can still be looked up."""
    return scoped(VOCABULARY_MODELS[kind].objects.all(), municipality).filter(
        retired_at__isnull=False).order_by("-retired_at", "order", "key")


def vocabulary_entry_get(municipality: Municipality, kind: str, key: str) -> Any:
    try:
        return vocabulary_entries(municipality, kind).get(key=key)
    except ObjectDoesNotExist:
        raise Http404 from None


def paths_of(municipality: Municipality) -> QuerySet[PathIn]:
    return scoped(PathIn.objects.all(), municipality)


def factors_of(municipality: Municipality, kind: str) -> QuerySet[Factor]:
    return scoped(Factor.objects.all(), municipality).filter(kind=kind)


def lexicon_of(municipality: Municipality, *, query: str = "") -> QuerySet[LexiconEntry]:
    """Lexicon entries, optionally those whose name, text or milieu contains ``query``."""
    entries = scoped(LexiconEntry.objects.all(), municipality).select_related("milieu")
    query = query.strip()
    if query:
        entries = entries.filter(Q(name__icontains=query) | Q(description__icontains=query)
                                 | Q(why_it_matters__icontains=query) | Q(milieu__name__icontains=query))
    return entries


def lexicon_entry_get(municipality: Municipality, pk: int) -> LexiconEntry:
    entry = lexicon_of(municipality).filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def laws_of(municipality: Municipality) -> QuerySet[LawReference]:
    return scoped(LawReference.objects.all(), municipality)


def national_keys_of(municipalities: Iterable[Municipality], kind: str) -> dict[tuple[int, str], str]:
    """``(municipality pk, key) → national_key`` of one kind, for the national view (ADR 0018)."""
    rows = VOCABULARY_MODELS[kind].objects.filter(municipality__in=list(municipalities)).order_by()
    return {(pk, key): national for pk, key, national in rows.values_list("municipality_id", "key", "national_key")}


def content_template() -> dict:
    """The knowledge content that ships with Värna (definition, signs, milieus, paths, factors, laws, lexicon),
    which a new municipality starts from and then edits."""
    from varna.core import safe_yaml
    from varna.knowledge.demo import DEMO_FILE

    return safe_yaml.load_path(DEMO_FILE)

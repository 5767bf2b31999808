"""Writes for the knowledge base. Each is atomic and writes its audit event in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality
from varna.knowledge import permissions, selectors, vocabulary
from varna.knowledge.models import (
    LEXICON_IMAGE_FORMATS,
    Definition,
    Factor,
    LawReference,
    LexiconEntry,
    Milieu,
    PathIn,
    Sign,
    Tier,
)


class KnowledgeError(Exception):
    pass


_SIGN_FIELDS = ("text", "description", "text_en", "description_en")


@transaction.atomic
def sign_update(*, actor: Any, sign: Sign, text: str, description: str, text_en: str = "",
                description_en: str = "") -> Sign:
    """Reword a sign. Its key and tier stay: rules and cases refer to them."""
    before = {name: getattr(sign, name) for name in _SIGN_FIELDS}
    sign.text, sign.description, sign.text_en, sign.description_en = text, description, text_en, description_en
    sign.full_clean()
    sign.save(update_fields=list(_SIGN_FIELDS))
    changed = [name for name in _SIGN_FIELDS if before[name] != getattr(sign, name)]
    audit.record(actor=actor, action="knowledge.sign.updated", municipality=sign.municipality, obj=sign,
                 data={"key": sign.key, "changed": changed})
    return sign


def _image_type(image: UploadedFile) -> str:
    from PIL import Image

    image.seek(0)
    with Image.open(image) as opened:
        kind = LEXICON_IMAGE_FORMATS[opened.format or ""]
    image.seek(0)
    return kind


@transaction.atomic
def lexicon_entry_save(*, actor: Any, municipality: Municipality, name: str, description: str,
                       why_it_matters: str = "", milieu: Milieu | None = None, image: UploadedFile | None = None,
                       remove_image: bool = False, entry: LexiconEntry | None = None) -> LexiconEntry:
    """Create a lexicon entry, or change ``entry``. ``image`` must already be validated by content."""
    if milieu is not None and milieu.municipality_id != municipality.pk:
        raise KnowledgeError(_("The milieu must belong to the same municipality."))
    if milieu is not None and milieu.is_retired and (entry is None or entry.milieu_id != milieu.pk):
        # Retired entries keep what already used them, but nothing new is recorded under them (ADR 0018).
        raise KnowledgeError(_("The milieu %(name)s is no longer used; choose another.") % {"name": milieu.name})
    duplicate = LexiconEntry.objects.filter(municipality=municipality, name__iexact=name)
    if entry is not None:
        duplicate = duplicate.exclude(pk=entry.pk)
    if duplicate.exists():
        raise KnowledgeError(_("The lexicon already has an entry with that name."))
    created = entry is None
    if entry is None:
        entry = LexiconEntry(municipality=municipality)
    old_image = entry.image.name if entry.image else ""
    entry.name, entry.description, entry.why_it_matters, entry.milieu = name, description, why_it_matters, milieu
    if image is not None:
        entry.image_type = _image_type(image)
        entry.image.save("upload", image, save=False)
    elif remove_image:
        entry.image = ""
        entry.image_type = ""
    entry.save()
    if old_image and old_image != (entry.image.name if entry.image else ""):
        storage = entry.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    audit.record(actor=actor, action="knowledge.lexicon.created" if created else "knowledge.lexicon.updated",
                 municipality=municipality, obj=entry, data={"name": entry.name, "image": bool(entry.image)})
    return entry


@transaction.atomic
def lexicon_entry_delete(*, actor: Any, entry: LexiconEntry) -> None:
    audit.record(actor=actor, action="knowledge.lexicon.deleted", municipality=entry.municipality, obj=entry,
                 data={"name": entry.name})
    image = entry.image.name if entry.image else ""
    storage = entry.image.storage
    entry.delete()
    if image:
        transaction.on_commit(lambda: storage.delete(image))


def _template_wording(kind: str, key: str, label: str) -> bool:
    name = "text" if kind == "sign" else "name"
    return any(item["key"] == key and item[name] == label for item in vocabulary.template_items(kind))


@transaction.atomic
def content_load(*, actor: Any, municipality: Municipality, data: dict[str, Any]) -> dict[str, int]:
    """Load knowledge content from parsed YAML: upsert by key, so loading twice changes nothing twice.

    Existing rows keep edits the coordinator made; only missing rows are created.
    """
    counts = {"signs": 0, "milieus": 0, "paths": 0, "factors": 0, "laws": 0, "lexicon": 0}
    if data.get("definition") and not Definition.objects.filter(municipality=municipality).exists():
        Definition.objects.create(municipality=municipality, text=data["definition"]["text"],
                                  source=data["definition"].get("source", ""))
    for order, item in enumerate(data.get("signs", [])):
        sign, created = Sign.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"tier": item["tier"], "text": item["text"], "description": item.get("description", ""),
                      "text_en": item.get("text_en", ""), "description_en": item.get("description_en", ""),
                      "order": order})
        if not created and _template_wording("sign", sign.key, sign.text):
            # Still the national template's words: the municipality's own content replaces them.
            sign.text, sign.description = item["text"], item.get("description", "")
            sign.text_en, sign.description_en = item.get("text_en", ""), item.get("description_en", "")
            sign.save(update_fields=["text", "description", "text_en", "description_en"])
        counts["signs"] += created
    milieus: dict[str, Milieu] = {}
    for order, item in enumerate(data.get("milieus", [])):
        milieus[item["key"]], created = Milieu.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"name": item["name"], "description": item["description"], "order": order})
        milieu = milieus[item["key"]]
        if not created and _template_wording("milieu", milieu.key, milieu.name):
            milieu.name, milieu.description = item["name"], item["description"]
            milieu.save(update_fields=["name", "description"])
        counts["milieus"] += created
    for order, item in enumerate(data.get("paths", [])):
        _, created = PathIn.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"name": item["name"], "description": item["description"], "order": order})
        counts["paths"] += created
    for kind in (Factor.Kind.PUSH, Factor.Kind.PULL):
        for order, item in enumerate(data.get(f"{kind}_factors", [])):
            _, created = Factor.objects.get_or_create(
                municipality=municipality, key=item["key"],
                defaults={"kind": kind, "text": item["text"], "order": order})
            counts["factors"] += created
    for order, item in enumerate(data.get("laws", [])):
        _, created = LawReference.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"kind": item.get("kind", LawReference.Kind.LAW), "title": item["title"],
                      "statute": item.get("statute", ""), "provision": item.get("provision", ""),
                      "url": item.get("url", ""), "note": item.get("note", ""),
                      "verified_on": item.get("verified_on"), "order": order})
        counts["laws"] += created
    for item in data.get("lexicon", []):
        _, created = LexiconEntry.objects.get_or_create(
            municipality=municipality, name=item["name"],
            defaults={"description": item["description"], "why_it_matters": item.get("why_it_matters", ""),
                      "milieu": milieus.get(item.get("milieu", ""))})
        counts["lexicon"] += created
    if any(counts.values()):
        audit.record(actor=actor, action="knowledge.content.loaded", municipality=municipality, data=counts)
    return counts


# --- the vocabulary (ADR 0018) ---------------------------------------------------------------------------
def _require_editor(actor: Any, municipality: Municipality) -> None:
    if not permissions.can_edit_knowledge(actor, municipality):
        raise KnowledgeError(_("Only the coordinator edits the vocabulary."))


def _label_fields(kind: str) -> tuple[str, str]:
    return ("text", "text_en") if kind == "sign" else ("name", "name_en")


@transaction.atomic
def vocabulary_install(*, actor: Any, municipality: Municipality, edition: str) -> dict[str, int]:
    """Add the template edition's entries the municipality lacks. Existing entries, edited or retired, stay
    as they are: installing never overwrites a municipality's own wording or brings back what it retired."""
    if actor is not None:
        _require_editor(actor, municipality)
    if edition not in dict(vocabulary.editions()):
        raise KnowledgeError(_("Choose one of the template's editions."))
    counts = {}
    for kind in vocabulary.KINDS:
        model = selectors.VOCABULARY_MODELS[kind]
        name, name_en = _label_fields(kind)
        start = model.objects.filter(municipality=municipality).count()
        created = 0
        for order, item in enumerate(vocabulary.template_items(kind, edition), start=start):
            defaults: dict[str, Any] = {name: item[name], name_en: item.get(name_en, ""), "order": order,
                                        "national_key": item["key"]}
            if kind == "sign":
                defaults["tier"] = item["tier"]
            if kind == "milieu":
                defaults["description"] = item.get("description", "")
            created += model.objects.get_or_create(municipality=municipality, key=item["key"],
                                                   defaults=defaults)[1]
        counts[kind] = created
    audit.record(actor=actor, action="knowledge.vocabulary.installed", municipality=municipality,
                 data={"edition": edition, **counts})
    return counts


def _check_national_key(kind: str, national_key: str) -> None:
    if national_key and national_key not in vocabulary.national_keys(kind):
        raise KnowledgeError(_("Choose an entry of the national template, or none."))


@transaction.atomic
def vocabulary_entry_create(*, actor: Any, municipality: Municipality, kind: str, key: str, label: str,
                            label_en: str = "", national_key: str = "", tier: str = "",
                            description: str = "") -> Any:
    """A new entry of the municipality's own. Its key is for good (ADR 0018): it can't be reused or changed."""
    _require_editor(actor, municipality)
    model = selectors.VOCABULARY_MODELS[kind]
    _check_national_key(kind, national_key)
    if model.objects.filter(municipality=municipality, key=key).exists():
        raise KnowledgeError(_("That key is taken, also by retired entries: a key keeps its meaning for good."))
    if kind == "sign" and tier not in Tier.values:
        raise KnowledgeError(_("Choose the tier of the sign."))
    name, name_en = _label_fields(kind)
    fields: dict[str, Any] = {name: label, name_en: label_en, "national_key": national_key,
                              "order": model.objects.filter(municipality=municipality).count()}
    if kind == "sign":
        fields["tier"] = tier
    if kind in ("sign", "milieu"):
        fields["description"] = description
    entry = model(municipality=municipality, key=key, **fields)
    entry.full_clean(exclude=["description"])
    entry.save()
    audit.record(actor=actor, action="knowledge.vocabulary.created", municipality=municipality, obj=entry,
                 data={"kind": kind, "key": key, "national_key": national_key})
    return entry


@transaction.atomic
def vocabulary_entry_update(*, actor: Any, municipality: Municipality, entry: Any, label: str,
                            label_en: str = "", national_key: str = "", order: int | None = None) -> Any:
    """Reword an entry, move it, or say what it counts as nationally. The key stays (ADR 0018)."""
    _require_editor(actor, municipality)
    if entry.municipality_id != municipality.pk:
        raise KnowledgeError(_("That entry belongs to another municipality."))
    kind = next(k for k, m in selectors.VOCABULARY_MODELS.items() if isinstance(entry, m))
    _check_national_key(kind, national_key)
    name, name_en = _label_fields(kind)
    names = [name, name_en, "national_key", "order"]
    before = {field: getattr(entry, field) for field in names}
    setattr(entry, name, label)
    setattr(entry, name_en, label_en)
    entry.national_key = national_key
    if order is not None:
        entry.order = order
    entry.full_clean(exclude=["description"])
    entry.save(update_fields=names)
    after = {field: getattr(entry, field) for field in names}
    changed = {field: [before[field], after[field]] for field in names if before[field] != after[field]}
    if changed:
        audit.record(actor=actor, action="knowledge.vocabulary.updated", municipality=municipality, obj=entry,
                     data={"kind": kind, "key": entry.key, "changed": changed})
    return entry


@transaction.atomic
def vocabulary_entry_retire(*, actor: Any, municipality: Municipality, entry: Any, retired: bool = True) -> Any:
    """Retire an entry (it can't be chosen any more; what used it keeps it) or bring it back."""
    _require_editor(actor, municipality)
    if entry.municipality_id != municipality.pk:
        raise KnowledgeError(_("That entry belongs to another municipality."))
    if retired == entry.is_retired:
        return entry
    entry.retired_at = timezone.now() if retired else None
    entry.save(update_fields=["retired_at"])
    kind = next(k for k, m in selectors.VOCABULARY_MODELS.items() if isinstance(entry, m))
    audit.record(actor=actor, action="knowledge.vocabulary.retired" if retired else "knowledge.vocabulary.restored",
                 municipality=municipality, obj=entry, data={"kind": kind, "key": entry.key})
    return entry

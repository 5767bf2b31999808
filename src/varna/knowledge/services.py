"""Writes for the knowledge base. Each is atomic and writes its audit event in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from varna.core import audit
from varna.core.models import Municipality
from varna.knowledge.models import (
    LEXICON_IMAGE_FORMATS,
    Definition,
    Factor,
    LawReference,
    LexiconEntry,
    Milieu,
    PathIn,
    Sign,
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
        _, created = Sign.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"tier": item["tier"], "text": item["text"], "description": item.get("description", ""),
                      "text_en": item.get("text_en", ""), "description_en": item.get("description_en", ""),
                      "order": order})
        counts["signs"] += created
    milieus: dict[str, Milieu] = {}
    for order, item in enumerate(data.get("milieus", [])):
        milieus[item["key"]], created = Milieu.objects.get_or_create(
            municipality=municipality, key=item["key"],
            defaults={"name": item["name"], "description": item["description"], "order": order})
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

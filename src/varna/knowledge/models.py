"""The shared vocabulary: definition, milieus, paths in, push and pull factors, warning signs, lexicon,
and the categories observations are recorded in.

Content is data per municipality, so each municipality can word it in its own way. Signs, milieus and
categories are the one vocabulary of Värna (ADR 0018): the guide, cases, the situation picture and
monitoring read them from here. Their keys are stable: an entry is retired, never deleted or re-keyed, so
what was recorded under it keeps its meaning.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, TenantQuerySet

# Pillow format name → content type served back. Checked against the file's content, not its name.
LEXICON_IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


class Tier(models.TextChoices):
    EARLY = "early", _("Early signs of concern")
    HEIGHTENED = "heightened", _("Signs of greater concern and heightened risk")
    CLEAR = "clear", _("Signs of a clear, individual problem")


class VocabularyError(Exception):
    pass


class _Retirable(models.Model):
    """An entry that observations, cases and rules refer to by key: it can be retired but never deleted."""

    # The national template entry this one counts as in the national view (ADR 0018); blank for none.
    national_key = models.SlugField(_("counts nationally as"), max_length=60, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        # Observations and cases store the key; deleting the entry would leave them meaning nothing.
        raise VocabularyError("vocabulary entries are retired, never deleted (ADR 0018)")


class Sign(_Retirable):
    """A warning sign. ``key`` (e.g. ``early-insecurity``) is what the rule engine and cases use."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="signs")
    key = models.SlugField(_("key"), max_length=60)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices)
    text = models.CharField(_("sign"), max_length=300)
    description = models.TextField(_("in plain words"), blank=True)
    text_en = models.CharField(_("sign in English"), max_length=300, blank=True)
    description_en = models.TextField(_("in plain words, in English"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("warning sign")
        verbose_name_plural = _("warning signs")
        ordering = ["order", "key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="sign_key_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def display_text(self) -> str:
        """The English wording when the page is in English and one exists; else the municipality's own."""
        return self.text_en if get_language() == "en" and self.text_en else self.text

    @property
    def label(self) -> str:
        return self.display_text

    @property
    def display_description(self) -> str:
        return self.description_en if get_language() == "en" and self.description_en else self.description

    @property
    def shows_swedish(self) -> bool:
        """True when the text shown is Swedish on an English page (for the lang attribute)."""
        return get_language() == "en" and not self.text_en


class _NamedEntry(models.Model):
    """A named, described entry of the shared vocabulary, ordered by hand and keyed stably."""

    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class Milieu(_Retirable, _NamedEntry):
    """A violent extremist milieu or ideology (the 2016 plan's three, or the 2024 strategy's wider set)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="milieus")
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta(_NamedEntry.Meta):
        verbose_name = _("milieu")
        verbose_name_plural = _("milieus")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="milieu_key_unique")]

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class Category(_Retirable):
    """What kind of thing an observation of the situation picture is (propaganda, threats, ...)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="categories")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("observation category")
        verbose_name_plural = _("observation categories")
        ordering = ["order", "key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="category_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.name_en if get_language() == "en" and self.name_en else self.name


class PathIn(_NamedEntry):
    """One of the four paths into an extremist milieu."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="paths_in")

    class Meta(_NamedEntry.Meta):
        verbose_name = _("path in")
        verbose_name_plural = _("paths in")
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="path_in_key_unique")]


class Factor(models.Model):
    """A push factor (what drives a person away from society) or a pull factor (what attracts)."""

    class Kind(models.TextChoices):
        PUSH = "push", _("Push factor")
        PULL = "pull", _("Pull factor")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="factors")
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    key = models.SlugField(_("key"), max_length=60)
    text = models.CharField(_("factor"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("push or pull factor")
        verbose_name_plural = _("push and pull factors")
        ordering = ["kind", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="factor_key_unique")]

    def __str__(self) -> str:
        return self.text


class Definition(models.Model):
    """The municipality's definition of violent extremism, with where it comes from."""

    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="definition")
    text = models.TextField(_("definition"))
    source = models.CharField(_("source"), max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")

    def __str__(self) -> str:
        return self.text[:60]


def validate_lexicon_image(upload: object) -> None:
    """Accept PNG, JPEG, GIF or WebP within the upload limit, judged by the file's content, not its name."""
    from PIL import Image, UnidentifiedImageError

    from varna.core import uploads

    if (getattr(upload, "size", 0) or 0) > uploads.max_bytes():
        raise ValidationError(uploads.too_large_message(), code="too_large")
    try:
        upload.seek(0)  # type: ignore[attr-defined]
        with Image.open(upload) as image:  # type: ignore[arg-type]
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("The file is not an image Värna can show (PNG, JPEG, GIF or WebP)."),
                              code="not_image") from exc
    finally:
        upload.seek(0)  # type: ignore[attr-defined]
    if image_format not in LEXICON_IMAGE_FORMATS:
        raise ValidationError(_("The file is not an image Värna can show (PNG, JPEG, GIF or WebP)."),
                              code="not_image")


def _lexicon_upload_to(instance: LexiconEntry, filename: str) -> str:
    # The stored name never comes from the uploader: it could carry a person's name or a path.
    import uuid

    return f"lexicon/{instance.municipality_id}/{uuid.uuid4().hex}"


class LexiconEntry(models.Model):
    """A symbol, code or slogan that staff should be able to recognise."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="lexicon_entries")
    name = models.CharField(_("name"), max_length=200)
    milieu = models.ForeignKey(Milieu, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="lexicon_entries", verbose_name=_("milieu"))
    description = models.TextField(_("what it is"))
    why_it_matters = models.TextField(_("why it matters"), blank=True)
    image = models.FileField(_("image"), upload_to=_lexicon_upload_to, blank=True,
                             validators=[validate_lexicon_image])
    image_type = models.CharField(max_length=20, blank=True, editable=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("lexicon entry")
        verbose_name_plural = _("lexicon entries")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="lexicon_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.milieu is not None and self.milieu.municipality_id != self.municipality_id:
            raise ValidationError({"milieu": _("The milieu must belong to the same municipality.")})


class LawReference(models.Model):
    """A statute or policy the municipality points to, with the number and the day someone checked it.

    Statutes change (the Social Services Act of 2001 was replaced by SFS 2025:400 on 1 July 2025), so the
    pages show what the municipality maintains here and when it was last checked, never a fixed paragraph.
    """

    class Kind(models.TextChoices):
        LAW = "law", _("Law")
        POLICY = "policy", _("Policy document")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="law_references")
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LAW)
    title = models.CharField(_("title"), max_length=300)
    statute = models.CharField(_("statute number"), max_length=60, blank=True,
                               help_text=_("For example SFS 2025:400."))
    provision = models.CharField(_("provision"), max_length=200, blank=True,
                                 help_text=_("Chapter and section, if the reference is to one provision."))
    url = models.URLField(_("web address"), blank=True)
    note = models.TextField(_("note"), blank=True)
    verified_on = models.DateField(_("last checked"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("law or policy reference")
        verbose_name_plural = _("laws and policy references")
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="law_reference_key_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.statute})" if self.statute else self.title

"""News and web feeds a municipality follows, and the items fetched from them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, TenantQuerySet


class FeedSource(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address"), max_length=500)
    active = models.BooleanField(_("active"), default=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "url"], name="feed_url_unique_per_municipality")]

    def __str__(self) -> str:
        return self.name

    @property
    def problem(self) -> str:
        """The last fetch's error in words a coordinator can act on ("" when the last fetch went well)."""
        return problem_text(self.last_error)


def problem_text(code: str) -> str:
    """`last_error` holds the exception's class name (and an HTTP status); say what it means."""
    if not code:
        return ""
    name, _sep, detail = code.partition(" ")
    if name == "BlockedAddress":
        return gettext("The address leads to this server or a private network. Värna only fetches public addresses.")
    if name == "HTTPError":
        if detail == "404":
            return gettext("The feed was not found at this address (HTTP 404). Check the address with the publisher.")
        if detail in ("401", "403"):
            return gettext("The server refused access to the feed (HTTP %(status)s).") % {"status": detail}
        return gettext("The server answered with an error (HTTP %(status)s). Värna tries again at the next fetch.") % {
            "status": detail or "?"}
    if name in ("TimeoutError", "timeout"):
        return gettext("The server did not answer in time. Värna tries again at the next fetch.")
    if name in ("URLError", "OSError", "ConnectionError", "ConnectionRefusedError", "ConnectionResetError",
                "gaierror", "RemoteDisconnected", "SSLError", "SSLCertVerificationError"):
        return gettext("The address could not be reached. Check that it is right and that the site is up.")
    if name == "ValueError":
        return gettext("The address is not a web address (http or https).")
    return gettext("The feed could not be read (%(error)s).") % {"error": code}


class KeywordList(models.Model):
    """Words that make an item relevant to one milieu; one word or phrase a line."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    # A key of the municipality's milieus (knowledge base, ADR 0018).
    milieu = models.CharField(_("milieu"), max_length=60)
    keywords = models.TextField(_("keywords"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("keyword list")
        verbose_name_plural = _("keyword lists")
        constraints = [models.UniqueConstraint(fields=["municipality", "milieu"], name="keywords_unique_milieu")]

    def __str__(self) -> str:
        return self.milieu

    def words(self) -> list[str]:
        return [line.strip().casefold() for line in self.keywords.splitlines() if line.strip()]


class FeedItem(models.Model):
    source = models.ForeignKey(FeedSource, on_delete=models.CASCADE, related_name="items")
    # The entry's id, else its link, else a hash of its title: what de-duplicates repeated fetches.
    uid = models.CharField(max_length=64)
    title = models.CharField(_("title"), max_length=500)
    link = models.URLField(_("link"), max_length=1000, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    milieus = models.JSONField(default=list, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)
    # What the working group made of the item. An observation of the situation picture it led to (the
    # situation picture holds no personal data, so neither does this link).
    observation = models.ForeignKey("situation.Observation", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("observation"))
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TAGGED = "tagged", _("Tagged")
        LINKED = "linked", _("Linked to an observation")
        DISMISSED = "dismissed", _("Dismissed")

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "uid"], name="feed_item_unique")]
        indexes = [models.Index(fields=["source", "fetched_at"], name="feed_item_fetched_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def relevant(self) -> bool:
        return bool(self.milieus)

    @property
    def status(self) -> str:
        """Dismissed, else linked, else tagged, else new: the furthest the item has come."""
        if self.dismissed_at is not None:
            return self.Status.DISMISSED
        if self.observation_id is not None:
            return self.Status.LINKED
        if self.tag_names:
            return self.Status.TAGGED
        return self.Status.NEW

    @property
    def tag_names(self) -> list[str]:
        # Read through the prefetch cache when the selector prefetched the tags.
        return [tag.name for tag in self.tags.all()]

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    def milieu_labels(self, vocabulary: Any = None) -> list[str]:
        """The labels of the item's milieus; pass the municipality's vocabulary when labelling many items."""
        from varna.knowledge import selectors as knowledge

        vocabulary = vocabulary or knowledge.vocabulary_of(self.source.municipality)
        return [vocabulary.label("milieu", key) for key in self.milieus]


class ItemTag(models.Model):
    """A short word the working group puts on an item ("klotter", "skola"), lower case, without personal data."""

    item = models.ForeignKey(FeedItem, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["item", "name"], name="item_tag_unique")]

    def __str__(self) -> str:
        return self.name

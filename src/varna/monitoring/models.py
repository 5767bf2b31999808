"""News and web feeds a municipality follows, and the items fetched from them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from varna.core.models import Municipality, TenantQuerySet
from varna.situation.choices import Milieu


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


class KeywordList(models.Model):
    """Words that make an item relevant to one milieu; one word or phrase a line."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    milieu = models.CharField(_("milieu"), max_length=20, choices=Milieu.choices)
    keywords = models.TextField(_("keywords"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("keyword list")
        verbose_name_plural = _("keyword lists")
        constraints = [models.UniqueConstraint(fields=["municipality", "milieu"], name="keywords_unique_milieu")]

    def __str__(self) -> str:
        return self.get_milieu_display()

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

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "uid"], name="feed_item_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def relevant(self) -> bool:
        return bool(self.milieus)

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from varna.monitoring.models import FeedItem, FeedSource, ItemTag, KeywordList


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    """Feeds are normally managed by the coordinator on the feeds page, where changes are audited."""

    list_display = ["name", "municipality", "url", "active", "last_fetched_at", "last_error"]
    list_filter = ["municipality", "active"]
    search_fields = ["name", "url"]
    readonly_fields = ["last_fetched_at", "last_error"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(KeywordList)
class KeywordListAdmin(admin.ModelAdmin):
    list_display = ["municipality", "milieu"]
    list_filter = ["municipality", "milieu"]


class ItemTagInline(admin.TabularInline):
    model = ItemTag
    extra = 0
    readonly_fields = ["name", "created_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(FeedItem)
class FeedItemAdmin(admin.ModelAdmin):
    """Read-only: items come from the feeds, and what the working group does with them goes through the
    monitoring pages (audited)."""

    list_display = ["title", "source", "published_at", "fetched_at", "milieus", "dismissed_at"]
    list_filter = ["source__municipality", "source"]
    search_fields = ["title"]
    date_hierarchy = "fetched_at"
    inlines = [ItemTagInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

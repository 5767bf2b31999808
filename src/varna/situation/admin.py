from django.contrib import admin

from varna.situation.models import District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    """Each municipality keeps its own list of districts; observations are placed in them."""

    list_display = ["name", "key", "municipality", "order"]
    list_filter = ["municipality"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"key": ["name"]}
    ordering = ["municipality", "order", "name"]

from django.contrib import admin

from varna.guidance.models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Where the national list (municipality empty) is maintained."""

    list_display = ["key", "name", "municipality", "phone", "last_verified_at"]
    list_filter = ["kind", "municipality"]
    search_fields = ["key", "name", "organisation", "phone"]
    readonly_fields = ["verified_by"]

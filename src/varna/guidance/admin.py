from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from varna.guidance.models import Contact, ContactChange


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """Read only: contacts are changed in the product (the coordinator's directory, /national/contacts/ for the
    national list), where every change says how it was checked and is kept in the contact's history."""

    list_display = ["key", "name", "municipality", "phone", "last_verified_at", "retired_at"]
    list_filter = ["kind", "municipality"]
    search_fields = ["key", "name", "organisation", "phone"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ContactChange)
class ContactChangeAdmin(admin.ModelAdmin):
    list_display = ["contact", "kind", "at", "actor_label", "method"]
    list_filter = ["kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

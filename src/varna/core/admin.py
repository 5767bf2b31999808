from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.admin import OTPAdminSite

from varna.core import services
from varna.core.models import AuditEvent, Group, GroupMembership, Membership, Municipality, Organisation, User

# The admin site asks for the second factor too.
admin.site.__class__ = OTPAdminSite


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug", "plan_approval_role", "national_opt_in"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "parent"]
    list_filter = ["municipality", "kind"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "role", "municipality", "organisation"]
    list_filter = ["municipality", "role"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)

        class NotOwnRole(form):  # type: ignore[misc,valid-type]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                # Nobody grants or changes their own roles, the operator neither (ASVS V4.3.3).
                if data.get("user") is not None and data["user"].pk == request.user.pk:
                    raise ValidationError(_("Nobody can grant or change their own roles. Ask another administrator."))
                return data

        return NotOwnRole

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        # Route through the service so the change is audited like any other.
        if change:
            services.membership_revoke(actor=request.user, membership=Membership.objects.get(pk=obj.pk))
            obj.pk = None
        services.membership_grant(actor=request.user, municipality=obj.municipality, user=obj.user,
                                  role=obj.role, organisation=obj.organisation, name=obj.name)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_revoke(actor=request.user, membership=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is None else super().has_delete_permission(request, obj)


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality"]
    inlines = [GroupMembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor_label", "municipality", "action", "object_type", "object_id"]
    list_filter = ["action", "municipality"]
    search_fields = ["actor_label", "object_id", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

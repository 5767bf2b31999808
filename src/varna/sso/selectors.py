from __future__ import annotations

from django.db.models import QuerySet

from varna.core.models import Municipality
from varna.sso.models import IdentityProvider


def enabled_providers() -> QuerySet[IdentityProvider]:
    """Every municipality's providers in use, for the login page (which is the same for all municipalities)."""
    return IdentityProvider.objects.filter(enabled=True).select_related("municipality").order_by(
        "municipality__name", "name")


def providers_of(municipality: Municipality) -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(municipality=municipality).prefetch_related("role_mappings")


def enabled_provider(municipality: Municipality, slug: str) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(municipality=municipality, slug=slug, enabled=True).first()


def enabled_provider_by_id(pk: int) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(pk=pk, enabled=True).select_related("municipality").first()

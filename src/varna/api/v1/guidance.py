"""Where to turn: the public contact directory of the guide. No token."""

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from varna.api.auth import throttle
from varna.api.v1.common import Pages
from varna.api.v1.schemas import ContactOut
from varna.core.models import Municipality
from varna.guidance import selectors as guidance

router = Router(tags=["v1"])


@router.get("/{municipality_slug}/contacts", response=list[ContactOut], auth=None, url_name="contact_list")
@paginate(Pages)
def contact_list(request: HttpRequest, municipality_slug: str) -> list[dict[str, Any]]:
    """Where to turn: the municipality's guide directory, by key, with when, how and against what each entry was
    last checked. Public, no token; who checked it is not published (only coordinators read the history)."""
    throttle(request)  # no token to count it in the authentication
    municipality = Municipality.objects.get(slug=municipality_slug)  # an unknown one is the handlers' 404
    return [{"key": c.key, "name": c.name, "organisation": c.organisation, "kind": c.kind, "phone": c.phone,
             "url": c.url, "opening_hours": c.opening_hours, "description": c.description,
             "national": c.is_national, "last_verified": c.last_verified_at,
             "verification_method": c.verification_method, "source": c.source, "source_date": c.source_date,
             "needs_checking": c.needs_warning}
            for c in sorted(guidance.directory_for(municipality).values(), key=lambda c: c.key)]

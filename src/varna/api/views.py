"""The user's own API tokens: `/account/api-tokens/`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from varna.api import selectors, services
from varna.core.confirm import confirmation
from varna.core.decorators import permission_required, two_factor_if_required
from varna.core.permissions import is_signed_in

# A person's own tokens: being logged in (with a second factor if their roles need one) is the permission.
_own_account = permission_required(is_signed_in, members_only=False, unverified=two_factor_if_required)


@_own_account
def tokens(request: HttpRequest) -> HttpResponse:
    """List the user's tokens; POST creates one and shows its secret once."""
    municipalities = selectors.token_municipalities(request.user)
    secret = None
    if request.method == "POST":
        chosen = next((m for m in municipalities if m.slug == request.POST.get("municipality")), None)
        if chosen is None:
            messages.error(request, _("Choose a municipality you have a role in."))
        else:
            try:
                days = int(request.POST.get("days") or services.DEFAULT_LIFETIME)
            except ValueError:
                days = 0
            try:
                _token, secret = services.token_create(actor=request.user, municipality=chosen,
                                                       name=request.POST.get("name", ""), days=days)
            except services.ApiTokenError as exc:
                messages.error(request, str(exc))
    return render(request, "api/tokens.html", {"tokens": selectors.tokens_of(request.user),
                                               "municipalities": municipalities, "secret": secret,
                                               "lifetimes": services.LIFETIMES,
                                               "default_lifetime": services.DEFAULT_LIFETIME})


@_own_account
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if (page := confirmation(request, title=_("Revoke the token?"), what=token.name,
                             consequence=_("Programs using it lose access at once."), button=_("Revoke the token"),
                             cancel_url=reverse("api_account:tokens"))) is not None:
        return page
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("api_account:tokens")

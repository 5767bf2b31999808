from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from varna.core import selectors, services, tables
from varna.core.confirm import confirmation
from varna.core.decorators import permission_required, two_factor_if_required
from varna.core.exports import check_format, export_heading, export_links, export_response
from varna.core.forms import (
    BackupCodeForm,
    EnrolmentCodeForm,
    GrantRoleForm,
    InvitationAcceptForm,
    LoginForm,
    OneTimeCodeForm,
)
from varna.core.http import AuthenticatedHttpRequest
from varna.core.login import PENDING, PENDING_SECONDS, after_first_factor, complete_second_step, second_step_subject
from varna.core.models import Municipality, RoleRequest, User
from varna.core.navigation import account_links_for, attention_for, links_for
from varna.core.permissions import can_manage_people, can_set_up, is_signed_in, municipalities_of, requires_two_factor
from varna.core.ratelimit import rate_limit

_PENDING = PENDING
_PENDING_SECONDS = PENDING_SECONDS
# Set once the e-mailed code is confirmed (for a logged-in person who must now set up an app), and once it is sent.
_ENROL_CHECKED = "varna_enrol_checked"
_ENROL_SENT = "varna_enrol_sent"


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        mine = municipalities_of(request.user) or selectors.partner_municipalities(request.user)
        if len(mine) == 1:
            return redirect("core:municipality_home", municipality=mine[0].slug)
        return render(request, "core/home.html", {"municipalities": mine,
                                                  "account_links": account_links_for(request)})
    return render(request, "core/home.html", {"municipalities": Municipality.objects.all()})


def municipality_home(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    links = links_for(request, municipality)
    return render(request, "core/municipality_home.html", {
        "public_links": [link for link in links if link.public],
        "is_member": any(not link.public for link in links),
        # Only the pages the header's menu does not list: the start page does not repeat the menu.
        "member_links": [link for link in links if not link.public and not link.in_header],
        "attention": attention_for(request, municipality) if request.user.is_authenticated else [],
    })


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return default


@rate_limit("invitation", limit=30, window=60, methods=["POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An e-mailed invitation: choose a password (a new account) or accept as the logged-in invitee.

    Nothing is used up by opening the link; only accepting it does. A person whose role needs two factors is
    taken on to set them up, as at any first login."""
    from django.utils import timezone

    item = selectors.invitation_by_token(token)
    if item is None or not item.is_usable_at(timezone.now()):
        return render(request, "core/invitation_invalid.html", status=404)
    account = User.objects.filter(email=item.email).first()
    has_account = account is not None and account.has_usable_password()
    invitee = request.user if request.user.is_authenticated and request.user.email == item.email else None
    logged_in_as_invitee = invitee is not None
    form = None if (has_account or logged_in_as_invitee) else InvitationAcceptForm(
        request.POST or None, initial={"full_name": item.name})
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            person = services.invitation_accept(
                token=token, user=invitee,
                password=form.cleaned_data["password"] if form else "",
                full_name=form.cleaned_data["full_name"] if form else "")
        except services.CoreError as exc:
            if form is None:
                messages.error(request, str(exc))
                return redirect("core:invitation", token=token)
            form.add_error("password" if "password" in str(exc).lower() else None, str(exc))
        else:
            messages.success(request, _("Welcome to Värna. The invitation is accepted."))
            home = reverse("core:municipality_home", kwargs={"municipality": item.municipality.slug})
            if logged_in_as_invitee:
                return redirect(home)
            return after_first_factor(request, person, backend="django.contrib.auth.backends.ModelBackend",
                                      next_url=home)
    # The municipality's identity providers (a federation's, for partners), coming back here to accept.
    here = reverse("core:invitation", kwargs={"token": token})
    login_options = [] if request.user.is_authenticated else [
        {**option, "url": option["url"] + "?next=" + here} for option in _login_options(request)
        if option["url"].startswith(f"/account/sso/{item.municipality.slug}/")]
    response = render(request, "core/invitation.html", {
        "invitation": item, "form": form, "has_account": has_account and not logged_in_as_invitee,
        "login_options": login_options,
        "someone_else": request.user.is_authenticated and not logged_in_as_invitee,
        "login_url": reverse("core:login") + "?next=" + reverse("core:invitation", kwargs={"token": token})})
    # The token is in the address: no page this one leads to learns it.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


# Per address, on top of django-axes' per-account lockout: slows one address trying many accounts.
# Generous, because a whole school or office may share one address.
@rate_limit("login", limit=60, window=60, methods=["POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, email=form.cleaned_data["email"].lower(),
                            password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return render(request, "core/lockout.html", status=429)
        if user is None:
            form.add_error(None, _("The e-mail address or password is wrong."))
        else:
            return after_first_factor(request, user, backend=user.backend, next_url=_safe_next(request))
    if request.GET.get("expired"):
        messages.info(request, _("You were logged out after a period of inactivity. Please log in again."))
    return render(request, "core/login.html", {"form": form, "next": _safe_next(request, ""),
                                               "login_options": _login_options(request)})


def _login_options(request: HttpRequest) -> list[dict[str, str]]:
    """Other ways in, from every app's `login_options` hook (an identity provider per municipality)."""
    return _hook_options("login_options", request)


def _hook_options(hook: str, request: HttpRequest, *args: Any) -> list[dict[str, str]]:
    """Links other apps offer on a login page (`login_options`, `second_factor_options`), without core knowing them."""
    from varna.core.plugins import hooks

    options: list[dict[str, str]] = []
    for provider in hooks(hook):
        options.extend(provider(request, *args))
    return options


_two_factor_subject = second_step_subject


def _wait_message(seconds: int) -> str:
    return ngettext("Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
                    "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
                    seconds) % {"seconds": seconds}


_complete_login = complete_second_step


def _enrol_checked(request: HttpRequest, user: Any, pending: dict | None) -> bool:
    return bool(pending.get("checked")) if pending else request.session.get(_ENROL_CHECKED) == user.pk


def _mark_enrol_checked(request: HttpRequest, user: Any, pending: dict | None) -> None:
    if pending:
        # A fresh five minutes to set up the app: the e-mail code proved the person is still there.
        request.session[_PENDING] = {**pending, "checked": True, "at": time.time()}
    else:
        request.session[_ENROL_CHECKED] = user.pk


@rate_limit("login", limit=60, window=60, methods=["POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of login: a code from the authenticator app; or, the first time, setting the app up."""
    user, pending = _two_factor_subject(request)
    if user is None:
        request.session.pop(_PENDING, None)
        return redirect("core:login")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return _enrol(request, user, pending)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, wait = services.two_factor_verify(user=user, device=device, code=form.cleaned_data["code"])
        if accepted:
            return redirect(_complete_login(request, user, pending, device))
        form.add_error("code", _wait_message(wait) if wait else _(
            "The code was not accepted. Type the six digits your app shows now and try again."))
    return render(request, "core/two_factor.html", {
        "form": form, "has_backup_codes": services.backup_codes_left(user) > 0,
        "other_ways": _hook_options("second_factor_options", request, user)})


def _enrol(request: HttpRequest, user: Any, pending: dict | None) -> HttpResponse:
    """Setting up an authenticator app: first a code sent by e-mail (the password alone must not be enough to
    tie an app to the account), then the app's key and its first code, then the backup codes, shown once."""
    if not _enrol_checked(request, user, pending):
        return _enrol_check(request, user, pending)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Värna", confirmed=False)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes, wait = services.two_factor_enrol(user=user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            next_url = _complete_login(request, user, pending, device)
            return render(request, "core/backup_codes.html", {"codes": codes, "next": next_url, "first": True})
        form.add_error("code", _wait_message(wait) if wait else _(
            "The code was not accepted. Check that the app shows “Värna” and type the six digits it shows now."))
    import segno

    return render(request, "core/two_factor_enrol.html", {
        "form": form, "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": _base32_secret(device)})


def _enrol_check(request: HttpRequest, user: Any, pending: dict | None) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST if request.POST.get("action") == "check" else None)
    sent = request.session.get(_ENROL_SENT) == user.pk
    if request.method == "POST" and request.POST.get("action") == "send":
        if services.enrolment_check_send(user=user):
            request.session[_ENROL_SENT] = user.pk
            messages.success(request, _("We have sent a code to your e-mail address."))
        else:
            messages.info(request, _("A code was sent a moment ago. Wait half a minute before asking for another."))
        return redirect("core:two_factor")
    if form.is_bound and form.is_valid():
        accepted, wait = services.enrolment_check_verify(user=user, code=form.cleaned_data["code"])
        if accepted:
            request.session.pop(_ENROL_SENT, None)
            _mark_enrol_checked(request, user, pending)
            return redirect("core:two_factor")
        form.add_error("code", _wait_message(wait) if wait else _(
            "The code was not accepted. Use the newest e-mail from Värna; a code is valid for ten minutes."))
    return render(request, "core/two_factor_check.html", {"form": form, "sent": sent or form.is_bound,
                                                            "email": user.email})


@rate_limit("login", limit=60, window=60, methods=["POST"])
def two_factor_backup(request: HttpRequest) -> HttpResponse:
    """Second step with a backup code instead of the app (a lost or broken phone). Each code works once."""
    from django_otp.plugins.otp_static.models import StaticDevice

    user, pending = _two_factor_subject(request)
    if user is None:
        request.session.pop(_PENDING, None)
        return redirect("core:login")
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("core:two_factor")
    form = BackupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accepted, wait = services.two_factor_verify(user=user, device=device, code=form.cleaned_data["code"])
        if accepted:
            next_url = _complete_login(request, user, pending, device)
            left = services.backup_codes_left(user)
            messages.warning(request, ngettext(
                "You logged in with a backup code. %(left)d code is left: create new ones on the page Login and "
                "security if you are running out.",
                "You logged in with a backup code. %(left)d codes are left: create new ones on the page Login "
                "and security if you are running out.", left) % {"left": left})
            return redirect(next_url)
        form.add_error("code", _wait_message(wait) if wait else _(
            "The backup code was not accepted. Each code works only once; check for mistyped characters."))
    return render(request, "core/two_factor_backup.html", {"form": form})


@permission_required(is_signed_in, members_only=False)
def account_security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's own second factor: how many backup codes are left, and new ones (shown once)."""
    user = request.user
    has_app = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if (has_app or requires_two_factor(user)) and not user.is_verified():
        return redirect("core:two_factor")
    if request.method == "POST":
        if not has_app:
            messages.error(request, _("Backup codes go with an authenticator app, and you have none set up."))
            return redirect("core:account_security")
        codes = services.backup_codes_create(actor=user)
        return render(request, "core/backup_codes.html", {"codes": codes, "next": reverse("core:account_security"),
                                                           "first": False})
    return render(request, "core/account_security.html", {
        "has_app": has_app, "backup_codes_left": services.backup_codes_left(user)})


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    from varna.core.login import LOGOUT_CONTINUE

    continue_to = request.session.get(LOGOUT_CONTINUE, "")
    if continue_to and url_has_allowed_host_and_scheme(continue_to, allowed_hosts=None):
        response = HttpResponseRedirect(continue_to)
        response.status_code = 307  # keeps the POST (and its CSRF token) for the app that logs out
        return response
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("core:home")


@permission_required(can_manage_people)
def people(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = GrantRoleForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = services.role_grant_or_request(
                actor=request.user, municipality=municipality, email=data["email"], name=data["full_name"],
                role=data["role"], organisation=data["organisation"])
        except services.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            if isinstance(outcome, RoleRequest) and outcome.status == RoleRequest.Status.PENDING:
                messages.success(request, _("The request was saved. The role applies once another administrator "
                                            "has approved it; the coordinators have been told."))
            else:
                messages.success(request, _("The role was granted."))
            return redirect("core:people", municipality=municipality.slug)
    page = Paginator(selectors.memberships_of(municipality), 50).get_page(request.GET.get("page"))
    return render(request, "core/people.html", {
        "form": form, "page": page, "table": tables.people_table(page.object_list),
        "requests": tables.role_request_table(selectors.pending_role_requests_of(municipality)),
        **export_links(request, "core:people_export", municipality=municipality.slug)})


@require_POST
@permission_required(can_manage_people)
def role_request_decide(request: HttpRequest, municipality: Municipality, request_id: int,
                        decision: str) -> HttpResponse:
    """Approve or refuse a waiting role request (ASVS V4.3.3: another administrator than the one who asked)."""
    role_request = get_object_or_404(selectors.pending_role_requests_of(municipality), pk=request_id)
    try:
        if decision == "approve":
            services.role_request_approve(actor=request.user, role_request=role_request)
            messages.success(request, _("The role was approved and now applies."))
        else:
            services.role_request_refuse(actor=request.user, role_request=role_request)
            messages.success(request, _("The request was refused."))
    except services.CoreError as exc:
        messages.error(request, str(exc))
    return redirect("core:people", municipality=municipality.slug)


@permission_required(can_manage_people)
def people_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """Everyone with a role (all pages of the list), for the administrator as on the page."""
    check_format(file_format)
    heading = export_heading(_("People and roles – %(municipality)s") % {"municipality": municipality.name})
    table = tables.people_table(selectors.memberships_of(municipality), heading=heading)
    response = export_response(table, file_format, f"personer-{municipality.slug}")
    services.list_exported(actor=request.user, municipality=municipality, what="people", file_format=file_format,
                           filters={}, rows=len(table.rows))
    return response


@permission_required(can_manage_people)
def people_revoke(request: HttpRequest, municipality: Municipality, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(selectors.memberships_of(municipality), pk=membership_id)
    if (page := confirmation(
            request, title=_("Remove the role?"),
            what=_("%(role)s for %(person)s") % {"role": membership.get_role_display(),
                                                 "person": membership.user.full_name or membership.user.email},
            consequence=_("The person loses what the role lets them see and do at once."),
            button=_("Remove the role"),
            cancel_url=reverse("core:people", kwargs={"municipality": municipality.slug}))) is not None:
        return page
    services.membership_revoke(actor=request.user, membership=membership)
    messages.success(request, _("The role was removed."))
    return redirect("core:people", municipality=municipality.slug)


@permission_required(can_manage_people)
def second_factor_reset(request: HttpRequest, municipality: Municipality, membership_id: int) -> HttpResponse:
    """Reset a person's second factor, after the administrator's own fresh code (services.second_factor_reset)."""
    from varna.core.forms import SecondFactorResetForm

    membership = get_object_or_404(selectors.memberships_of(municipality), pk=membership_id)
    form = SecondFactorResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_reset(actor=request.user, municipality=municipality, user=membership.user,
                                         code=form.cleaned_data["code"])
        except services.CoreError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The second factor was reset. The person sets up a new one at their next "
                                        "login and has been told by e-mail."))
            return redirect("core:people", municipality=municipality.slug)
    return render(request, "core/second_factor_reset.html", {"form": form, "membership": membership})


@permission_required(can_set_up)
def audit_log(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    action = request.GET.get("action", "").strip()
    page = Paginator(selectors.audit_log_of(municipality, action_prefix=action), 50).get_page(
        request.GET.get("page"))
    return render(request, "core/audit_log.html", {
        "page": page, "action": action, "table": tables.audit_table(page.object_list),
        **export_links(request, "core:audit_log_export", municipality=municipality.slug)})


@permission_required(can_set_up)
def audit_log_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The audit log under its filter, every page. The export's own event is written after the file is made,
    so the file holds what the page showed."""
    check_format(file_format)
    action = request.GET.get("action", "").strip()
    filters = {"action": action} if action else {}
    heading = export_heading(_("Audit log – %(municipality)s") % {"municipality": municipality.name}, filters=filters)
    table = tables.audit_table(selectors.audit_log_of(municipality, action_prefix=action), heading=heading)
    response = export_response(table, file_format, f"granskningslogg-{municipality.slug}")
    services.list_exported(actor=request.user, municipality=municipality, what="audit_log", file_format=file_format,
                           filters=filters, rows=len(table.rows))
    return response


@permission_required(is_signed_in, members_only=False, unverified=two_factor_if_required)
def sessions(request: HttpRequest) -> HttpResponse:
    """The user's own sessions; any but the current one can be ended (a lost or shared computer)."""
    current = request.session.session_key
    if request.method == "POST":
        mine = selectors.sessions_of(request.user)
        if request.POST.get("all_others"):
            chosen = [item for item in mine if item.session_key != current]
        else:
            chosen = [item for item in mine if str(item.pk) == request.POST.get("session") and
                      item.session_key != current]
        for item in chosen:
            services.session_end(actor=request.user, user_session=item)
        if chosen:
            messages.success(request, _("The session was ended."))
        return redirect("core:sessions")
    return render(request, "core/sessions.html", {"sessions": selectors.sessions_of(request.user),
                                                  "current": current})


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


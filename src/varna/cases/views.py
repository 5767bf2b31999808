"""Case views. Thin: parse input, call one selector or service, render.

Rules that hold for every view here (see docs/adr/0005-case-access.md):
- anonymous → login; a user who may not see the case or the page → 404, never 403;
- a page that shows case data writes exactly one audit event (`cases.case.viewed` or `cases.case.listed`);
- every response carries `Cache-Control: no-store` (NoStoreMiddleware);
- case data never travels in a query string: filters that carry it are POSTed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from varna.cases import exports, forms, permissions, selectors, services
from varna.cases.models import AccessReviewItem, Case
from varna.core.confirm import confirmation
from varna.core.decorators import hide_unless, permission_required
from varna.core.exports import check_format, export_heading, export_links, export_response, export_tables_response
from varna.core.models import Municipality
from varna.core.pdf import pdf_response
from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import PUBLISHED

View = Callable[..., HttpResponse]


def _two_factor_needed(request: HttpRequest) -> HttpResponse:
    # Someone whose role needs no second factor (the steering group for the statistics) is told why before being
    # asked to set up an app, rather than landing on a QR code without a word.
    user = request.user  # signed in: the guard calls this only then
    has_app = user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return render(request, "cases/two_factor_needed.html", {"has_app": has_app}, status=403)


def _signed_in(user: Any, municipality: Municipality) -> bool:
    return True  # the page checks the one case it shows (hide_unless), with the predicate its service uses


def case_page(predicate: Callable[[Any, Municipality], bool] = _signed_in) -> Callable[[View], View]:
    """core's one view guard, as case pages need it: anonymous → login (with no query string: case data never
    travels in a URL); a session without two factors → why it is needed; refused → 404, never 403. A case's
    partner has no role in the municipality, so membership alone decides nothing here."""
    return permission_required(predicate, members_only=False, refused=Http404, unverified=_two_factor_needed,
                               keep_query=False)


def _purpose(user: Any, case: Case) -> str:
    # The purpose recorded for ordinary case work follows from the role that gives access.
    if permissions.is_coordinator(user, case.municipality):
        return "case coordination (coordinator)"
    return "case work (participant in the expert group)"


def _render_case(request: HttpRequest, case: Case, template: str, context: dict[str, Any], *, page: str,
                 status: int = 200) -> HttpResponse:
    """Render a page that shows case data, writing its one audit event."""
    services.case_viewed(actor=request.user, case=case, purpose=_purpose(request.user, case), page=page)
    return render(request, template, {"case": case, "can_manage": permissions.can_manage_case(request.user, case),
                                      "can_contribute": permissions.can_contribute_to_case(request.user, case),
                                      **context}, status=status)


def _to_case(case: Case) -> HttpResponse:
    return redirect("cases:case_detail", municipality=case.municipality.slug, code=case.code)


# --- list, open, detail, edit -------------------------------------------------------------------

@case_page(permissions.can_list_cases)
def case_list(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    cases = list(selectors.cases_visible_to(request.user, municipality))
    services.cases_listed(actor=request.user, municipality=municipality, codes=[c.code for c in cases],
                          purpose="case list")
    can_export = permissions.can_export_case_list(request.user, municipality)
    return render(request, "cases/case_list.html", {
        "table": exports.case_table(cases),
        **(export_links(request, "cases:case_list_export", municipality=municipality.slug) if can_export else {}),
        "can_open": permissions.can_open_case(request.user, municipality),
        "can_review": permissions.can_review_access_log(request.user, municipality),
        "can_stats": permissions.can_see_statistics(request.user, municipality),
        "can_bases": permissions.can_manage_legal_bases(request.user, municipality)})


@case_page(permissions.can_export_case_list)
def case_list_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The case list as the coordinator sees it, as a file; one audit event naming the codes (ADR 0005)."""
    check_format(file_format)
    cases = list(selectors.cases_visible_to(request.user, municipality))
    table = exports.case_table(cases, heading=export_heading(
        _("Cases – %(municipality)s") % {"municipality": municipality.name}))
    response = export_response(table, file_format, f"arenden-{municipality.slug}")
    services.case_list_exported(actor=request.user, municipality=municipality, codes=[c.code for c in cases],
                                file_format=file_format)
    return response


@case_page(permissions.can_open_case)
def case_open(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.CaseForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.case_open(actor=request.user, municipality=municipality, age_band=data["age_band"],
                                  gender=data["gender"], milieu_key=data["milieu_key"], path_key=data["path_key"])
        messages.success(request, _("The case was opened."))
        return _to_case(case)
    return render(request, "cases/case_form.html", {"form": form})


@case_page()
def case_detail(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    return _render_case(request, case, "cases/case_detail.html", {
        **selectors.case_page_data(case),
        "status_form": forms.StatusForm(initial={"lock_version": case.lock_version}),
        "note_form": forms.NoteForm(),
        "sign_form": forms.SignForm(municipality=municipality, initial={"observed_on": timezone.localdate()}),
        "hold_form": forms.LegalHoldForm(initial={"hold": case.legal_hold}),
        "can_export": permissions.can_export_case(request.user, case),
    }, page="case")


@case_page()
def case_edit(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    initial = {"lock_version": case.lock_version, "age_band": case.age_band, "gender": case.gender,
               "milieu_key": case.milieu_key, "path_key": case.path_key}
    form = forms.CaseForm(request.POST or None, municipality=municipality, initial=initial)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_update(actor=request.user, case=case, expected_lock=data["lock_version"] or 0,
                                 age_band=data["age_band"], gender=data["gender"], milieu_key=data["milieu_key"],
                                 path_key=data["path_key"])
        except services.CaseConflictError as exc:
            # Keep what this editor typed, show what is saved now, and let a second save decide.
            current = exc.current
            form = forms.CaseForm({**request.POST.dict(), "lock_version": current.lock_version},
                                  municipality=municipality, initial=initial)
            form.is_valid()
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The case was saved."))
            return _to_case(case)
    return _render_case(request, case, "cases/case_form.html", {"form": form, "current": current}, page="edit",
                        status=409 if current else 200)


@require_POST
@case_page()
def case_status(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_set_status(actor=request.user, case=case, status=form.cleaned_data["status"],
                                     expected_lock=form.cleaned_data["lock_version"])
        except services.CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The status was changed."))
    return _to_case(case)


@case_page()
def case_concern(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    form = forms.ConcernForm(request.POST or None, initial={
        "lock_version": case.lock_version, "level": case.concern_override, "reason": case.concern_override_reason})
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_override(actor=request.user, case=case, level=form.cleaned_data["level"],
                                      reason=form.cleaned_data["reason"],
                                      expected_lock=form.cleaned_data["lock_version"])
        except services.CaseConflictError as exc:
            current = exc.current
            form = forms.ConcernForm({**request.POST.dict(), "lock_version": current.lock_version})
            form.is_valid()
            form.add_error(None, str(exc))
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The concern level was saved."))
            return _to_case(case)
    return _render_case(request, case, "cases/case_concern.html", {"form": form, "current": current},
                        page="concern", status=409 if current else 200)


@require_POST
@case_page()
def case_legal_hold(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    form = forms.LegalHoldForm(request.POST)
    if form.is_valid():
        try:
            services.legal_hold_set(actor=request.user, case=case, hold=form.cleaned_data["hold"],
                                    reason=form.cleaned_data["reason"])
        except services.CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The legal hold was saved."))
    return _to_case(case)


@require_POST
@case_page()
def note_add(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_contribute_to_case(request.user, case))
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        services.note_add(actor=request.user, case=case, text=form.cleaned_data["text"])
        messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("The note was empty or too long."))
    return _to_case(case)


@require_POST
@case_page()
def sign_add(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_contribute_to_case(request.user, case))
    form = forms.SignForm(request.POST, municipality=municipality)
    if form.is_valid():
        data = form.cleaned_data
        services.sign_add(actor=request.user, case=case, sign_key=data["sign_key"], observed_on=data["observed_on"],
                          source=data["source"])
        messages.success(request, _("The sign was added."))
    else:
        messages.error(request, _("Choose a sign and a date that is not in the future."))
    return _to_case(case)


# --- participants, identity ----------------------------------------------------------------------

@case_page()
def participants(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    inviting = request.POST.get("action") == "invite"
    form = forms.ParticipantForm(request.POST if not inviting else None, people=selectors.possible_participants(case))
    invite_form = forms.PartnerInviteForm(request.POST if inviting else None, municipality=municipality,
                                          prefix="partner")
    if inviting and invite_form.is_valid():
        try:
            services.partner_invite(actor=request.user, case=case, email=invite_form.cleaned_data["email"],
                                    name=invite_form.cleaned_data["name"],
                                    organisation=invite_form.cleaned_data["organisation"])
        except services.CaseError as exc:
            invite_form.add_error(None, str(exc))
        else:
            messages.success(request, _("The invitation is sent. The person takes part once they accept it."))
            return redirect("cases:participants", municipality=municipality.slug, code=case.code)
    if request.method == "POST" and not inviting and form.is_valid():
        try:
            services.participant_add(actor=request.user, case=case, user=form.cleaned_data["user"])
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The person now takes part in the case."))
            return redirect("cases:participants", municipality=municipality.slug, code=case.code)
    return _render_case(request, case, "cases/participants.html", {
        "form": form, "invite_form": invite_form,
        "participants": case.participants.select_related("user", "added_by")}, page="participants")


@case_page()
def participant_remove(request: HttpRequest, municipality: Municipality, code: str, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    participant = selectors.participant_get(case, pk)
    if (page := confirmation(
            request, title=_("Remove the person from the case?"),
            what=_("%(person)s in case %(code)s") % {"person": participant.user.full_name or participant.user.email,
                                                     "code": case.code},
            consequence=_("They can no longer open the case."), button=_("Remove from the case"),
            cancel_url=reverse("cases:participants", kwargs={"municipality": municipality.slug,
                                                             "code": case.code}))) is not None:
        return page
    services.participant_remove(actor=request.user, participant=participant)
    messages.success(request, _("The person no longer takes part in the case."))
    return redirect("cases:participants", municipality=municipality.slug, code=case.code)


@case_page()
def identity_reveal(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    """Ask for a purpose and a fresh one-time code; show the identity only after both."""
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_reveal_identity(request.user, case))
    form = forms.StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity = services.identity_reveal(actor=request.user, case=case, purpose=form.cleaned_data["purpose"],
                                                code=form.cleaned_data["code"])
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            # The reveal event is this page's one audit event.
            return render(request, "cases/identity_reveal.html", {"case": case, "identity": identity,
                                                                  "revealed": True})
    return _render_case(request, case, "cases/identity_reveal.html", {"form": form}, page="identity")


@case_page()
def identity_edit(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    """Record or replace the identity. The form starts empty: editing must not reveal what is stored."""
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_manage_case(request.user, case))
    form = forms.IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.identity_set(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("The identity was saved, encrypted."))
        return _to_case(case)
    return _render_case(request, case, "cases/identity_form.html", {"form": form}, page="identity_edit")


# --- referrals -----------------------------------------------------------------------------------

@case_page()
def referral_create(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_contribute_to_case(request.user, case))
    form = forms.ReferralForm(request.POST or None, kinds=services.referral_kinds_for(case),
                              legal_bases=selectors.legal_bases_of(municipality),
                              initial={"sent_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The referral was recorded."))
            return _to_case(case)
    return _render_case(request, case, "cases/referral_form.html", {
        "form": form, "mandatory_report": services.report_is_mandatory(request.user, case),
        "legal_bases": selectors.legal_bases_of(municipality)}, page="referral")


@case_page()
def referral_answer(request: HttpRequest, municipality: Municipality, code: str, pk: int) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_contribute_to_case(request.user, case))
    referral = selectors.referral_get(case, pk)
    form = forms.ReferralAnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_answer(actor=request.user, referral=referral, **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The answer was recorded."))
            return _to_case(case)
    return _render_case(request, case, "cases/referral_answer.html", {"form": form, "referral": referral},
                        page="referral_answer")


# --- access log, export --------------------------------------------------------------------------

@case_page()
def case_access_log(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_see_case_access_log(request.user, case))
    page = Paginator(selectors.access_log_of(case), 50).get_page(request.GET.get("page"))
    return _render_case(request, case, "cases/access_log.html", {"page": page}, page="access_log")


@case_page()
def case_export(request: HttpRequest, municipality: Municipality, code: str) -> HttpResponse:
    case = selectors.case_get(request.user, municipality, code)
    hide_unless(permissions.can_export_case(request.user, case))
    form = forms.StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pdf = services.case_export_pdf(actor=request.user, case=case, purpose=form.cleaned_data["purpose"],
                                           code=form.cleaned_data["code"])
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            return pdf_response(pdf, filename=f"{case.code}.pdf", attachment=True)
    return _render_case(request, case, "cases/case_export.html", {"form": form}, page="export")


# --- municipality-wide pages ---------------------------------------------------------------------

@case_page(permissions.can_review_access_log)
def log_review(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """Reads of case data, filtered by user, case and period. The filter is POSTed (case codes are case data).
    Listing log rows that name case codes is itself a read, and is logged."""
    form = forms.LogFilterForm(request.POST or None)
    filters: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        filters = {"user_email": data["user"] or "", "code": data["code"] or "", "start": data["start"],
                   "end": data["end"]}
    events = list(selectors.case_reads(municipality, **filters)[:200])
    services.access_log_reviewed(actor=request.user, municipality=municipality, purpose="log review",
                                 data={"filters": {k: str(v) for k, v in filters.items() if v}})
    return render(request, "cases/log_review.html", {
        "form": form, "events": events, "review_form": forms.ReviewStartForm(initial={"sample_percent": 10}),
        "reviews": selectors.access_reviews_of(municipality)[:24],
        "tombstones": selectors.purge_tombstones(municipality)[:50]})


@require_POST
@case_page(permissions.can_review_access_log)
def review_start(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = forms.ReviewStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a period and a sample size between 1 and 100 per cent."))
        return redirect("cases:log_review", municipality=municipality.slug)
    try:
        review = services.access_review_start(actor=request.user, municipality=municipality, **form.cleaned_data)
    except services.CaseError as exc:
        messages.error(request, str(exc))
        return redirect("cases:log_review", municipality=municipality.slug)
    return redirect("cases:review_detail", municipality=municipality.slug, pk=review.pk)


@case_page(permissions.can_review_access_log)
def review_detail(request: HttpRequest, municipality: Municipality, pk: int) -> HttpResponse:
    review = selectors.access_review_get(municipality, pk)
    if request.method == "POST":
        item_id = request.POST.get("item", "")
        if not item_id.isdigit():
            raise Http404
        item = selectors.review_item_get(review, int(item_id))
        form = forms.ReviewMarkForm(request.POST)
        if form.is_valid():
            try:
                services.access_review_mark(actor=request.user, item=item, **form.cleaned_data)
            except services.CaseError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("The verdict was saved."))
        else:
            messages.error(request, _("Choose a verdict."))
        return redirect("cases:review_detail", municipality=municipality.slug, pk=review.pk)
    services.access_log_reviewed(actor=request.user, municipality=municipality, purpose="log review round",
                                 data={"review": review.pk})
    return render(request, "cases/review_detail.html", {
        "review": review, "items": review.items.select_related("event", "reviewed_by"),
        "mark_form": forms.ReviewMarkForm(), "pending": AccessReviewItem.Verdict.PENDING})


def _statistics_by_year(municipality: Municipality) -> list[exports.YearStatistics]:
    return [(year, *selectors.case_statistics(municipality, year=year))
            for year in selectors.case_statistics_years(municipality)]


@case_page(permissions.can_see_statistics)
def statistics(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    tables = exports.statistics_tables(_statistics_by_year(municipality))
    return render(request, "cases/statistics.html", {
        "export_tables": tables,
        "protection_note": protection_note(PUBLISHED, period="year"),
        "export_csv": reverse("cases:statistics_export", args=[municipality.slug, "csv"]),
        "export_xlsx": reverse("cases:statistics_export", args=[municipality.slug, "xlsx"])})


@case_page(permissions.can_see_statistics)
def statistics_export(request: HttpRequest, municipality: Municipality, file_format: str) -> HttpResponse:
    """The suppressed statistics as on the page (no case codes), for the same roles."""
    check_format(file_format)
    tables = exports.statistics_tables(_statistics_by_year(municipality))
    heading = export_heading(_("Case statistics – %(municipality)s") % {"municipality": municipality.name})
    response = export_tables_response(tables, file_format, f"arendestatistik-{municipality.slug}", heading)
    services.statistics_exported(actor=request.user, municipality=municipality, file_format=file_format)
    return response


@case_page(permissions.can_manage_legal_bases)
def legal_bases(request: HttpRequest, municipality: Municipality, pk: int | None = None) -> HttpResponse:
    basis = selectors.legal_basis_get(municipality, pk) if pk else None
    initial = {"last_verified": timezone.localdate()}
    if basis is not None:
        initial = {name: getattr(basis, name) for name in forms.LegalBasisForm.base_fields}
    form = forms.LegalBasisForm(request.POST or None, initial=initial)
    if basis is not None:
        form.fields["key"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_save(actor=request.user, municipality=municipality, basis=basis,
                                      **form.cleaned_data)
        except services.CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The legal basis was saved."))
            return redirect("cases:legal_bases", municipality=municipality.slug)
    return render(request, "cases/legal_bases.html", {
        "form": form, "basis": basis, "bases": selectors.legal_bases_of(municipality)})

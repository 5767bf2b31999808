from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from varna.core.decorators import role_required
from varna.core.models import Municipality, Role
from varna.core.pdf import pdf_response, render_pdf
from varna.disclosure.notes import protection_note
from varna.disclosure.suppression import PUBLISHED
from varna.plans.models import Plan
from varna.plans.selectors import plan_get, plans_of
from varna.report import docx_export, permissions, selectors, services
from varna.report.forms import AssessmentFormSet

READ = (Role.COORDINATOR, Role.STEERING_GROUP, Role.WORKING_GROUP)


def _year(request: HttpRequest) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or current)
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= current + 1:
        raise Http404
    return year


def _plan(request: HttpRequest, municipality: Municipality) -> Plan | None:
    """The ?plan= filter: one plan by its address name, or every plan when empty; an unknown one is a 404."""
    slug = request.GET.get("plan") or ""
    return plan_get(municipality, slug) if slug else None


@role_required(*READ)
def annual_report(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    year, plan = _year(request), _plan(request, municipality)
    return render(request, "report/annual_report.html", {
        "report": selectors.annual_report(municipality, year, plan=plan),
        "years": selectors.report_years(municipality, current=timezone.localdate().year),
        "plans": plans_of(municipality), "plan": plan,
        "can_assess": permissions.can_assess(request.user, municipality),
        # The report becomes a public record: every figure in it is published (one whole term per table).
        "protection_note": protection_note(PUBLISHED)})


@role_required(*READ)
def annual_report_pdf(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    year, plan = _year(request), _plan(request, municipality)
    # In the reader's language: whoever downloads it in English reads it in English (the texts people wrote
    # stay as written).
    pdf = render_pdf("report/annual_report_pdf.html", {
        "report": selectors.annual_report(municipality, year, plan=plan), "municipality": municipality},
        request=request)
    services.report_exported(actor=request.user, municipality=municipality, year=year, file_format="pdf")
    return pdf_response(pdf, filename=f"uppfoljning-{municipality.slug}-{year}.pdf")


@role_required(*READ)
def annual_report_docx(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    year, plan = _year(request), _plan(request, municipality)
    body = docx_export.build(selectors.annual_report(municipality, year, plan=plan))
    services.report_exported(actor=request.user, municipality=municipality, year=year, file_format="docx")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="uppfoljning-{municipality.slug}-{year}.docx"'
    return response


@role_required(Role.COORDINATOR)
def assessment_edit(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    year = _year(request)
    recommendations = [r for r in selectors.annual_report(municipality, year).recommendations]
    initial = [{"number": r.number, "score": r.assessment.score if r.assessment else None,
                "comment": r.assessment.comment if r.assessment else "",
                "evidence": r.assessment.evidence if r.assessment else ""} for r in recommendations]
    formset = AssessmentFormSet(request.POST or None, initial=initial, prefix="rec")
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():  # all twelve or none: a refused comment (personal data) saves nothing
                for form in formset.forms:
                    data = form.cleaned_data
                    services.assessment_save(actor=request.user, municipality=municipality, year=year,
                                             number=data["number"], score=data["score"], comment=data["comment"],
                                             evidence=data["evidence"])
        except services.ReportPermissionError as exc:
            raise PermissionDenied from exc
        except services.ReportError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The self-assessment was saved."))
            return redirect(reverse("report:annual_report", args=[municipality.slug]) + f"?year={year}")
    return render(request, "report/assessment_edit.html", {
        "year": year, "rows": list(zip(recommendations, formset.forms, strict=False)), "formset": formset})

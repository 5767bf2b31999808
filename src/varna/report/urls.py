from django.urls import path

from varna.report import views

app_name = "report"

R = "<slug:municipality>/report/"

urlpatterns = [
    path(R, views.annual_report, name="annual_report"),
    path(R + "report.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path(R + "report.docx", views.annual_report_docx, name="annual_report_docx"),
    path(R + "assessment/", views.assessment_edit, name="assessment_edit"),
]

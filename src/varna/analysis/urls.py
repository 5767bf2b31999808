from django.urls import path

from varna.analysis import views

app_name = "analysis"

A = "<slug:municipality>/analysis/"

urlpatterns = [
    path(A, views.analysis_list, name="analysis_list"),
    path(A + "new/", views.analysis_create, name="analysis_create"),
    path(A + "<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path(A + "<int:pk>/edit/", views.analysis_edit, name="analysis_edit"),
    path(A + "<int:pk>/approve/", views.analysis_approve, name="analysis_approve"),
    path(A + "<int:pk>/lagesbild/", views.analysis_document, name="analysis_document"),
    path(A + "<int:pk>/lagesbild.pdf", views.analysis_document_pdf, name="analysis_document_pdf"),
    path(A + "<int:pk>/lagesbild.docx", views.analysis_document_docx, name="analysis_document_docx"),
    path(A + "<int:pk>/problems/new/", views.problem_create, name="problem_create"),
    path(A + "problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path(A + "problems/<int:pk>/delete/", views.problem_delete, name="problem_delete"),
    path(A + "problems/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path(A + "problems/<int:pk>/measures/", views.problem_link, name="problem_link"),
    path(A + "problems/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path(A + "evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path(A + "measures/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path(A + "indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path(A + "sources/", views.source_list, name="source_list"),
    path(A + "sources/new/", views.source_create, name="source_create"),
    path(A + "sources/import/", views.source_import, name="source_import"),
    path(A + "sources/<int:pk>/", views.source_detail, name="source_detail"),
    path(A + "sources/<int:pk>/export.<str:file_format>", views.source_export, name="source_export"),
    path(A + "sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
    path(A + "reporting/", views.reporting, name="reporting"),
    path(A + "reporting/<int:pk>/delete/", views.duty_delete, name="duty_delete"),
    path(A + "reporting/<int:pk>/nothing/", views.nil_report, name="nil_report"),
    path(A + "cycle/", views.cycle, name="cycle"),
]

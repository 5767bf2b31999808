from django.urls import path

from varna.situation import views

app_name = "situation"

S = "<slug:municipality>/situation/"

urlpatterns = [
    path(S, views.dashboard, name="dashboard"),
    path(S + "export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path(S + "observations/", views.observation_list, name="observation_list"),
    path(S + "observations/new/", views.observation_create, name="observation_create"),
    path(S + "observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path(S + "observations/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path(S + "import/", views.observation_import, name="observation_import"),
    path(S + "import/template.<str:fmt>", views.import_template, name="import_template"),
    path(S + "report/", views.term_report, name="term_report"),
    path(S + "report.pdf", views.term_report_pdf, name="term_report_pdf"),
]

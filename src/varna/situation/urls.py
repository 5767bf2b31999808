from django.urls import path

from varna.situation import views

app_name = "situation"

S = "<slug:municipality>/situation/"

urlpatterns = [
    path(S, views.dashboard, name="dashboard"),
    path(S + "export.<str:fmt>", views.dashboard_export, name="dashboard_export"),
    path(S + "observations/", views.observation_list, name="observation_list"),
    path(S + "observations/export.<str:file_format>", views.observation_export, name="observation_export"),
    path(S + "observations/new/", views.observation_create, name="observation_create"),
    path(S + "observations/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path(S + "observations/<int:pk>/delete/", views.observation_delete, name="observation_delete"),
    path(S + "import/", views.observation_import, name="observation_import"),
    path(S + "import/template.<str:fmt>", views.import_template, name="import_template"),
    path(S + "report/", views.term_report, name="term_report"),
    path(S + "report.pdf", views.term_report_pdf, name="term_report_pdf"),
]

urlpatterns += [
    path(S + "surveys/", views.survey_list, name="survey_list"),
    path(S + "surveys/export.<str:file_format>", views.survey_list_export, name="survey_list_export"),
    path(S + "surveys/new/", views.survey_create, name="survey_create"),
    path(S + "surveys/<int:pk>/", views.survey_results, name="survey_results"),
    path(S + "surveys/<int:pk>/results.<str:fmt>", views.survey_export, name="survey_export"),
    path(S + "survey/<str:token>/", views.survey_answer, name="survey_answer"),
    path(S + "map/", views.district_map_upload, name="district_map_upload"),
]

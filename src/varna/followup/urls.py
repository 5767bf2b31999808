from django.urls import path

from varna.followup import views

app_name = "followup"

F = "<slug:municipality>/followup/"

urlpatterns = [
    path(F, views.dashboard, name="dashboard"),
    path(F + "compliance.<str:file_format>", views.compliance_export, name="compliance_export"),
    path(F + "log/", views.log_list, name="log_list"),
    path(F + "log/export.<str:file_format>", views.log_export, name="log_export"),
    path(F + "log/new/", views.log_create, name="log_create"),
    path(F + "log/<int:pk>/attachment/", views.log_attachment, name="log_attachment"),
    path(F + "log/<int:pk>/delete/", views.log_delete, name="log_delete"),
    path(F + "log/<int:pk>/report/", views.log_report_choice, name="log_report_choice"),
]

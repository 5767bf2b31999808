from django.urls import path

from varna.training import views

app_name = "training"

T = "<slug:municipality>/training/"

urlpatterns = [
    path(T, views.event_list, name="event_list"),
    path(T + "export.<str:file_format>", views.event_export, name="event_export"),
    path(T + "new/", views.event_create, name="event_create"),
    path(T + "coverage/", views.coverage, name="coverage"),
    path(T + "coverage/export.<str:file_format>", views.coverage_export, name="coverage_export"),
    path(T + "<int:pk>/", views.event_detail, name="event_detail"),
    path(T + "<int:pk>/delete/", views.event_delete, name="event_delete"),
]

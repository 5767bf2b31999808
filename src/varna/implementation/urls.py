from django.urls import path

from varna.implementation import views

app_name = "implementation"

I = "<slug:municipality>/implementation/"  # noqa: E741

urlpatterns = [
    path(I, views.overview, name="overview"),
    path(I + "coverage.<str:file_format>", views.coverage_export, name="coverage_export"),
    path(I + "confirm/", views.confirm, name="confirm"),
    path(I + "acknowledge/", views.acknowledge, name="acknowledge"),
]

from django.urls import path

from varna.national import views

app_name = "national"

urlpatterns = [
    path("national/", views.overview, name="overview"),
    path("national/export.<str:file_format>", views.overview_export, name="overview_export"),
]

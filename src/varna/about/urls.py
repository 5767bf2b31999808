from django.urls import path

from varna.about import views

app_name = "about"

urlpatterns = [
    path("<slug:municipality>/tillganglighet/", views.accessibility_statement, name="accessibility"),
    path("<slug:municipality>/personuppgifter/", views.privacy_notice, name="privacy"),
]

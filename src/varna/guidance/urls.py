from django.urls import path

from varna.guidance import views

app_name = "guidance"

urlpatterns = [
    path("<slug:municipality>/vart-vander-jag-mig/", views.wizard_view, name="wizard"),
    path("<slug:municipality>/vart-vander-jag-mig/kontakter/", views.directory, name="directory"),
    path("<slug:municipality>/guidance/contacts/", views.contact_review, name="contact_review"),
    path("<slug:municipality>/guidance/contacts/export.<str:file_format>", views.contact_review_export,
         name="contact_review_export"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/verify/", views.contact_verify, name="contact_verify"),
]

from django.urls import path

from varna.guidance import views

app_name = "guidance"

urlpatterns = [
    path("<slug:municipality>/vart-vander-jag-mig/", views.wizard_view, name="wizard"),
    path("<slug:municipality>/vart-vander-jag-mig/kontakter/", views.directory, name="directory"),
    path("<slug:municipality>/vart-vander-jag-mig/resultat/", views.wizard_result, name="result"),
    path("<slug:municipality>/vart-vander-jag-mig/borja-om/", views.wizard_restart, name="restart"),
    path("<slug:municipality>/vart-vander-jag-mig/lamna/", views.quick_exit, name="leave"),
    # One address per question (wizard.SLUGS); the first question is the guide's own address above.
    path("<slug:municipality>/vart-vander-jag-mig/<slug:question>/", views.wizard_view, name="question"),
    path("<slug:municipality>/guidance/contacts/", views.contact_review, name="contact_review"),
    path("<slug:municipality>/guidance/contacts/export.<str:file_format>", views.contact_review_export,
         name="contact_review_export"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/verify/", views.contact_verify, name="contact_verify"),
]

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
    path("<slug:municipality>/guidance/contacts/new/", views.contact_create, name="contact_create"),
    path("<slug:municipality>/guidance/contacts/settings/", views.directory_settings, name="directory_settings"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/verify/", views.contact_verify, name="contact_verify"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/retire/", views.contact_retire, name="contact_retire"),
    path("<slug:municipality>/guidance/contacts/<int:pk>/history/", views.contact_history, name="contact_history"),
    # The national list, kept once for every municipality by the platform administrator.
    path("national/contacts/", views.national_contacts, name="national_contacts"),
    path("national/contacts/new/", views.national_contact_create, name="national_contact_create"),
    path("national/contacts/<int:pk>/edit/", views.national_contact_edit, name="national_contact_edit"),
    path("national/contacts/<int:pk>/verify/", views.national_contact_verify, name="national_contact_verify"),
    path("national/contacts/<int:pk>/retire/", views.national_contact_retire, name="national_contact_retire"),
    path("national/contacts/<int:pk>/history/", views.national_contact_history, name="national_contact_history"),
]

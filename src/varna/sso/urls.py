from django.urls import path

from varna.sso import views

app_name = "sso"

urlpatterns = [
    path("account/sso/<slug:municipality>/<slug:provider>/login/", views.begin, name="begin"),
    path("account/sso/<slug:municipality>/<slug:provider>/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("account/sso/<slug:municipality>/<slug:provider>/saml/metadata/", views.saml_metadata,
         name="saml_metadata"),
    path("account/sso/<slug:municipality>/<slug:provider>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("account/sso/<slug:municipality>/<slug:provider>/saml/complete/<str:token>/", views.saml_complete,
         name="saml_complete"),
    path("account/sso/<slug:municipality>/<slug:provider>/saml/sls/", views.saml_sls, name="saml_sls"),
    path("account/sso/saml/logout/", views.saml_logout, name="saml_logout"),
    path("<slug:municipality>/manage/identity-providers/", views.provider_list, name="provider_list"),
    path("<slug:municipality>/manage/identity-providers/new/", views.provider_edit, name="provider_create"),
    path("<slug:municipality>/manage/identity-providers/<slug:provider>/", views.provider_edit, name="provider_edit"),
    path("<slug:municipality>/manage/identity-providers/<slug:provider>/refresh-metadata/", views.metadata_refresh,
         name="metadata_refresh"),
]

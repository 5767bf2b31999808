from django.urls import path

from varna.sso import views

app_name = "sso"

urlpatterns = [
    path("account/sso/<slug:municipality>/<slug:provider>/login/", views.begin, name="begin"),
    path("account/sso/<slug:municipality>/<slug:provider>/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("<slug:municipality>/manage/identity-providers/", views.provider_list, name="provider_list"),
    path("<slug:municipality>/manage/identity-providers/new/", views.provider_edit, name="provider_create"),
    path("<slug:municipality>/manage/identity-providers/<slug:provider>/", views.provider_edit, name="provider_edit"),
]

from django.urls import path

from varna.passkeys import views

app_name = "passkeys"

urlpatterns = [
    path("account/passkeys/", views.passkey_list, name="list"),
    path("account/passkeys/options/", views.register_options, name="register_options"),
    path("account/passkeys/add/", views.register, name="register"),
    path("account/passkeys/<int:pk>/remove/", views.remove, name="remove"),
    path("account/two-factor/passkey/", views.authenticate, name="authenticate"),
    path("account/two-factor/passkey/options/", views.authenticate_options, name="authenticate_options"),
]

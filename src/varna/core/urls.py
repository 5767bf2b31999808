from django.urls import path

from varna.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("account/login/", views.login_view, name="login"),
    path("account/two-factor/", views.two_factor, name="two_factor"),
    path("account/two-factor/backup-code/", views.two_factor_backup, name="two_factor_backup"),
    path("account/security/", views.account_security, name="account_security"),
    path("account/logout/", views.logout_view, name="logout"),
    path("account/sessions/", views.sessions, name="sessions"),
    path("account/invitation/<str:token>/", views.invitation, name="invitation"),
    path("<slug:municipality>/", views.municipality_home, name="municipality_home"),
    path("<slug:municipality>/manage/people/", views.people, name="people"),
    path("<slug:municipality>/manage/people/export.<str:file_format>", views.people_export, name="people_export"),
    path("<slug:municipality>/manage/people/<int:membership_id>/revoke/", views.people_revoke,
         name="people_revoke"),
    path("<slug:municipality>/manage/people/<int:membership_id>/second-factor/", views.second_factor_reset,
         name="second_factor_reset"),
    path("<slug:municipality>/manage/people/requests/<int:request_id>/approve/", views.role_request_decide,
         {"decision": "approve"}, name="role_request_approve"),
    path("<slug:municipality>/manage/people/requests/<int:request_id>/refuse/", views.role_request_decide,
         {"decision": "refuse"}, name="role_request_refuse"),
    path("<slug:municipality>/manage/audit/", views.audit_log, name="audit_log"),
    path("<slug:municipality>/manage/audit/export.<str:file_format>", views.audit_log_export,
         name="audit_log_export"),
]

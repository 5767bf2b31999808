from django.urls import path, register_converter

from varna.cases import views


class CaseCodeConverter:
    """``VX-7K3Q``: the fixed prefix and four characters of the code alphabet (case-insensitive input)."""

    regex = "[Vv][Xx]-[A-Za-z0-9]{4}"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseCodeConverter, "casecode")

app_name = "cases"

M = "<slug:municipality>/cases/"
C = M + "<casecode:code>/"

urlpatterns = [
    path(M, views.case_list, name="case_list"),
    path(M + "export.<str:file_format>", views.case_list_export, name="case_list_export"),
    path(M + "new/", views.case_open, name="case_open"),
    path(M + "log-review/", views.log_review, name="log_review"),
    path(M + "log-review/rounds/", views.review_start, name="review_start"),
    path(M + "log-review/rounds/<int:pk>/", views.review_detail, name="review_detail"),
    path(M + "statistics/", views.statistics, name="statistics"),
    path(M + "statistics/export.<str:file_format>", views.statistics_export, name="statistics_export"),
    path(M + "legal-bases/", views.legal_bases, name="legal_bases"),
    path(M + "legal-bases/<int:pk>/", views.legal_bases, name="legal_basis_edit"),
    path(C, views.case_detail, name="case_detail"),
    path(C + "edit/", views.case_edit, name="case_edit"),
    path(C + "status/", views.case_status, name="case_status"),
    path(C + "concern/", views.case_concern, name="case_concern"),
    path(C + "legal-hold/", views.case_legal_hold, name="case_legal_hold"),
    path(C + "notes/", views.note_add, name="note_add"),
    path(C + "signs/", views.sign_add, name="sign_add"),
    path(C + "participants/", views.participants, name="participants"),
    path(C + "participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path(C + "identity/", views.identity_reveal, name="identity_reveal"),
    path(C + "identity/edit/", views.identity_edit, name="identity_edit"),
    path(C + "referrals/new/", views.referral_create, name="referral_create"),
    path(C + "referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path(C + "access-log/", views.case_access_log, name="access_log"),
    path(C + "handover/", views.case_export, name="case_export"),
]

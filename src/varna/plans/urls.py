from django.urls import path

from varna.plans import views

app_name = "plans"

P = "<slug:municipality>/plans/<slug:plan>/"
V = P + "versions/<int:number>/"

urlpatterns = [
    path("<slug:municipality>/plans/", views.plan_list, name="plan_list"),
    path("<slug:municipality>/plans/import/", views.plan_import, name="plan_import"),
    path(P, views.plan_overview, name="plan_overview"),
    path(P + "levels/<slug:level>/", views.level_detail, name="level_detail"),
    path(P + "activities/", views.activity_table, name="activity_table"),
    path(P + "activities/export.<str:file_format>", views.activity_table_export, name="activity_table_export"),
    path(P + "plan.pdf", views.plan_pdf, name="plan_pdf"),
    path(P + "versions/", views.version_list, name="version_list"),
    path(P + "versions/export.<str:file_format>", views.version_list_export, name="version_list_export"),
    path(P + "versions/new/", views.draft_create, name="draft_create"),
    path(P + "review-interval/", views.plan_review_interval, name="plan_review_interval"),
    path(P + "compare/", views.version_compare, name="version_compare"),
    path(V, views.plan_overview, name="version_overview"),
    path(V + "levels/<slug:level>/", views.level_detail, name="version_level_detail"),
    path(V + "activities/", views.activity_table, name="version_activity_table"),
    path(V + "activities/export.<str:file_format>", views.activity_table_export,
         name="version_activity_table_export"),
    path(V + "plan.pdf", views.plan_pdf, name="version_pdf"),
    path(V + "export.yaml", views.version_export, name="version_export"),
    path(V + "edit/", views.draft_edit, name="draft_edit"),
    path(V + "delete/", views.draft_delete, name="draft_delete"),
    path(V + "approve/", views.version_approve, name="version_approve"),
    path(V + "send/", views.draft_send, name="draft_send"),
    path(V + "return/", views.draft_return, name="draft_return"),
    path(V + "activities/new/", views.activity_edit, name="activity_create"),
    path(V + "activities/<slug:key>/edit/", views.activity_edit, name="activity_edit"),
    path(V + "activities/<slug:key>/delete/", views.activity_delete, name="activity_delete"),
    path(V + "levels/<slug:level>/edit/", views.level_edit, name="level_edit"),
]

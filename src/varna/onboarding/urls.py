from django.urls import path

from varna.onboarding import views

app_name = "onboarding"

S = "<slug:municipality>/setup/"

urlpatterns = [
    path("platform/municipalities/", views.municipalities, name="municipalities"),
    path(S, views.checklist_view, name="checklist"),
    path(S + "publish/", views.publish, name="publish"),
    path(S + "units/", views.units, name="units"),
    path(S + "units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path(S + "groups/", views.groups, name="groups"),
    path(S + "groups/<int:pk>/", views.group_detail, name="group"),
    path(S + "groups/<int:pk>/members/<int:member>/remove/", views.group_member_remove, name="group_member_remove"),
    path(S + "people/", views.people, name="people"),
    path(S + "invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path(S + "districts/", views.districts, name="districts"),
    path(S + "knowledge/", views.knowledge_step, name="knowledge"),
    path(S + "routing/", views.routing, name="routing"),
]

from django.urls import path

from varna.meetings import views

app_name = "meetings"

M = "<slug:municipality>/meetings/"
D = M + "<int:pk>/"

urlpatterns = [
    path("calendar/<str:token>/meetings.ics", views.calendar_feed, name="calendar_feed"),
    path(M, views.meeting_list, name="meeting_list"),
    path(M + "new/", views.meeting_create, name="meeting_create"),
    path(M + "export.<str:file_format>", views.meeting_export, name="meeting_export"),
    path(M + "actions/", views.action_list, name="action_list"),
    path(M + "actions/export.<str:file_format>", views.action_export, name="action_export"),
    path(M + "actions/<int:pk>/status/", views.action_status, name="action_status"),
    path(M + "calendar/", views.calendar_settings, name="calendar_settings"),
    path(D, views.meeting_detail, name="meeting_detail"),
    path(D + "edit/", views.meeting_edit, name="meeting_edit"),
    path(D + "agenda/", views.agenda_add, name="agenda_add"),
    path(D + "agenda/refresh/", views.agenda_refresh, name="agenda_refresh"),
    path(D + "agenda/<int:item>/delete/", views.agenda_delete, name="agenda_delete"),
    path(D + "held/", views.meeting_held, name="meeting_held"),
    path(D + "cancel/", views.meeting_cancel, name="meeting_cancel"),
    path(D + "minutes/", views.minutes_save, name="minutes_save"),
    path(D + "decisions/", views.decision_add, name="decision_add"),
    path(D + "actions/", views.action_add, name="action_add"),
    path(D + "meeting.ics", views.meeting_ics, name="meeting_ics"),
    path(D + "minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
]

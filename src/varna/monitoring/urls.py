from django.urls import path

from varna.monitoring import views

app_name = "monitoring"

M = "<slug:municipality>/monitoring/"

urlpatterns = [
    path(M, views.item_list, name="item_list"),
    path(M + "export.<str:file_format>", views.item_export, name="item_export"),
    path(M + "items/<int:pk>/", views.item_detail, name="item_detail"),
    path(M + "items/<int:pk>/tag/", views.item_tag, name="item_tag"),
    path(M + "items/<int:pk>/untag/", views.item_untag, name="item_untag"),
    path(M + "items/<int:pk>/link/", views.item_link, name="item_link"),
    path(M + "items/<int:pk>/unlink/", views.item_unlink, name="item_unlink"),
    path(M + "items/<int:pk>/dismiss/", views.item_dismiss, name="item_dismiss"),
    path(M + "items/<int:pk>/restore/", views.item_restore, name="item_restore"),
    path(M + "feeds/", views.source_list, name="source_list"),
    path(M + "feeds/new/", views.source_create, name="source_create"),
    path(M + "feeds/<int:source_id>/", views.source_edit, name="source_edit"),
    path(M + "feeds/<int:source_id>/fetch/", views.source_fetch, name="source_fetch"),
    path(M + "feeds/<int:source_id>/active/", views.source_active, name="source_active"),
    path(M + "feeds/<int:source_id>/delete/", views.source_delete, name="source_delete"),
    path(M + "keywords/", views.keywords, name="keywords"),
]

from django.contrib import admin
from django.urls import include, path

from varna.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("varna.api.urls")),
    path("", include("varna.national.urls")),
    # Module URLs come before core's catch-all `<municipality>/`.
    path("", include("varna.plans.urls")),
    path("", include("varna.knowledge.urls")),
    path("", include("varna.guidance.urls")),
    path("", include("varna.cases.urls")),
    path("", include("varna.situation.urls")),
    path("", include("varna.followup.urls")),
    path("", include("varna.meetings.urls")),
    path("", include("varna.training.urls")),
    path("", include("varna.implementation.urls")),
    path("", include("varna.report.urls")),
    path("", include("varna.monitoring.urls")),
    path("", include("varna.core.urls")),
]

# MEDIA_ROOT is never served by path, not even in development: every uploaded file goes out through a view
# that checks the reader's permission first (varna.core.files).

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from varna.api.api import api
from varna.core.ratelimit import rate_limit

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's language switch, counted like every anonymous write (and on its own, since every page has it).
    path("i18n/setlang/", rate_limit("set_language", limit=30, window=60)(set_language), name="set_language"),
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
    path("", include("varna.analysis.urls")),
    path("", include("varna.monitoring.urls")),
    path("", include("varna.sso.urls")),
    path("", include("varna.passkeys.urls")),
    path("", include("varna.about.urls")),
    path("", include("varna.onboarding.urls")),
    path("", include("varna.core.urls")),
]

# MEDIA_ROOT is never served by path, not even in development: every uploaded file goes out through a view
# that checks the reader's permission first (varna.core.files).

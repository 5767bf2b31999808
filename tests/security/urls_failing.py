"""The real URLs plus views that fail, for the fail-closed tests (ASVS V4.1.5)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from varna.urls import urlpatterns as real_urlpatterns

SECRET_IN_EXCEPTION = "personnummer 19121212-1212 and token s3cr3t-t0ken"


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_IN_EXCEPTION)


urlpatterns = [path("test-failure/", failing_view), *real_urlpatterns]

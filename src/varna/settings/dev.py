"""Local development: `make run`. SQLite, debug on, a fixed development secret."""

import base64
import hashlib

from varna.settings.base import *  # noqa: F403
from varna.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-" + "x" * 40)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the app directories; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A development-only field key derived from the development secret, so `make run` needs no setup.
# It protects nothing: anyone with the source can derive it. Production refuses to start without a real key.
VARNA_FIELD_ENCRYPTION_KEY = env.str("VARNA_FIELD_ENCRYPTION_KEY", default="") or base64.urlsafe_b64encode(
    hashlib.sha256(("varna-dev-field-key:" + SECRET_KEY).encode()).digest()).decode()

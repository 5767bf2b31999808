"""Test settings: the database comes from DATABASE_URL (SQLite by default), hashing is fast."""

from varna.settings.base import *  # noqa: F403
from varna.settings.base import env

DEBUG = False
SECRET_KEY = "test-only-secret-" + "y" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
AXES_FAILURE_LIMIT = 5
VARNA_FIELD_ENCRYPTION_KEY = env.str("VARNA_FIELD_ENCRYPTION_KEY", default="")
# Serve static files straight from the app directories; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

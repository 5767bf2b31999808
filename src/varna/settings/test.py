"""Test settings: the database comes from DATABASE_URL (SQLite by default), hashing is fast."""

from varna.settings.base import *  # noqa: F403

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
# A fixed Fernet key for tests only (plus a retired one, so key rotation is exercised).
VARNA_FIELD_ENCRYPTION_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcy1sb24=,cmV0aXJlZC10ZXN0LWZpZWxkLWtleS0zMi1ieXRlcyE="
# Serve static files straight from the app directories; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test identity providers run on loopback over http.
VARNA_SSO_ALLOW_HTTP = True
# The tests' municipalities record observations in the words the situation picture had before the
# vocabulary became data (ADR 0018), the template's 2016 edition; tests of the 2024 edition install it.
VARNA_VOCABULARY_EDITION = "2016"

"""Production: PostgreSQL via DATABASE_URL, a real SECRET_KEY, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from varna.settings.base import *  # noqa: F403
from varna.settings.base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to at least 50 random characters in production.")

VARNA_FIELD_ENCRYPTION_KEY = env.str("VARNA_FIELD_ENCRYPTION_KEY", default="")
if not VARNA_FIELD_ENCRYPTION_KEY.strip():
    raise ImproperlyConfigured("VARNA_FIELD_ENCRYPTION_KEY must hold at least one Fernet key in production "
                               "(generate one with `python -c 'from cryptography.fernet import Fernet; "
                               "print(Fernet.generate_key().decode())'`).")

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True

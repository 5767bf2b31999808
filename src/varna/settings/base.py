"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("VARNA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
env.smart_cast = False

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'varna.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_email",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "varna.core",
    "varna.plans",
    "varna.knowledge",
    "varna.guidance",
    "varna.cases",
    "varna.situation",
    "varna.followup",
    "varna.meetings",
    "varna.training",
    "varna.implementation",
    "varna.report",
    "varna.analysis",
    "ninja",
    "varna.api",
    "varna.national",
    "varna.monitoring",
    "varna.sso",
    "varna.passkeys",
    "varna.about",
    "varna.onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "varna.core.middleware.SecurityHeadersMiddleware",
    "varna.core.middleware.NoStoreMiddleware",
    # Before any view reads the body (the CSRF check reads a form's fields): refuses it by its length.
    "varna.core.uploads.RequestSizeLimitMiddleware",
    "varna.core.ratelimit.AnonymousWriteLimitMiddleware",
    "varna.core.middleware.MunicipalityMiddleware",
    "varna.core.middleware.TwoFactorRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "varna.urls"
WSGI_APPLICATION = "varna.wsgi.application"

# One form system (varna.core.formsystem): {{ form }} and {{ field }} use Värna's templates.
FORM_RENDERER = "varna.core.formsystem.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "varna.core.context_processors.varna",
            ],
        },
    },
]

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sessions that began at a municipality's identity provider (never checks a password).
    "varna.sso.backends.IdentityProviderBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"

# Failed logins: five tries per account and address, then a 15-minute pause.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Värna"
# django-otp's own throttle pauses from the first wrong code, so a right code typed just after a mistyped one was
# refused; varna.core.two_factor decides instead (the devices still count failures).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_EMAIL_THROTTLE_FACTOR = 0
# At most one enrolment e-mail per half minute.
OTP_EMAIL_COOLDOWN_DURATION = 30
# Wrong second-factor codes in a row that cost nothing; after them each one doubles a pause, up to the maximum.
VARNA_TWO_FACTOR_FREE_TRIES = 3
VARNA_TWO_FACTOR_MAX_WAIT = 15 * 60
# How long the code e-mailed before an authenticator app is set up stays valid.
VARNA_ENROLMENT_CODE_SECONDS = 10 * 60
# Identity providers must use https; tests and development start theirs on loopback over http.
VARNA_SSO_ALLOW_HTTP = env.bool("VARNA_SSO_ALLOW_HTTP", default=False)

# Sessions: the browser forgets them on close; idle timeout is enforced by middleware per role.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# The CSRF cookie lives as long as the browser session, not Django's default year: the public guide must leave
# no trace on a shared or watched device once the browser is closed (ADR 0004). The language cookie, set only
# when someone switches language, is a session cookie too (LANGUAGE_COOKIE_AGE stays None).
CSRF_COOKIE_AGE = None
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "sv"
# varna.disclosure is a package, not an app: its refusals are translated from its own catalogue.
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "disclosure" / "locale"]
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files are handed out only by permission-checked views (varna.core.files): by Django itself, or by the
# web server after the check with X-Accel-Redirect (nginx) or X-Sendfile (Apache); see docs/adr/0011-uploaded-files.md.
# The national template edition a new municipality's vocabulary starts from (knowledge/data/vocabulary.yaml).
VARNA_VOCABULARY_EDITION = env.str("VARNA_VOCABULARY_EDITION", default="2024")
VARNA_FILE_SERVING = env.str("VARNA_FILE_SERVING", default="django")
if VARNA_FILE_SERVING not in ("django", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured("VARNA_FILE_SERVING must be django, x-accel-redirect or x-sendfile.")
VARNA_FILE_ACCEL_PREFIX = env.str("VARNA_FILE_ACCEL_PREFIX", default="/protected-media/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The one size limit for uploads, files given to the command line and API request bodies (varna.core.uploads).
VARNA_UPLOAD_MAX_BYTES = env.int("VARNA_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
if not 64 * 1024 <= VARNA_UPLOAD_MAX_BYTES <= 100 * 1024 * 1024:
    raise ImproperlyConfigured("VARNA_UPLOAD_MAX_BYTES must be between 65536 (64 KB) and 104857600 (100 MB).")
FILE_UPLOAD_MAX_MEMORY_SIZE = VARNA_UPLOAD_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = VARNA_UPLOAD_MAX_BYTES

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# Nothing is loaded from other hosts; inline scripts need the per-response nonce, inline styles are refused.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Background jobs run from the database by default, so nothing beyond Django is needed (`varna db_worker`);
# production may move them to Redis (VARNA_TASKS_BACKEND=redis, worker: `varna rqworker default --with-scheduler`,
# the scheduler runs jobs deferred with run_after).
VARNA_TASKS_BACKEND = env.str("VARNA_TASKS_BACKEND", default="database")
if VARNA_TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif VARNA_TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("VARNA_TASKS_BACKEND=redis needs REDIS_URL.")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}  # the worker must run Django tasks, not bare functions
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
else:
    raise ImproperlyConfigured(f"VARNA_TASKS_BACKEND must be 'database' or 'redis', not {VARNA_TASKS_BACKEND!r}.")

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="varna@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # One event is one line, whatever a user typed (ASVS V7.3.1).
    "formatters": {"plain": {"()": "varna.core.logformat.SafeFormatter",
                             "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The address people reach Värna at, for links in e-mails and calendar feeds.
VARNA_PUBLIC_URL = env.str("VARNA_PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
# Meeting agendas and the annual report take what other apps offer through AppConfig hooks
# (`agenda_sources`, `report_sections`; varna.core.plugins), checked at startup, not through settings.
# Roles whose members must use two-factor authentication.
VARNA_TWO_FACTOR_ROLES = ["coordinator", "administrator"]
# Roles that apply only once a second administrator approves them (separation of duties, ASVS V4.3.3): the
# coordinator sees every case, and an administrator could otherwise approve their own requests via a second
# account. The municipality's coordinators are told of every request and grant of these roles.
VARNA_ROLES_NEEDING_APPROVAL = ["coordinator", "administrator"]
# How long an e-mailed invitation link works (it works once).
VARNA_INVITATION_DAYS = env.int("VARNA_INVITATION_DAYS", default=7)
if not 1 <= VARNA_INVITATION_DAYS <= 30:
    raise ImproperlyConfigured("VARNA_INVITATION_DAYS must be between 1 and 30.")
# Every logged-in session ends after 30 idle minutes and at the latest 12 hours after login.
VARNA_SESSION_IDLE_SECONDS = 30 * 60
VARNA_SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# Where "Leave this page quickly" in the public guide goes: a neutral site that looks ordinary in a history.
VARNA_QUICK_EXIT_URL = env.str("VARNA_QUICK_EXIT_URL", default="https://www.smhi.se")
# The national contact list belongs to no municipality, so no municipality's own age applies to it: a national
# entry not verified for this many days is mailed weekly to the platform administrators. Same bounds as a
# municipality's choice (guidance.DirectorySettings).
VARNA_NATIONAL_CONTACTS_STALE_DAYS = env.int("VARNA_NATIONAL_CONTACTS_STALE_DAYS", default=365)
if not 30 <= VARNA_NATIONAL_CONTACTS_STALE_DAYS <= 1095:
    raise ImproperlyConfigured("VARNA_NATIONAL_CONTACTS_STALE_DAYS must be between 30 and 1095.")

# Apps add their own two-factor rules (case participants, the national contact list) through the
# `requires_two_factor` AppConfig hook (varna.core.plugins).
# Case events name case codes: the general audit log leaves them out; the cases log review shows them.
VARNA_AUDIT_LOG_EXCLUDED_PREFIXES = ["cases."]
# Fernet keys for encrypted case fields, comma-separated; the first encrypts, all decrypt (key rotation).
# Empty here: dev derives a development key, test uses a fixed one, production refuses to start without.
VARNA_FIELD_ENCRYPTION_KEY = env.str("VARNA_FIELD_ENCRYPTION_KEY", default="")
# A closed case is purged this many days after it was closed, unless it is on legal hold.
VARNA_CASE_RETENTION_DAYS = env.int("VARNA_CASE_RETENTION_DAYS", default=365 * 2)
# A referral without an answer after this many days is flagged and its sender reminded.
VARNA_REFERRAL_REMINDER_DAYS = env.int("VARNA_REFERRAL_REMINDER_DAYS", default=14)

# Minutes between two scheduled fetches of the monitoring feeds (the fetch_feeds task queues its next run).
VARNA_MONITORING_FETCH_MINUTES = env.int("VARNA_MONITORING_FETCH_MINUTES", default=60)
if not 5 <= VARNA_MONITORING_FETCH_MINUTES <= 7 * 24 * 60:
    raise ImproperlyConfigured("VARNA_MONITORING_FETCH_MINUTES must be between 5 and 10080 (a week).")
# Feeds on a private network (an intranet) may be fetched only when this is set; by default Värna refuses
# addresses that lead to itself or a private network.
VARNA_MONITORING_ALLOW_PRIVATE_ADDRESSES = env.bool("VARNA_MONITORING_ALLOW_PRIVATE_ADDRESSES", default=False)

# Rate limits per client address (varna.core.ratelimit): {"scope": (requests, seconds)} overrides a view's own.
VARNA_RATE_LIMITS: dict[str, tuple[int, int]] = {}
VARNA_RATE_LIMITS_ENABLED = env.bool("VARNA_RATE_LIMITS_ENABLED", default=True)
# How many reverse proxies in front of Värna append to X-Forwarded-For (0: use the connection's address).
# Rate limits, the audit log and sessions read the client's address by this one rule (varna.core.clientip).
VARNA_TRUSTED_PROXY_COUNT = env.int("VARNA_TRUSTED_PROXY_COUNT", default=0)
if not 0 <= VARNA_TRUSTED_PROXY_COUNT <= 10:
    raise ImproperlyConfigured("VARNA_TRUSTED_PROXY_COUNT must be between 0 and 10 (the proxies in front of Värna).")
# Pages never kept in a browser or proxy cache, even for a visitor who is not logged in (ASVS V8.2.1);
# every response to a logged-in user is never stored anyway.
VARNA_NO_STORE_PATH_PREFIXES = ["/account/"]
VARNA_NO_STORE_NAMESPACES = ["cases"]

"""Settings shared by every run mode.

Every value that differs between machines is read from the environment through django-environ;
the defaults here give the *embedded* mode (SQLite under ``var/``, local-memory cache, eager Celery,
filesystem media, console email) so a fresh clone runs with no configuration at all.
The README's configuration table documents every variable read here.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# --- core -----------------------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghij")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # third party
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_celery_beat",
    "django_htmx",
    "csp",
    "axes",
    "import_export",
    "taggit",
    "django.contrib.postgres",
    # ours, in dependency order (DESIGN.md §4)
    "accounts",
    "physed",
    "safety",
    "progress",
    "assessments",
    "content",
    "memory",
    "assistant",
]

MIDDLEWARE = [
    "config.middleware.RequestIDMiddleware",
    "config.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware_preferences.PreferencesMiddleware",
    "config.middleware.LogContextMiddleware",
    "accounts.middleware_audit.ApiWriteLogMiddleware",
    "accounts.middleware_activity.ActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.WebSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.ApiCacheMiddleware",
    # last, as django-axes asks: turns a lockout flagged during the request into the 429 page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "accounts.context_processors_preferences.preferences",
            ],
        },
    },
]

# --- data -----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # persistent connections with a health check so a restarted server does not break requests
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="pe"),
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pe"}}

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out attempt before any backend hashes a password
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"),
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "region_name": env("S3_REGION", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            # private bucket: files are only reachable through short-lived signed URLs
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("MAX_REQUEST_BODY_BYTES", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
# uploads (avatars, attachments) may be larger than JSON bodies
MAX_UPLOAD_BODY_BYTES = env.int("MAX_UPLOAD_BODY_BYTES", default=10 * 1024 * 1024)
# multipart bodies on the movement-analysis video upload paths (the service caps the file at 50 MB)
MAX_VIDEO_UPLOAD_BYTES = env.int("MAX_VIDEO_UPLOAD_BYTES", default=52 * 1024 * 1024)
# safety: largest private document (a medical action plan: PDF, PNG or JPEG)
SAFETY_MAX_DOCUMENT_BYTES = env.int("SAFETY_MAX_DOCUMENT_BYTES", default=5 * 1024 * 1024)

# --- email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PE Platform <no-reply@pe-platform.local>")

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # simplejwt's JWTAuthentication + the session (refresh-token family) must still be active
        "accounts.api.authentication.SessionJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.StandardPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": [
        "config.api.filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "config.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.throttles.AnonRateThrottle",
        "config.api.throttles.UserRateThrottle",
        "config.api.throttles.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="1200/min"),
        "auth": env("THROTTLE_AUTH", default="20/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": env("JWT_SIGNING_KEY", default=SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "PE Platform API",
    "DESCRIPTION": "Physical-education platform: classes, attendance, safety, assessments, progress.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.Role.choices",
        "PermissionCodenameEnum": "accounts.api.rbac_serializers.CODENAME_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
        "config.api.schema.require_digits_in_decimals",
    ],
}

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE
# periodic jobs; each app's block below may add entries (beat syncs them into django-celery-beat)
CELERY_BEAT_SCHEDULE = {
    "delete-expired-role-assignments": {"task": "accounts.delete_expired_role_assignments", "schedule": 3600.0},
    "flush-permission-stats": {"task": "accounts.flush_permission_stats", "schedule": 300.0},
}

# --- security headers (hardened further in production.py) -----------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- logging --------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="text")  # "json" in production
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logging.RequestContextFilter"}},
    "formatters": {
        "text": {
            "format": (
                "%(asctime)s %(levelname)s %(name)s "
                "[req=%(request_id)s user=%(user_id)s school=%(school_id)s] %(message)s"
            )
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message", "request_id", "user_id", "school_id"],
            "style": "{",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["context"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# --- product settings -----------------------------------------------------------------------
DEMO_PASSWORD = "demo-pass-2024"
# effective permissions are cached per user for at most this long (and invalidated on change)
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=300)
# permission-decision statistics are counted per process and added to the cache in batches
PERMISSION_STATS_BUFFER_SECONDS = env.float("PERMISSION_STATS_BUFFER_SECONDS", default=5.0)
PERMISSION_STATS_BUFFER_MAX = env.int("PERMISSION_STATS_BUFFER_MAX", default=500)

# --- accounts security: lockout (django-axes), sessions and devices — owned by the auth/sessions work ---
# Lockout (django-axes). Two tiers on the database handler: username+IP locks after
# AXES_FAILURE_LIMIT failures, the IP alone after AUTH_LOCKOUT_IP_FAILURE_LIMIT failures (any usernames),
# both within the cool-off window. The lock check runs before any password hashing
# (AxesStandaloneBackend first in AUTHENTICATION_BACKENDS).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AUTH_LOCKOUT_IP_FAILURE_LIMIT = env.int("AUTH_LOCKOUT_IP_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.axes_handler.TieredAxesHandler"
AXES_USERNAME_CALLABLE = "accounts.axes_handler.username_from"
AXES_LOCKOUT_CALLABLE = "accounts.views_security.locked_out_response"
AXES_RESET_ON_SUCCESS = True  # only the username+IP tier is reset (see TieredAxesHandler)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # blocked attempts do not extend the lock
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded as UserSession rows and audit events instead
# masked in axes' stored request data and log lines (emails and IPs are personal data too)
AXES_SENSITIVE_PARAMETERS = ["username", "email", "ip_address", "password", "new_password", "current_password"]
LOGGING["loggers"]["axes"] = {"level": "WARNING"}

# Links in emails (verification, password reset, security notices) start with this address
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Email verification and password reset links
EMAIL_VERIFICATION_MAX_AGE = timedelta(hours=env.int("EMAIL_VERIFICATION_HOURS", default=48))
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_MINUTES", default=60) * 60

# Sign-in sessions (web and API). Page sessions end after AUTH_SESSION_IDLE_MINUTES without a
# request and AUTH_SESSION_ABSOLUTE_HOURS after sign-in, whatever happens; API sessions are
# refresh-token families that live as long as the refresh token (JWT_REFRESH_DAYS).
AUTH_SESSION_IDLE_MINUTES = env.int("AUTH_SESSION_IDLE_MINUTES", default=60)
AUTH_SESSION_ABSOLUTE_HOURS = env.int("AUTH_SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = AUTH_SESSION_ABSOLUTE_HOURS * 3600
# "last seen" is written at most this often per session (a write per request would be wasteful)
AUTH_SESSION_TOUCH_SECONDS = env.int("AUTH_SESSION_TOUCH_SECONDS", default=60)
# concurrent sessions a user may hold, by their most generous role ("default" for everyone else,
# "staff" for platform staff); signing in past the limit ends the oldest session.
# Env overrides single entries, e.g. AUTH_MAX_SESSIONS="student=2;teacher=8".
AUTH_MAX_SESSIONS = {
    "default": 5,
    "staff": 5,
    "school_admin": 5,
    "department_head": 5,
    "teacher": 5,
    "assistant": 5,
    "student": 3,
    "guardian": 3,
    **env.dict("AUTH_MAX_SESSIONS", cast={"value": int}, default={}),
}
# a refresh token presented again within this many seconds of its rotation is refused without
# revoking the family (two racing requests of one client); 0 = every reuse revokes the family
AUTH_REFRESH_REUSE_GRACE_SECONDS = env.int("AUTH_REFRESH_REUSE_GRACE_SECONDS", default=0)
# ended/expired session rows are deleted this many days later
AUTH_SESSION_RETENTION_DAYS = env.int("AUTH_SESSION_RETENTION_DAYS", default=90)
# security monitoring: a sign-in after this many failed attempts for the account within the window,
# or a session seen from this many distinct (truncated) IP addresses, is flagged for school admins
AUTH_MONITOR_FAILURE_BURST = env.int("AUTH_MONITOR_FAILURE_BURST", default=3)
AUTH_MONITOR_FAILURE_WINDOW_MINUTES = env.int("AUTH_MONITOR_FAILURE_WINDOW_MINUTES", default=60)
AUTH_MONITOR_MAX_IPS = env.int("AUTH_MONITOR_MAX_IPS", default=3)
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "cleanup-user-sessions": {"task": "accounts.cleanup_sessions", "schedule": 6 * 3600.0},
}


# --- audit log — owned by the audit work ---
# Audit rows older than this many days are deleted by the daily purge (the only deletion path);
# 0 or less keeps them forever.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=730)
# one line per unsafe API request (accounts.middleware_audit) stays on even when LOG_LEVEL is higher
LOGGING["loggers"]["accounts.audit.requests"] = {"level": "INFO"}


def _audit_beat_schedule():
    from celery.schedules import crontab

    return {
        "audit-purge-expired": {
            "task": "accounts.audit.purge_expired_audit_events",
            "schedule": crontab(hour=3, minute=30),
        }
    }


# merged, so schedules defined in other blocks of this file survive
CELERY_BEAT_SCHEDULE = {**globals().get("CELERY_BEAT_SCHEDULE", {}), **_audit_beat_schedule()}

# --- user system: profiles and avatars ---
# profile pictures: checked by content (JPEG/PNG/WebP), re-encoded to WebP at these sizes (px),
# stored in the default storage under unguessable names and served only by a permission check
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=5 * 1024 * 1024)
AVATAR_MAX_SIDE = env.int("AVATAR_MAX_SIDE", default=4096)
AVATAR_SIZES = {"small": 64, "large": 256}
AVATAR_STORAGE_PREFIX = "avatars"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["FieldVisibilityEnum"] = "accounts.models.profiles.FieldVisibility.choices"
CELERY_BEAT_SCHEDULE["purge-orphaned-avatars"] = {"task": "accounts.purge_orphaned_avatars", "schedule": 24 * 3600.0}

# --- user system: preferences and notifications ---
# UTC hour at which the daily notification digest (and emails held for quiet hours) goes out
NOTIFICATIONS_DIGEST_HOUR_UTC = env.int("NOTIFICATIONS_DIGEST_HOUR_UTC", default=6)


def _preferences_beat_schedule():
    from celery.schedules import crontab

    return {
        "notifications-daily-digest": {
            "task": "accounts.preferences.send_daily_digests",
            "schedule": crontab(hour=NOTIFICATIONS_DIGEST_HOUR_UTC, minute=0),
        }
    }


CELERY_BEAT_SCHEDULE["notifications-daily-digest"] = _preferences_beat_schedule()["notifications-daily-digest"]
# one OpenAPI enum for every language field (school default, user preference)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["LanguageEnum"] = LANGUAGES

# --- user system: activity tracking and analytics ---
# Activity events are kept this many days unless a school's policy says otherwise (≈ 13 months).
ACTIVITY_RETENTION_DAYS = env.int("ACTIVITY_RETENTION_DAYS", default=395)
# Requests append events to a cache buffer; a request flushes one batch (one INSERT) when the buffer
# holds this many events; the beat task (and the activity pages) flush the rest every minute.
ACTIVITY_BUFFER_MAX_EVENTS = env.int("ACTIVITY_BUFFER_MAX_EVENTS", default=100)
ACTIVITY_BUFFER_TTL_SECONDS = env.int("ACTIVITY_BUFFER_TTL_SECONDS", default=24 * 3600)
# events of one user further apart than this start a new session (analytics)
ACTIVITY_SESSION_GAP_MINUTES = env.int("ACTIVITY_SESSION_GAP_MINUTES", default=30)
# a user sees a satisfaction prompt at most once per this many days (schools may lengthen it)
SATISFACTION_PROMPT_INTERVAL_DAYS = env.int("SATISFACTION_PROMPT_INTERVAL_DAYS", default=30)
# disengagement risk: fewer training examples (or of either class) than this → no score, a notice
RISK_MIN_SAMPLES = env.int("RISK_MIN_SAMPLES", default=20)
RISK_MIN_PER_CLASS = env.int("RISK_MIN_PER_CLASS", default=4)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ActivityKindEnum": "accounts.models.activity.ActivityKind.choices",
        "SessionKindEnum": "accounts.models.sessions.SessionKind.choices",
        "SatisfactionKindEnum": "accounts.models.activity.SatisfactionKind.choices",
        "TrackingLevelEnum": "accounts.api.activity_serializers.TRACKING_LEVELS",
    }
)
CELERY_BEAT_SCHEDULE["flush-activity-buffer"] = {"task": "accounts.flush_activity", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["purge-expired-activity"] = {"task": "accounts.purge_activity", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["fit-risk-models"] = {"task": "accounts.fit_risk_models", "schedule": 7 * 24 * 3600.0}

# --- user system: data export, import, erasure, retention ---
# Export archives live in this storage alias (private: never under MEDIA_URL); download links
# expire after PRIVACY_EXPORT_LINK_HOURS (at most 72).
PRIVACY_EXPORT_STORAGE = "privacy"
STORAGES["privacy"] = (
    {
        **STORAGES["default"],
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": "private", "querystring_expire": 300},
    }
    if MEDIA_STORAGE == "s3"
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private")},
    }
)
PRIVACY_EXPORT_LINK_HOURS = min(env.int("PRIVACY_EXPORT_LINK_HOURS", default=48), 72)
# roster imports: largest CSV accepted
# physed: load the shipped activity/exercise library and metric registry after every migrate
# (safety's shipped environment rule sets and default risk bands follow the same switch)
PHYSED_LOAD_SHIPPED_ON_MIGRATE = True

# --- safety ---------------------------------------------------------------------------------
# an optional weather/air-quality provider: dotted path to a class implementing
# safety.weather_providers.WeatherProvider (empty = readings are entered by staff only)
SAFETY_WEATHER_PROVIDER = env("SAFETY_WEATHER_PROVIDER", default="")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "EmergencyKindEnum": "safety.models.protocols.EmergencyKind.choices",
        "ProtocolStatusEnum": "safety.models.protocols.ProtocolStatus.choices",
        "IncidentKindEnum": "safety.models.incidents.IncidentKind.choices",
        "IncidentStatusEnum": "safety.models.incidents.IncidentStatus.choices",
        "IncidentSeverityEnum": "safety.models.incidents.IncidentSeverity.choices",
        "IncidentAmendmentKindEnum": "safety.models.incidents.AmendmentKind.choices",
        "EquipmentStatusEnum": "safety.models.equipment.EquipmentStatus.choices",
        "InspectionKindEnum": "safety.models.equipment.InspectionKind.choices",
        "CheckResultEnum": "safety.models.equipment.CheckResult.choices",
        "MaintenanceKindEnum": "safety.models.equipment.MaintenanceKind.choices",
        "ConditionKindEnum": "safety.models.medical.ConditionKind.choices",
        "ConditionSeverityEnum": "safety.models.medical.ConditionSeverity.choices",
    }
)
CELERY_BEAT_SCHEDULE["safety-review-reminders"] = {"task": "safety.remind_reviews", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["safety-assessment-review-reminders"] = {
    "task": "safety.remind_assessment_reviews",
    "schedule": 24 * 3600.0,
}
CELERY_BEAT_SCHEDULE["safety-fetch-environment"] = {"task": "safety.fetch_environment_readings", "schedule": 900.0}
CELERY_BEAT_SCHEDULE["safety-evaluate-live-sessions"] = {"task": "safety.evaluate_live_sessions", "schedule": 900.0}
CELERY_BEAT_SCHEDULE["safety-fit-risk-models"] = {"task": "safety.fit_risk_models", "schedule": 7 * 24 * 3600.0}

# --- assessments and progress -----------------------------------------------------------------
# largest evidence file on a skill assessment (PNG, JPEG, PDF or MP4, checked by content)
ASSESSMENTS_MAX_EVIDENCE_BYTES = env.int("ASSESSMENTS_MAX_EVIDENCE_BYTES", default=25 * 1024 * 1024)

# content library (issue 8): the longest Markdown body (characters), the largest attachment, and the
# PostgreSQL text-search configuration the search vector and queries use (stemming language)
CONTENT_MAX_BODY_CHARS = env.int("CONTENT_MAX_BODY_CHARS", default=100_000)
CONTENT_MAX_ATTACHMENT_BYTES = env.int("CONTENT_MAX_ATTACHMENT_BYTES", default=25 * 1024 * 1024)
CONTENT_SEARCH_CONFIG = env.str("CONTENT_SEARCH_CONFIG", default="english")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ContentKindEnum": "content.models.items.ContentKind.choices",
        "ContentStatusEnum": "content.models.items.ContentStatus.choices",
    }
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "FeedbackKindEnum": "assessments.models.feedback.FeedbackKind.choices",
        "TestEventStatusEnum": "assessments.models.fitness.TestEventStatus.choices",
        "ReportStatusEnum": "assessments.models.reports.ReportStatus.choices",
        "JobStatusEnum": "accounts.models.privacy.JobStatus.choices",
    }
)
CELERY_BEAT_SCHEDULE["progress-mark-missed-goals"] = {"task": "progress.mark_missed_goals", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["progress-evaluate-achievements"] = {
    "task": "progress.evaluate_achievements",
    "schedule": 24 * 3600.0,
}

PRIVACY_IMPORT_MAX_BYTES = env.int("PRIVACY_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
# retention enforced daily; defaults (days) for categories a school has not set
PRIVACY_RETENTION_DEFAULTS = {"notifications": 365, "sessions": 180}
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "privacy-enforce-retention": {"task": "accounts.privacy.enforce_retention", "schedule": 24 * 3600.0},
}

# --- physical education core: names for the OpenAPI enums shared by several fields ---
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ModificationKindEnum": "physed.models.adaptation.ModificationKind.choices",
        "RestrictionKindEnum": "physed.models.adaptation.RestrictionKind.choices",
        "ProposalDirectionEnum": "physed.models.adaptation.ProposalDirection.choices",
        "ProposalStatusEnum": "physed.models.adaptation.ProposalStatus.choices",
        "FeedbackActionEnum": "physed.models.adaptation.FeedbackAction.choices",
        "GradeBandEnum": "physed.models.library.GradeBand.choices",
        "ActivityCategoryEnum": "physed.models.library.ActivityCategory.choices",
        "ExerciseCategoryEnum": "physed.models.library.ExerciseCategory.choices",
        "FitnessComponentEnum": "physed.models.library.FitnessComponent.choices",
        "GradeEnum": "physed.models.roster.GRADE_CHOICES",
        "AttendanceStatusEnum": "physed.models.sessions.AttendanceStatus.choices",
        "SessionStatusEnum": "physed.models.sessions.SessionStatus.choices",
        "ValueKindEnum": "physed.models.sessions.ValueKind.choices",
        "StudentStatusEnum": "physed.models.roster.StudentStatus.choices",
        "EnrollmentStatusEnum": "physed.models.roster.EnrollmentStatus.choices",
    }
)


def _retention_categories():
    """The retention categories come from the personal-data registry (apps register them)."""
    from accounts.privacy import registry

    return sorted({entry.category for entry in registry.retention_entries()})


SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "RetentionCategoryEnum": _retention_categories,
        "TrendDirectionEnum": "physed.api.sessions_analytics_serializers.DIRECTIONS",
    }
)

# --- memory (issue 9 §1; docs/memory.md) ---
# text-search configuration of the memory index on PostgreSQL
MEMORY_SEARCH_CONFIG = env.str("MEMORY_SEARCH_CONFIG", default="english")
# the recency part of a memory's score halves every this many days
MEMORY_RECENCY_HALF_LIFE_DAYS = env.float("MEMORY_RECENCY_HALF_LIFE_DAYS", default=30.0)
# clean-up: at most this many memories per person and school (lowest scores go first; pinned stay)
MEMORY_MAX_PER_USER = env.int("MEMORY_MAX_PER_USER", default=500)
# clean-up: episodes older than this many days are consolidated into one summary per month
MEMORY_CONSOLIDATE_AFTER_DAYS = env.int("MEMORY_CONSOLIDATE_AFTER_DAYS", default=60)
# clean-up: importance of unpinned memories not used for a while decays by this factor per week
MEMORY_DECAY_PER_WEEK = env.float("MEMORY_DECAY_PER_WEEK", default=0.95)

# --- assistant (issue 9 §2; docs/assistant.md) ---
# "builtin" (offline, the default) or "openai" (any OpenAI-compatible chat-completions API)
ASSISTANT_PROVIDER = env.str("ASSISTANT_PROVIDER", default="builtin")
ASSISTANT_OPENAI_BASE_URL = env.str("ASSISTANT_OPENAI_BASE_URL", default="")
ASSISTANT_OPENAI_MODEL = env.str("ASSISTANT_OPENAI_MODEL", default="")
ASSISTANT_OPENAI_API_KEY = env.str("ASSISTANT_OPENAI_API_KEY", default="")
# the configured model accepts images (image attachments are passed to it)
ASSISTANT_OPENAI_VISION = env.bool("ASSISTANT_OPENAI_VISION", default=False)
ASSISTANT_OPENAI_TIMEOUT_SECONDS = env.float("ASSISTANT_OPENAI_TIMEOUT_SECONDS", default=30.0)
# longest message a person may send, in characters
ASSISTANT_MAX_MESSAGE_CHARS = env.int("ASSISTANT_MAX_MESSAGE_CHARS", default=4000)
# token budget of the context built for each reply (persona, memories, recent messages, summaries)
ASSISTANT_CONTEXT_TOKENS = env.int("ASSISTANT_CONTEXT_TOKENS", default=1500)
# messages a person may send per minute and per day
ASSISTANT_RATE_PER_MINUTE = env.int("ASSISTANT_RATE_PER_MINUTE", default=20)
ASSISTANT_RATE_PER_DAY = env.int("ASSISTANT_RATE_PER_DAY", default=500)
ASSISTANT_MAX_ATTACHMENT_BYTES = env.int("ASSISTANT_MAX_ATTACHMENT_BYTES", default=5 * 1024 * 1024)
# nightly memory clean-up: merge near-duplicates, consolidate old episodes, decay, expire, cap (memory.tasks)
CELERY_BEAT_SCHEDULE["memory-maintenance"] = {"task": "memory.maintenance", "schedule": 24 * 3600.0}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["MemoryKindEnum"] = "memory.models.memories.MemoryKind.choices"

# --- reliability: export retries, Redis outages (docs/reliability.md) ---
# An export is tried at most PRIVACY_EXPORT_MAX_ATTEMPTS times (transient errors back off
# exponentially from PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS, capped); a run holds a lease on its job
# for PRIVACY_EXPORT_LEASE_SECONDS, renewed at every progress step — a redelivered message takes the
# job over only once the lease has expired (its worker died).
PRIVACY_EXPORT_MAX_ATTEMPTS = env.int("PRIVACY_EXPORT_MAX_ATTEMPTS", default=3)
PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS = env.float("PRIVACY_EXPORT_RETRY_BACKOFF_SECONDS", default=10.0)
PRIVACY_EXPORT_RETRY_BACKOFF_MAX_SECONDS = env.float("PRIVACY_EXPORT_RETRY_BACKOFF_MAX_SECONDS", default=300.0)
PRIVACY_EXPORT_LEASE_SECONDS = env.int("PRIVACY_EXPORT_LEASE_SECONDS", default=300)
# an unacknowledged message (its worker was SIGKILLed) is redelivered after this many seconds (Redis broker)
# (CELERY_BROKER_TRANSPORT_OPTIONS, JSON, adds or overrides kombu options, e.g. the restore sweep)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    **env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={}),
}
# Redis down: the cache is an optimisation, never a dependency of a request — django-redis swallows
# connection errors (a miss on read, a no-op on write) without logging each one (that would flood the
# log during an outage); /readyz reports "cache".
# Sessions live in the database (SESSION_ENGINE default) and lockouts in axes' database handler, so
# neither depends on Redis; DRF throttles and other cache counters fail open while it is away.
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    CACHES["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"] = True
# PostgreSQL down: every request answers a clean 503 (config.middleware_unavailable)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "config.middleware_unavailable.DatabaseUnavailableMiddleware",
)
LOGGING["filters"]["not_db_unavailable"] = {"()": "config.middleware_unavailable.NotDatabaseUnavailable"}
LOGGING["loggers"]["django.request"]["filters"] = ["not_db_unavailable"]

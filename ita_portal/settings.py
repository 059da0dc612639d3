"""Settings, read from the environment (see README.md, "Settings")."""

from datetime import timedelta
from pathlib import Path

import environ
import fontpkg_sarabun
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    REDIS_URL=(str, ""),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
# The fallback key only serves local development; production must set SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "health_check",
    "django_prometheus",
    # By audience, each importing only the apps below it (docs/architecture.md).
    "staff",
    "portal",
    "api",
    "publication",
    "reports",
    "accounts",
    "measures",
    # The project's signal receivers: metrics and the workers' heartbeat (ita_portal/apps.py).
    "ita_portal",
]

MIDDLEWARE = [
    # Outermost, with PrometheusAfterMiddleware innermost but one: the metrics time and count
    # the whole request (ita_portal/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # The request's id in every log line and in X-Request-ID (ita_portal/log.py).
    "ita_portal.log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ita_portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Published files the cache knows, answered here as WhiteNoise answers static files.
    "portal.middleware.StoredFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ita_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After the others: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Once the user is known, innermost: may this request read from the replica, and if so
    # the view is called without ATOMIC_REQUESTS' transaction on the primary (db_router.py).
    "ita_portal.db_router.ReplicaMiddleware",
]

ROOT_URLCONF = "ita_portal.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "ita_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A read replica of it: the public pages and the API read there (ita_portal/db_router.py), but
# for a signed-in user's request and any within REPLICA_AFTER_WRITE_SECONDS of one that wrote.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL", default="")
REPLICA_AFTER_WRITE_SECONDS = env.int("REPLICA_AFTER_WRITE_SECONDS", default=10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    # The tests have one database; the routing tests serve a real pair (tests/deploy).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ita_portal.db_router.ReplicaRouter"]
# Each query counted and timed for /metrics, by database (django-prometheus's wrappers).
for _database in DATABASES.values():
    _database["ENGINE"] = _database["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A measure form at every limit of its own sends about 4,400 fields (staff/measure_form.py,
# MEASURE_FORM_MAX_FIELDS): its limits answer first, beside the field; beyond this, a plain 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Every web server reads a login made on any other (the cache first, the database behind it,
    # so that a restarted Redis logs no one out).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks (a published version's PDF, a large report's staff preview, a large import): on Redis
# with a worker in production (`celery -A ita_portal worker`); otherwise in this process, in a
# background thread once the request's transaction has committed (publication/tasks.py; an
# import still runs in the request that confirmed it), or at once where they are queued when
# TASKS_EAGER (the tests' setting, tests/conftest.py).
TASKS_INLINE = not REDIS_URL
TASKS_EAGER = False
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = TASKS_INLINE
CELERY_TASK_SERIALIZER = "json"
# A worker that dies in the middle of a task (killed, out of memory, its machine gone) loses no
# task: a message is acknowledged only once its task ended, a task whose pool process died goes
# back to the queue at once, and one whose whole worker died is delivered again by Redis after
# CELERY_VISIBILITY_TIMEOUT seconds (longer than any render, which stops itself after eleven
# minutes: publication.tasks). Each worker process takes one task at a time, so a dead worker
# holds back no others. The tasks are idempotent: delivered twice, they store one file.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for messages whose worker died (kombu's sweep, every ~100 s by
    # default): the tests make it short.
    "unacked_restore_interval": env.int("CELERY_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_RESTORE_THROTTLE", default=10),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs, run by `celery -A ita_portal beat` (one, whatever the number of workers), at
# Bangkok time (TIME_ZONE).
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_BEAT_SCHEDULE = {
    "deadline-reminders": {
        "task": "publication.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "nightly-backup": {
        "task": "publication.tasks.backup_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "search-reindex": {
        "task": "publication.tasks.search_reindex",
        "schedule": crontab(hour=3, minute=0),
    },
    "pack-closed-reports": {
        "task": "publication.tasks.pack_closed_reports",
        "schedule": crontab(hour=3, minute=30),
    },
}
# The reminders go this many days before each fiscal year's OIT deadline (publication.reminders).
DEADLINE_REMINDER_DAYS = env.list("DEADLINE_REMINDER_DAYS", cast=int, default=[30, 7, 1])
# The nightly backup's folder and how many archives it keeps there (publication.periodic).
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "private" / "backups")
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# A published version's stored files handed to the web server instead of streamed by Django
# (portal.views._download): its header (X-Accel-Redirect for nginx) and where it serves MEDIA_ROOT
# internally; the stored file's name follows. Empty: Django streams the file.
SENDFILE_HEADER = env("SENDFILE_HEADER", default="")
SENDFILE_PREFIX = env("SENDFILE_PREFIX", default="/protected-media/")
# The portal's seal on published PDFs (publication.seal): PEM files of its certificate and private
# key, or the PEM itself. Empty: the demo's self-signed pair that load_demo makes in the private
# storage ("private/seal" beside MEDIA_ROOT, or under the object store's "private/" prefix).
SEAL_CERTIFICATE = env("SEAL_CERTIFICATE", default="")
SEAL_KEY = env("SEAL_KEY", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Sarabun comes from its package and is served by the portal, never from a CDN.
    ("fonts/sarabun", Path(fontpkg_sarabun.__file__).parent / "files"),
    # Bootstrap, installed from the npm registry by `make` (package.json).
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed and compressed whatever DEBUG says, so that collectstatic always writes the manifest
    # (named unhashed while WhiteNoise serves from the app folders: ita_portal/staticfiles.py).
    "staticfiles": {"BACKEND": "ita_portal.staticfiles.StaticFilesStorage"},
}
# In development static files come straight from the app folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Stored files (published PDFs and open data, the demo seal): on this server's disk under
# MEDIA_ROOT, or, when AWS_STORAGE_BUCKET_NAME is set, in an S3-compatible object store that every
# web server and worker shares (django-storages, its own setting names), nothing under MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)  # MinIO, Ceph; None: AWS
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_S3_ADDRESSING_STYLE = env("AWS_S3_ADDRESSING_STYLE", default=None)  # "path" for MinIO
    AWS_S3_SIGNATURE_VERSION = env("AWS_S3_SIGNATURE_VERSION", default="s3v4")
    # AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are read from the environment by django-storages.
    AWS_S3_FILE_OVERWRITE = False  # a name taken gets another, as on disk: nothing is replaced
    AWS_DEFAULT_ACL = None  # the bucket's own (private): files are served by the portal
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=300)
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": env("AWS_LOCATION", default="media")},
    }
    # Never served: the demo seal's key (publication.seal).
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "private"},
    }
    SENDFILE_HEADER = ""  # the web server has no MEDIA_ROOT to serve them from
# Public downloads answered by a redirect to the object store's signed address (valid
# AWS_QUERYSTRING_EXPIRE seconds) instead of streamed through the portal (portal.views._download).
DOWNLOADS_REDIRECT = bool(AWS_STORAGE_BUCKET_NAME) and env.bool("DOWNLOADS_REDIRECT", default=False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes), on /accounts/login/ and /admin/login/ alike: after
# LOGIN_FAILURE_LIMIT failures the username is locked out, and so is the address (whatever the
# username), for LOGIN_COOLOFF_MINUTES, counted again from each refused try. An administrator
# lifts a lockout sooner (README, "Settings").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.throttle.lockout_response"
# Behind the proxy every request comes from the proxy's address (PROXY_COUNT below).
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.client_ip"

# Content-Security-Policy (django-csp) on every page: the portal's own files, nothing inline,
# never in a frame. PDFs go without it (ita_portal/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws its form icons as data: SVG
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ita-portal@localhost")
# The SMTP server of EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend, and its login.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# Production is served over https by PROXY_COUNT reverse proxies (TLS ends at the first), which
# set X-Forwarded-Proto and X-Forwarded-For; development (DEBUG) is plain http on loopback.
# Every secure default is turned off only by its own variable (README, "Settings").
PROXY_COUNT = env.int("PROXY_COUNT", default=0 if DEBUG else 1)
if PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer and Prometheus ask the web servers themselves, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 365 * 24 * 3600)
# These two bind every subdomain, and browsers' built-in lists, to https: the domain's owner
# opts in; until then Django's reminders of them (W005, W021) are not warnings of ours.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)

LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# "json": one JSON object a line, with the request's id, and a line for every request (at INFO,
# whatever LOG_LEVEL), for a log collector; "console": for people (ita_portal/log.py).
LOG_FORMAT = env("LOG_FORMAT", default="console")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "console": {
            "()": "ita_portal.log.ConsoleFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "ita_portal.log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "console",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own handlers would print each of its lines a second time beside the root's.
        "django": {"handlers": [], "level": LOG_LEVEL},
        "ita_portal.request": {"level": "INFO" if LOG_FORMAT == "json" else LOG_LEVEL},
    },
}

# /health/ and /metrics (ita_portal/health.py, ita_portal/metrics.py, README "Health and metrics").
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=15)
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
# A Celery worker's own metrics (its tasks), served by the worker when a port is given.
WORKER_METRICS_PORT = env.int("WORKER_METRICS_PORT", default=0)
WORKER_METRICS_ADDRESS = env("WORKER_METRICS_ADDRESS", default="127.0.0.1")

"""One settings module for every environment; each value comes from the environment with a safe default.

`DJANGO_ENV=production` turns on the production safeguards: the process refuses to start with DEBUG on,
with the development secret key, or without ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}")
PRODUCTION = DJANGO_ENV == "production"

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append("SECRET_KEY must be set to a long random value, not the development default")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must name the hosts this site serves")
    if env.str("OIDC_ISSUER", default="").startswith("http://"):
        problems.append("OIDC_ISSUER must be an https:// address (tokens travel to and from it)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

INSTALLED_APPS = [
    # The admin site signs in through the product's own sign-in (password and second factor, or single sign-on).
    "accounts.admin_site.CaseworkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text and trigram search, and the index expressions they need (casework.search).
    "django.contrib.postgres",
    "django.forms",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_celery_beat",
    "axes",
    "health_check",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "casework",
    "sla",
    "complaints",
    "enquiries",
    "ombudsman",
    "learning",
    "reporting",
    "imports",
    # After casework: its admin extends the user admin casework registers.
    "accounts",
    "online",
    "incoming",
    "correspondence",
]

MIDDLEWARE = [
    # Probes first: they answer whatever Host the orchestrator sends, over plain HTTP (casework.health).
    "casework.health.ProbeMiddleware",
    "casework.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "casework.middleware.CraftedInputMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "casework.middleware.RoleRequiredMiddleware",
    "casework.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "casework.middleware.CaseAccessLogMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.navigation",
                "accounts.context_processors.sign_in",
                "online.context_processors.council",
            ],
        },
    },
]

FORM_RENDERER = "casework.forms_rendering.AccessibleFormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the development server and an eager Celery task read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
    # Covering indexes (INCLUDE) speed the reports on PostgreSQL; SQLite ignores the extra columns, harmlessly.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A page's queries run on one core each: on a small server sharing its cores with the web workers, parallel
    # workers cost more to start than they save (among 1,000,000 complaints a search's SQL took 13-20 ms more
    # with them, the dashboard's 15 ms more; docs/performance.md). Empty leaves the server's setting (a pooler
    # that refuses startup options, such as PgBouncer without ignore_startup_parameters, needs that).
    _parallel_workers = env.str("DATABASE_PARALLEL_WORKERS", default="0")
    if _parallel_workers:
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = " ".join(
            filter(None, [_options.get("options", ""), f"-c max_parallel_workers_per_gather={int(_parallel_workers)}"])
        )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # Parallel test processes (gw0, gw1, ...) each take the Redis database after the configured one, plus their
    # number, so one process's broker purge or cache clear cannot reach another's. Worker processes a test
    # starts inherit both variables and land on the same database.
    from urllib.parse import urlsplit

    _redis = urlsplit(REDIS_URL)
    _database = int(_redis.path.strip("/") or 0) + 1 + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = _redis._replace(path=f"/{_database}").geturl()
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords or second-factor codes for one username
# from one address, that pair is locked out for AXES_COOLOFF_MINUTES. Counting the pair (not the address alone)
# keeps one office's shared address from locking everyone out; counting it per username alone would let anyone
# lock an officer out. API tokens and single sign-on do not pass through here: they are not passwords.
AUTHENTICATION_BACKENDS = [
    "casework.auth_backends.SignInLockoutBackend",
    "accounts.auth_backends.LocalPasswordBackend",
    "accounts.oidc.CouncilOIDCBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.auth_backends.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Never store what was typed in the second-factor step in the failed-attempt log.
AXES_SENSITIVE_PARAMETERS = ["code"]
# Behind a proxy, the client's address is the one the outermost proxy added to X-Forwarded-For; set the number
# of proxies in front of the application (0: use the connection's address).
CLIENT_IP_PROXY_COUNT = env.int("CLIENT_IP_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "casework.auth_backends.client_ip"

# Password reset requests (django-ratelimit, in the cache: Redis in production, shared by every web server).
PASSWORD_RESET_RATE_PER_ADDRESS = env.str("PASSWORD_RESET_RATE_PER_ADDRESS", default="3/h")
PASSWORD_RESET_RATE_PER_CLIENT = env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="10/h")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on for staff (OpenID Connect: Microsoft Entra ID or any standard provider; docs/operations.md).
# Unset OIDC_ISSUER: no single sign-on, everyone signs in with a password and a second factor. The provider's
# endpoints are read from its discovery document ({OIDC_ISSUER}/.well-known/openid-configuration).
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too.")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGORITHM", default="RS256")
# What the sign-in button calls the provider: "Sign in with your council account".
OIDC_PROVIDER_LABEL = env.str("OIDC_PROVIDER_LABEL", default="your council account")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # sent back to the provider as id_token_hint when signing out
OIDC_AUTHENTICATE_CLASS = "accounts.oidc.CouncilOIDCAuthenticationRequestView"
OIDC_CALLBACK_CLASS = "accounts.oidc.CouncilOIDCCallbackView"
# Staff signing in with a local password can be switched off once single sign-on works; members' offices keep
# their passwords, and so do the break-glass administrator accounts named here (each use is audited).
STAFF_PASSWORD_SIGN_IN = env.bool("STAFF_PASSWORD_SIGN_IN", default=True)
BREAK_GLASS_USERNAMES = env.list("BREAK_GLASS_USERNAMES", default=[])
# Two-factor authentication (django-otp): every account that signs in with a password uses an authenticator app
# (the name it shows for this site, OTP_TOTP_ISSUER, is set beside COUNCIL_NAME below).
TWO_FACTOR_RECOVERY_CODES = 10
# API tokens for integrations (django-rest-knox): stored as digests, each with an expiry.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    # A recognisable prefix lets secret scanners (and people) tell a leaked key for what it is.
    "TOKEN_PREFIX": "casework_",
}
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# collectstatic writes here (the Dockerfile sets it); development and tests serve from STATICFILES_DIRS.
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles") if PRODUCTION else "") or None
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Uploads and generated documents go through Django's storage API, so several web servers and workers share
# them: the local disk (MEDIA_ROOT, one server or a shared volume), an S3-compatible bucket, or Azure Blob.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
DEFAULT_STORAGE: dict[str, Any]
if MEDIA_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("S3_BUCKET"),
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            # Residents' evidence: private objects, fetched through the application (which checks access and
            # logs it), never public links; a name already used gets a new one rather than replacing a file.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "azure":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.azure_storage.AzureStorage",
        "OPTIONS": {
            "connection_string": env.str("AZURE_CONNECTION_STRING", default="") or None,
            "account_name": env.str("AZURE_ACCOUNT_NAME", default="") or None,
            "account_key": env.str("AZURE_ACCOUNT_KEY", default="") or None,
            "azure_container": env.str("AZURE_CONTAINER", default="casework"),
            "overwrite_files": False,
        },
    }
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local', 's3' or 'azure', not {MEDIA_STORAGE!r}")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "config.storage.StaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: EMAIL_URL such as smtp+tls://user:password@mail.example.gov.uk:587; console in development.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="complaints@council.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Production hardening. These are safe to leave on behind a TLS-terminating proxy that sets
# X-Forwarded-Proto; SECURE_SSL_REDIRECT can be turned off where the proxy already redirects.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds every subdomain of the council's domain; that is the council's call, not ours.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The product's own settings.
# Closed cases are anonymised this many whole years after they closed (casework.retention).
RETENTION_YEARS = env.int("RETENTION_YEARS", default=6)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# The complaints mailbox read into the Incoming queue (docs/mailbox.md): imaps://user:password@host/INBOX, or
# imap+starttls:// or imap://; unset, no mail is read. MAILBOX_CA_FILE: a CA bundle for a council's own CA.
MAILBOX_URL = env.str("MAILBOX_URL", default="")
MAILBOX_CA_FILE = env.str("MAILBOX_CA_FILE", default="") or None
MAILBOX_TIMEOUT_SECONDS = env.int("MAILBOX_TIMEOUT_SECONDS", default=30)
MAILBOX_BATCH_SIZE = env.int("MAILBOX_BATCH_SIZE", default=200)
# A message larger than this is taken in without keeping its original (its text and accepted files are kept).
MAILBOX_MAX_MESSAGE_BYTES = env.int("MAILBOX_MAX_MESSAGE_BYTES", default=25 * 1024 * 1024)
COUNCIL_NAME = env.str("COUNCIL_NAME", default="Example Borough Council")
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default=f"{COUNCIL_NAME} Casework")
# Shown to residents and members' offices: the council's main number, its out-of-hours emergency line (repairs,
# someone homeless tonight, someone at risk) and where to write. The defaults are Ofcom's numbers for drama.
COUNCIL_PHONE = env.str("COUNCIL_PHONE", default="020 7946 0000")
COUNCIL_EMERGENCY_PHONE = env.str("COUNCIL_EMERGENCY_PHONE", default="020 7946 0999")
COUNCIL_COMPLAINTS_EMAIL = env.str("COUNCIL_COMPLAINTS_EMAIL", default="complaints@council.example")
COUNCIL_WEBSITE = env.str("COUNCIL_WEBSITE", default="")
COUNCIL_ADDRESS = env.str("COUNCIL_ADDRESS", default="Town Hall, High Street, Exampleton EX1 1AA")
# The residents' online complaint form (online/): complaints one address may send in an hour, and how long an
# unsent form's uploaded files are kept (hours) before the nightly tidy removes them.
ONLINE_SUBMISSIONS_PER_HOUR = env.int("ONLINE_SUBMISSIONS_PER_HOUR", default=5)
ONLINE_UPLOADS_KEPT_HOURS = env.int("ONLINE_UPLOADS_KEPT_HOURS", default=24)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# A short TP09 survey emailed to the resident when a landlord complaint about an LCRA or LCHO home closes
# (docs/reporting.md); off unless the council turns it on.
CLOSURE_SURVEY = env.bool("CLOSURE_SURVEY", default=False)
# The weekly calendar refresh fetches this GOV.UK table only when BANK_HOLIDAYS_REFRESH is on.
BANK_HOLIDAYS_URL = env.str("BANK_HOLIDAYS_URL", default="https://www.gov.uk/bank-holidays.json")
BANK_HOLIDAYS_REFRESH = env.bool("BANK_HOLIDAYS_REFRESH", default=False)
# The deadline sweep reminds handlers this many working days before a due date, and escalates to the head of
# service once a clock has been overdue for more than this many working days.
SWEEP_REMINDER_WORKING_DAYS = env.int("SWEEP_REMINDER_WORKING_DAYS", default=2)
# How long a worker's claim on an email holds before another may send it (renewed before each send, so only a
# dead worker's claims lapse); the every-minute delivery then sends what it left.
EMAIL_CLAIM_SECONDS = env.int("EMAIL_CLAIM_SECONDS", default=60)
# A job run still "running" this long after it started is taken to have lost its worker (SQLite only; on
# PostgreSQL a run's advisory lock says so at once).
JOB_RUN_STALE_HOURS = env.int("JOB_RUN_STALE_HOURS", default=6)
# The monthly report goes to these addresses as well as to the leadership list kept in the admin.
MONTHLY_REPORT_RECIPIENTS = env.list("MONTHLY_REPORT_RECIPIENTS", default=[])

# Celery: with REDIS_URL unset, tasks run in the calling process (development and `make run`).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks are acknowledged when they finish, so a task whose worker is killed goes back to the queue. Redis hands
# an unacknowledged task to another worker once it has been out this long: longer than any task runs (a
# recompute of 100,000 clocks takes about ten seconds), short enough that a killed worker's task runs again
# within minutes. A task that outlives it and runs twice is safe: each is idempotent and the recompute is
# serialised (docs/operations.md, recovery).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=15 * 60)}
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Integrations: tokens with an expiry, stored as digests, revoked by deleting them (accounts.services).
        # First, so a call without valid credentials answers 401 with WWW-Authenticate: Token.
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["casework.permissions.HasStaffRole"],
    "DEFAULT_PAGINATION_CLASS": "casework.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "casework.api.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "casework.api.schema.NullableAwareAutoSchema",
    "EXCEPTION_HANDLER": "casework.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# The unset choice of a queue's drop-down filters reads "Any" rather than a row of dashes.
FILTERS_EMPTY_CHOICE_LABEL = "Any"
SPECTACULAR_SETTINGS = {
    "TITLE": "Casework API",
    "DESCRIPTION": "Complaints, members' enquiries, ombudsman cases and learning for council housing services.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["casework.permissions.HasStaffRole"],
    # Every operation documents the errors the shared handlers answer with (casework.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casework.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "casework.models.CaseKind",
        "UrgentReasonEnum": "casework.models.UrgentReason",
        "StageOutcomeEnum": "complaints.models.StageOutcome",
        "RefusalReasonEnum": "complaints.models.RefusalReason",
        "RemedyKindEnum": "complaints.models.RemedyKind",
        "ComplaintStatusEnum": "complaints.models.ComplaintStatus",
        "LearningPlanStatusEnum": "learning.models.PlanStatus",
        "ServiceCommitmentStatusEnum": "learning.models.CommitmentStatus",
        "FindingOutcomeEnum": "ombudsman.models.FindingOutcome",
        "OrderKindEnum": "ombudsman.models.OrderKind",
        "NonComplianceFindingKindEnum": "ombudsman.models.NonComplianceKind",
        "OmbudsmanPublicationKindEnum": "ombudsman.models.PublicationKind",
    },
}

# Logs go to standard output, one JSON object a line in production (LOG_FORMAT=json) so a log system can
# search them by field; every line carries the request id (or the Celery task id) it belongs to.
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "casework.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed sign-ins and lockouts are warnings; every successful sign-in would drown them.
        "axes": {"level": env.str("AXES_LOG_LEVEL", default="WARNING")},
    },
}

# Error tracking (optional): set SENTRY_DSN to send unhandled errors to Sentry or a compatible service.
# Residents' personal data is scrubbed before anything leaves (config.sentry).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=DJANGO_ENV))

# security.txt (RFC 9116) at /.well-known/security.txt: where to report a vulnerability.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="mailto:security@council.example")

"""Settings for every runtime mode, read from the environment through :mod:`config.env`.

With nothing set: SQLite under ``var/``, in-memory channel layer, local-memory cache, debug on
and a generated development secret. ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL``
to Redis for the channel layer and cache. With debug off, a missing ``SECRET_KEY`` or
``ALLOWED_HOSTS`` stops start-up with one line naming the variable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from config import env
from config.env import ConfigError

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def _dev_secret(name: str = "dev-secret-key") -> str:
    """A per-checkout development secret, kept in var/ so sessions survive restarts."""
    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _dev_webhook_key() -> str:
    """A per-checkout development key for webhook secrets at rest, kept in var/ like the
    secret key so encrypted rows stay readable across restarts."""
    from cryptography.fernet import Fernet

    VAR_DIR.mkdir(exist_ok=True)
    path = VAR_DIR / "dev-webhook-secret-key"
    if not path.exists():
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()


def _webhook_keys(debug: bool) -> list[str]:
    """WEBHOOK_SECRET_KEYS as a list, each checked to be a Fernet key (ConfigError if not)."""
    from cryptography.fernet import Fernet

    keys = env.read_list("WEBHOOK_SECRET_KEYS")
    if not keys:
        if not debug:
            raise ConfigError(
                "WEBHOOK_SECRET_KEYS is not set: production (DJANGO_DEBUG=false) needs a Fernet "
                "key (python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')."
            )
        return [_dev_webhook_key()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ConfigError(
                f"WEBHOOK_SECRET_KEYS key {position} is not a Fernet key (32 url-safe base64 "
                "bytes, as Fernet.generate_key() prints)."
            ) from None
    return keys


# With REDIS_URL, CHANNEL_LAYER_BACKEND picks one (the benchmarks compare them; see
# docs/performance.md). The pub/sub layer is the default and the one we ship.
REDIS_CHANNEL_LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}


def _configure() -> dict:
    debug = env.read_bool("DJANGO_DEBUG", default=True)
    secret = env.read("SECRET_KEY")
    hosts = env.read_list("ALLOWED_HOSTS")
    if not debug:
        if not secret:
            raise ConfigError(
                "SECRET_KEY is not set: production (DJANGO_DEBUG=false) needs a long random value."
            )
        if not hosts:
            raise ConfigError(
                "ALLOWED_HOSTS is not set: production (DJANGO_DEBUG=false) needs the site's "
                "host names, comma-separated."
            )
    database_url = env.read("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
    pool_size = env.read_int("DATABASE_POOL_SIZE", 20)
    if pool_size < 0:
        raise ConfigError("DATABASE_POOL_SIZE must be 0 (no pool) or more.")
    database = env.database_config(database_url, pool_size)
    redis_url = env.read("REDIS_URL")
    if redis_url:
        env.redis_url(redis_url)
    layer = env.read("CHANNEL_LAYER_BACKEND", "pubsub")
    if layer not in REDIS_CHANNEL_LAYERS:
        raise ConfigError(
            f"CHANNEL_LAYER_BACKEND={layer!r} is unknown: use {' or '.join(REDIS_CHANNEL_LAYERS)}."
        )
    return {
        "debug": debug,
        "secret": secret or _dev_secret(),
        "hosts": hosts or ["localhost", "127.0.0.1", "[::1]", "testserver"],
        "database_url": database_url,
        "database": database,
        "redis_url": redis_url,
        "channel_layer": REDIS_CHANNEL_LAYERS[layer],
        "webhook_keys": _webhook_keys(debug),
    }


try:
    _cfg = _configure()
except ConfigError as exc:
    # One line, no traceback: the operator needs the variable name, not Django's internals.
    sys.stderr.write(f"configuration error: {exc}\n")
    raise SystemExit(2) from None

DEBUG: bool = _cfg["debug"]
SECRET_KEY: str = _cfg["secret"]
ALLOWED_HOSTS: list[str] = _cfg["hosts"]
CSRF_TRUSTED_ORIGINS = env.read_list("CSRF_TRUSTED_ORIGINS")
DATABASE_URL: str = _cfg["database_url"]
REDIS_URL: str | None = _cfg["redis_url"]
# Fernet keys for tracker webhook secrets at rest (ideas/backlog/crypto.py): first encrypts.
WEBHOOK_SECRET_KEYS: list[str] = _cfg["webhook_keys"]
# Links in emails and feeds: the address `make run` serves (HOST/PORT) unless set explicitly.
SITE_URL = env.read("SITE_URL") or env.site_url(env.read("HOST"), env.read("PORT"))
PROCESS_NAME = env.read("PROCESS_NAME", f"{os.uname().nodename}:{os.getpid()}")
STARTUP_CHECK = env.read_bool("STARTUP_CHECK", default=True)

INSTALLED_APPS = [
    "config.apps.ProjectConfig",  # first: start-up fixes in place before any app is ready
    "daphne",
    "community",
    "community.moderation",
    "community.exchange",
    "community.sms",
    "community.participation",
    "community.places",
    "community.search",
    "community.outreach",
    "realtime",
    "ideas",
    "ideas.backlog",
    "ideas.codesign",
    "ideas.insight",
    "ideas.experience",
    "ideas.opinion",
    "ideas.conversations",
    "ideas.budgeting",
    "ideas.research",
    "cms",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.apps.StaticFilesConfig",  # django.contrib.staticfiles (see config/apps.py)
    "django.contrib.sitemaps",
    "rules",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.api.v2",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Refused characters and too many parameters in a query or form never reach a view.
    "config.middleware.InputGuardMiddleware",
    "community.middleware.AccountLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: whole service pages for anonymous visitors, exact per CMS change (cms/pagecache.py).
    "cms.pagecache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": _cfg["database"]}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL full-text search (SearchVectorField, GIN indexes).
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer by default (CHANNEL_LAYER_BACKEND): it survives connect storms
            # where the core layer exhausts its Redis connection pool, and fans out with one
            # PUBLISH (see docs/performance.md).
            "BACKEND": _cfg["channel_layer"],
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    if env.read("REDIS_KEY_PREFIX"):
        CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = env.read("REDIS_KEY_PREFIX")
    from config.cache import redis_cache

    # One connection pool and client per process, not per request; while Redis is unreachable
    # the cache acts as an empty one (config/cache.py).
    CACHES = {"default": redis_cache(REDIS_URL, key_prefix=env.read("REDIS_KEY_PREFIX", "civic"))}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (email, webhooks, exports) runs in `manage.py db_worker`, never in a request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Object permissions: the named predicates in each app's permissions.py (``rules``).
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"

# -- Accounts, MFA and OpenID Connect (community; see docs/architecture.md) -------------------
ACCOUNT_ADAPTER = "community.accounts.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "community.accounts.SocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "community.accounts.PublicNameSignupForm"
# Same work for a new and a registered address, so timing tells nothing (community/signup.py).
ACCOUNT_FORMS = {
    "signup": "community.signup.ConstantWorkSignupForm",
    "reset_password": "community.signup.ConstantWorkResetPasswordForm",
}
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True  # whether someone has an account here is personal data
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Civic Commons] "
# Account emails and pages name the person by their public name (templates/account/email/).
ACCOUNT_USER_DISPLAY = "community.accounts.user_display"
SOCIALACCOUNT_AUTO_SIGNUP = False  # everyone picks a public name; no real name goes public
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never join accounts on an email claim alone
SOCIALACCOUNT_STORE_TOKENS = False  # providers are for sign-in only; keep no tokens
try:
    _oidc_apps = env.oidc_apps(env.read("OIDC_PROVIDERS"))
except ConfigError as exc:
    sys.stderr.write(f"configuration error: {exc}\n")
    raise SystemExit(2) from None
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": _oidc_apps}}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Civic Commons"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date style per language for pages, emails and live cards (community/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet and its marker clustering come from their XStatic packages (no CDN, no Node step).
import xstatic.pkg.leaflet  # noqa: E402
import xstatic.pkg.leaflet_markercluster  # noqa: E402

STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

WAGTAIL_SITE_NAME = "Civic Commons"
WAGTAILADMIN_BASE_URL = SITE_URL
# Our CSP allows no third-party images or requests: no Gravatar avatars (Wagtail shows its
# default avatar) and no release check against wagtail.org from the admin's browser.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- CMS (cms/): multilingual content, page API (see docs/cms.md) ---
# Content languages match the UI languages; wagtail.contrib.simple_translation copies a page
# tree into another locale for editors to translate. Pages without a translation fall back
# to the default language (cms.models.LocaleFallbackMixin).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAILAPI_LIMIT_MAX = 100

EMAIL_URL = env.read("EMAIL_URL")


def _mailer(url: str | None) -> dict:
    if not url:
        if DEBUG:
            return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    import environ

    parsed = environ.Env.email_url_config(url)
    backend = parsed["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        # consolemail://, filemail:///path, memorymail://, dummymail:// take no SMTP options.
        path = parsed.get("EMAIL_FILE_PATH")
        return {"BACKEND": backend, "OPTIONS": {"file_path": path} if path else {}}
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "host": parsed.get("EMAIL_HOST", "localhost"),
            "port": parsed.get("EMAIL_PORT", 25),
            "username": parsed.get("EMAIL_HOST_USER", ""),
            "password": parsed.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": parsed.get("EMAIL_USE_TLS", False),
            "use_ssl": parsed.get("EMAIL_USE_SSL", False),
        },
    }


MAILERS = {"default": _mailer(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env.read("DEFAULT_FROM_EMAIL", "Civic Commons <noreply@civic.example>")

# Realtime transport limits (see docs/realtime.md); REALTIME_LIMITS overrides any of them.
try:
    REALTIME = env.read_mapping(
        "REALTIME_LIMITS",
        {
            "MAX_MESSAGE_BYTES": 16 * 1024,
            "MESSAGES_PER_SECOND": 5.0,
            "BURST": 20,
            "VIOLATIONS_BEFORE_CLOSE": 10,
            "MAX_CONNECTIONS_PER_ACCOUNT": 20,
            "CONNECTION_COUNT_TTL": 600,
            # Threads that run websocket actions (a vote, a note move) at once, each with a
            # pooled connection (4 measured best on 2 cores: more only contend for the GIL).
            # On SQLite, which serialises writes anyway, actions use Django's one database
            # thread (docs/performance.md, co-design).
            "ACTION_THREADS": 4,
            # How long (ms) a thread of a web process may hold Python's GIL while another waits
            # for it (sys.setswitchinterval; Python's default is 5). The event loop and the
            # action threads share one interpreter: at 5 ms each action's database round trips
            # waited behind the loop's fan-out and the loop behind the actions (co-design,
            # docs/performance.md; 1 measured best).
            "SWITCH_INTERVAL_MS": 1.0,
            # Overload (docs/realtime.md): a process takes at most this many websocket
            # actions at once (queued, running, or waiting for a coalesced flush); past it,
            # and for an action that waited longer than ACTION_MAX_WAIT_MS in its socket's
            # queue, the socket is answered "busy" with a retry hint and nothing is applied.
            "ACTIONS_IN_FLIGHT": 200,
            "ACTION_MAX_WAIT_MS": 1000,
        },
    )
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        REALTIME["ACTION_THREADS"] = 0
    # HTTP rate limits per group of actions (community.ratelimits, docs/operations.md), counted
    # in the shared cache (Redis in production) per account, or per address when signed out.
    RATE_LIMITS = env.read_rates(
        "RATE_LIMITS",
        {
            "post": "10/h",  # new ideas, exchange posts
            "comment": "30/h",  # comments, exchange messages and replies
            "vote": "60/m",  # support and withdraw
            "report": "20/h",  # reports of content or people
            "write": "120/h",  # other small writes (follow, propose, block, …)
        },
    )
    # Open-data API throttles (api/throttling.py), same rate forms.
    API_RATES = {
        "anon": env.read_rate("API_RATE_ANON", "120/min"),
        "token": env.read_rate("API_RATE_TOKEN", "600/min"),
        "write": env.read_rate("API_RATE_WRITE", "60/hour"),
    }
except ConfigError as exc:
    sys.stderr.write(f"configuration error: {exc}\n")
    raise SystemExit(2) from None
# Service exchange (community.exchange): time credits and where people can help each other.
# Hours are Decimals in quarter-hour steps; LOWER_LIMIT is the lowest balance a person or
# intermediary account may reach (the exchange's overdraft), enforced under row locks.
from decimal import Decimal  # noqa: E402

EXCHANGE: dict[str, Any] = {
    "LOWER_LIMIT": Decimal("-10"),
    "MAX_HOURS_PER_EXCHANGE": Decimal("24"),
    "POST_LIFETIME_DAYS": 60,
    "PAGE_SIZE": 20,
    "AREAS": [
        ("riverside", _("Riverside")),
        ("old-town", _("Old Town")),
        ("northfield", _("Northfield")),
        ("harbour", _("Harbour")),
        ("eastgate", _("Eastgate")),
        ("hillcrest", _("Hillcrest")),
        ("citywide", _("Anywhere in Northvale")),
    ],
}

# Participation events: the areas a citizen may say they live in (community.participation).
PARTICIPATION = {
    "AREAS": [(slug, label) for slug, label in EXCHANGE["AREAS"] if slug != "citywide"],
}

# Places (community.places): a citizen's own point is kept to a grid of about this many metres
# (agencies' points are kept as posted).
PLACES_ROUND_METRES = env.read_int("PLACES_ROUND_METRES", 100)
# Map tiles (none: a plain background; the points and the list still show) and their credit.
MAP_TILE_URL = env.read("MAP_TILE_URL", "") or ""
MAP_TILE_ATTRIBUTION = env.read("MAP_TILE_ATTRIBUTION", "") or ""

# Insight dashboard (defaults and meaning in ideas/insight/conf.py).
INSIGHT: dict = {}
# Opinion maps: debounce and limits (defaults and meaning in ideas/opinion/conf.py).
OPINION: dict = {}

# Idea boards (defaults and meaning in ideas/conf.py).
IDEAS = {
    "IDEA_EDIT_MINUTES": 60,
    "COMMENT_EDIT_MINUTES": 15,
    "BOARD_PAGE_SIZE": 20,
}

# Innovation backlogs and webhooks (defaults and meaning in ideas/backlog/conf.py).
BACKLOG = {
    "WEBHOOK_REPLAY_WINDOW": 300,
    "WEBHOOK_TIMEOUT": 5,
    "WEBHOOK_MAX_ATTEMPTS": 5,
    "WEBHOOK_BACKOFF_BASE": 30,
    "WEBHOOK_ALLOWED_NETWORKS": env.read_list("WEBHOOK_ALLOWED_NETWORKS"),
}

# Open data (api/): REST API /api/v1/, feeds, bulk downloads (see docs/api.md).
# Rates are per client address (anonymous) or per account (token); "write" counts only
# posts, supports and comments made through the API.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.GuardedJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.PersonalTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.TokenThrottle",
        "api.throttling.WriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": API_RATES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Client address = REMOTE_ADDR: daphne --proxy-headers already took it from the proxy.
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Civic Commons open data API",
    "DESCRIPTION": (
        "Everything non-personal on Civic Commons: challenges, ideas, comments, official "
        "responses, the roadmap, service exchange posts, agencies, tags and moderation "
        "figures. Read-only without a token; personal API tokens may post ideas, support "
        "and comment. Licence: CC BY 4.0. See /data/ for feeds and bulk downloads."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["api.schema.only_v1"],
    "ENUM_NAME_OVERRIDES": {
        "IdeaStatusEnum": "ideas.models.Status",
        "BacklogStatusEnum": "ideas.backlog.models.ItemStatus",
    },
}
OPEN_DATA = {
    # The bulk download is rebuilt when the newest release is older than this (seconds).
    "MAX_AGE": env.read_int("OPEN_DATA_MAX_AGE", 24 * 3600),
    # Releases kept in storage (the newest is served; older ones are deleted).
    "KEEP": 2,
}

# Security headers. Django's built-in CSP: scripts and styles only from this site.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Map tiles from the configured tile server only (MAP_TILE_URL), if any.
    "img-src": [CSP.SELF, "data:", *env.tile_origins(MAP_TILE_URL)],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    # Signing in or linking through an OpenID Connect provider posts to this site, which
    # redirects to the provider; Chromium checks that redirect against form-action too, and
    # signing out redirects to the provider's end-session endpoint. So each configured
    # provider's origin is allowed, and nothing else.
    "form-action": [CSP.SELF, *env.oidc_origins(_oidc_apps)],
}
# The Wagtail and Django admins ship inline styles and scripts; they get their own policy
# (config.middleware.ContentSecurityPolicyMiddleware), the public site the strict one above.
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],  # nobody signs in to the admins through a provider
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.read_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_FORMAT = env.read("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"service": PROCESS_NAME},
        },
        "text": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.read("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}


# -- moderation (community.moderation.screening) ------------------------------------------
MODERATION = {
    "NEW_ACCOUNT_HOURS": int(os.environ.get("MODERATION_NEW_ACCOUNT_HOURS", "24")),
    "TRUSTED_LINK_DOMAINS": ["example", "example.org", "example.com", "example.net", "gov.uk"],
    "REPEAT_WINDOW_MINUTES": 60,
    "REPEAT_SAME_TEXT": 3,
    "REPEAT_MAX_POSTS": 20,
    "BLOCKLIST": [w for w in os.environ.get("MODERATION_BLOCKLIST", "").split(",") if w.strip()],
}

# Text messages (community.sms): the gateway adapter and its credentials. "console" (default)
# logs texts and accepts callbacks signed with SMS_WEBHOOK_SECRET; "twilio" uses Twilio's
# webhook signature and Messages API.
SMS = {
    "PROVIDER": env.read("SMS_PROVIDER", "console"),
    "ACCOUNT_ID": env.read("SMS_ACCOUNT_ID", ""),
    "AUTH_TOKEN": env.read("SMS_AUTH_TOKEN", ""),
    "FROM_NUMBER": env.read("SMS_FROM_NUMBER", ""),
    "WEBHOOK_SECRET": env.read("SMS_WEBHOOK_SECRET", ""),
    "COUNTRY_CODE": env.read("SMS_COUNTRY_CODE", "44"),
    "TIMEOUT": 10,
}
if SMS["PROVIDER"] not in {"console", "twilio"}:
    sys.exit("Configuration error: SMS_PROVIDER must be console or twilio.")
if DEBUG and SMS["PROVIDER"] == "console" and not SMS["WEBHOOK_SECRET"]:
    # Development only: the phone page (/dev/phone/) signs its callbacks with this, so the
    # text channel can be tried under `make run` without setting anything.
    SMS["WEBHOOK_SECRET"] = _dev_secret("dev-sms-secret")

# Participatory budgeting (ideas.budgeting): the key of the HMAC that turns a resident's
# identifying fields (and phone numbers) into the only thing stored about them. Without it,
# a key is derived from SECRET_KEY (rotating SECRET_KEY then orphans an imported register).
BUDGETING_REGISTER_KEY: str = (
    env.read("BUDGETING_REGISTER_KEY", "")
    or hmac.new(SECRET_KEY.encode(), b"budgeting-register", hashlib.sha256).hexdigest()
)

"""The one place that reads the environment.

Every variable the platform reads is declared in :data:`VARIABLES` with its meaning, so the
docs, ``compose.yml`` and a test can all agree with what the code really reads. Settings call
:func:`read`; errors are reported as :class:`ConfigError`, which ``config.settings`` turns into
one clear line instead of a traceback.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and what to do."""


@dataclass(frozen=True)
class Variable:
    name: str
    help: str
    required_in_production: bool = False


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        Variable("DJANGO_DEBUG", "true for development (default), false in production.", True),
        Variable("SECRET_KEY", "Django secret key; required when DJANGO_DEBUG is false.", True),
        Variable("ALLOWED_HOSTS", "Comma-separated host names; required when debug is off.", True),
        Variable(
            "CSRF_TRUSTED_ORIGINS", "Comma-separated origins (https://example.gov) for forms."
        ),
        Variable("DATABASE_URL", "postgres://user:pass@host:5432/name, or sqlite:///path.", True),
        Variable(
            "DATABASE_POOL_SIZE",
            "PostgreSQL: most pooled connections per process (default 20; 0: no pool).",
        ),
        Variable(
            "REDIS_URL", "redis://host:6379/0: channel layer and cache (else in-memory).", True
        ),
        Variable(
            "WEBHOOK_SECRET_KEYS",
            "Comma-separated Fernet keys encrypting tracker webhook secrets at rest; the first "
            "encrypts, all decrypt (rotation: docs/operations.md). Required when "
            "DJANGO_DEBUG is false; in development a key is generated into var/.",
            True,
        ),
        Variable("SITE_URL", "Public base URL used in emails and feeds."),
        Variable("LOG_FORMAT", "json (default when debug is off) or text."),
        Variable("LOG_LEVEL", "Root log level, default INFO."),
        Variable("EMAIL_URL", "smtp://user:pass@host:587 for outgoing mail (console by default)."),
        Variable("DEFAULT_FROM_EMAIL", "Sender address of platform email."),
        Variable("SECURE_SSL_REDIRECT", "Redirect HTTP to HTTPS when debug is off (default true)."),
        Variable(
            "STARTUP_CHECK", "Check database and Redis are reachable at start (default true)."
        ),
        Variable(
            "WEBHOOK_ALLOWED_NETWORKS",
            "Comma-separated private CIDRs agency trackers may live on (default: public only).",
        ),
        Variable("PROCESS_NAME", "Name of this process in logs and health output."),
        Variable(
            "OIDC_PROVIDERS",
            "JSON list of OpenID Connect sign-in providers: "
            '[{"id": "govid", "name": "GovID", "server_url": "https://id.example/", '
            '"client_id": "...", "secret": "..."}] (optional "scope", "pkce").',
        ),
        Variable(
            "CHANNEL_LAYER_BACKEND",
            "With REDIS_URL: pubsub (default, channels-redis pub/sub layer) or core.",
        ),
        Variable("SMS_PROVIDER", "Text-message gateway: console (default, logs texts) or twilio."),
        Variable("SMS_ACCOUNT_ID", "The SMS provider's account id (Twilio Account SID)."),
        Variable("SMS_AUTH_TOKEN", "The SMS provider's auth token; also signs its callbacks."),
        Variable("SMS_FROM_NUMBER", "The platform's text number in E.164 form (+447700900000)."),
        Variable(
            "SMS_WEBHOOK_SECRET", "Console gateway only: the secret that signs test callbacks."
        ),
        Variable("SMS_COUNTRY_CODE", "Country code for numbers typed without one (default 44)."),
        Variable("API_RATE_ANON", "Open-data API requests per client address, e.g. 120/min."),
        Variable("API_RATE_TOKEN", "API requests per account with a token, e.g. 600/min."),
        Variable("API_RATE_WRITE", "Posts, supports and comments through the API, e.g. 60/hour."),
        Variable(
            "OPEN_DATA_MAX_AGE",
            "Seconds after which the bulk download is rebuilt (default 86400: daily).",
        ),
        Variable(
            "REALTIME_LIMITS",
            "Websocket limits, comma-separated KEY=VALUE overriding the defaults in "
            "docs/realtime.md: MAX_MESSAGE_BYTES, MESSAGES_PER_SECOND, BURST, "
            "VIOLATIONS_BEFORE_CLOSE, MAX_CONNECTIONS_PER_ACCOUNT, CONNECTION_COUNT_TTL, "
            "ACTION_THREADS, SWITCH_INTERVAL_MS.",
        ),
        Variable(
            "RATE_LIMITS",
            "HTTP rate limits, comma-separated GROUP=COUNT/PERIOD overriding the defaults in "
            "docs/operations.md (e.g. post=10/h,vote=60/m); RATE_LIMITS=off disables them.",
        ),
        Variable(
            "BENCH_ENDPOINTS",
            "true only on benchmark servers: routes /bench/ping and the bare relay (default false).",
        ),
    ]
}


def _raw(name: str) -> str | None:
    if name not in VARIABLES:
        raise KeyError(f"{name} is not declared in config.env.VARIABLES")
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def read(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def read_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name}={value!r} is not a boolean: use true or false.")


def read_int(name: str, default: int) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a whole number.") from None


_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def read_rate(name: str, default: str) -> str:
    """A request rate as ``N/period`` (period: second, minute, hour or day)."""
    value = _raw(name)
    if value is None:
        return default
    if not _RATE.match(value):
        raise ConfigError(f"{name}={value!r} is not a rate: write it like 120/min or 60/hour.")
    return value


def read_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def read_mapping(name: str, defaults: dict[str, float | int]) -> dict[str, float | int]:
    """``defaults`` with overrides from ``NAME=KEY=VALUE,KEY=VALUE``; values keep their type."""
    value = _raw(name)
    result = dict(defaults)
    if value is None:
        return result
    for item in value.split(","):
        if not item.strip():
            continue
        key, sep, raw = item.partition("=")
        key = key.strip().upper()
        if not sep or key not in defaults:
            raise ConfigError(
                f"{name}: {item.strip()!r} is not KEY=VALUE with KEY one of {', '.join(defaults)}."
            )
        kind = type(defaults[key])
        try:
            number = kind(raw.strip())
        except ValueError:
            raise ConfigError(f"{name}: {key} must be a {kind.__name__} number.") from None
        if number <= 0:
            raise ConfigError(f"{name}: {key} must be greater than zero.")
        result[key] = number
    return result


_RATE = re.compile(r"^\d+/\d*[smhd]$")


def read_rates(name: str, defaults: dict[str, str]) -> dict[str, str | None]:
    """Rate strings per group (``10/h``) with overrides; ``off`` turns every group off."""
    value = _raw(name)
    if value is not None and value.lower() == "off":
        return dict.fromkeys(defaults)
    result: dict[str, str | None] = dict(defaults)
    for item in (value or "").split(","):
        if not item.strip():
            continue
        key, sep, rate = item.partition("=")
        key, rate = key.strip().lower(), rate.strip()
        if not sep or key not in defaults:
            raise ConfigError(
                f"{name}: {item.strip()!r} is not GROUP=COUNT/PERIOD with GROUP one of "
                f"{', '.join(defaults)}."
            )
        if not _RATE.match(rate):
            raise ConfigError(f"{name}: {key}={rate!r} must look like 10/h, 60/m or 5/10m.")
        result[key] = rate
    return result


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def database_config(url: str, pool_size: int = 20) -> dict:
    """Turn DATABASE_URL into Django's DATABASES entry, or raise ConfigError if malformed.

    PostgreSQL connections come from a pool per process (psycopg_pool, ``pool_size`` at
    most; 0 turns it off). Without one, every HTTP request (each in its own thread under
    ASGI) and every database hop of a websocket consumer opened a new connection: about a
    fifth of the co-design consumer's time (docs/performance.md). A pooled connection is
    checked before it is handed out, so connections broken by a database restart are
    replaced rather than failing a request.
    """
    import environ

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in {"postgres", "postgresql", "pgsql"}:
        if not parts.hostname or not parts.path.strip("/"):
            raise ConfigError(
                f"DATABASE_URL is malformed ({describe_url(url)}): expected "
                "postgres://user:password@host:5432/database"
            )
        try:
            _ = parts.port
        except ValueError as exc:
            raise ConfigError(f"DATABASE_URL is malformed ({describe_url(url)}): {exc}") from None
    elif scheme == "sqlite":
        pass
    else:
        raise ConfigError(
            f"DATABASE_URL is malformed ({describe_url(url)}): use postgres://… or sqlite:///…"
        )
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:
        raise ConfigError(f"DATABASE_URL is malformed ({describe_url(url)}): {exc}") from None
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        if pool_size > 0:
            from psycopg_pool import ConnectionPool

            options["pool"] = {
                "min_size": min(2, pool_size),
                "max_size": pool_size,
                # Longest wait for a free connection. Also how long a request waits before
                # answering 503 while the database is down (the pool keeps retrying).
                "timeout": 3,
                "check": ConnectionPool.check_connection,
            }
        else:
            config["CONN_HEALTH_CHECKS"] = True
    return config


def redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss", "unix"} or (
        parts.scheme != "unix" and not parts.hostname
    ):
        raise ConfigError(
            f"REDIS_URL is malformed ({describe_url(url)}): expected redis://host:6379/0"
        )
    try:
        _ = parts.port
    except ValueError as exc:
        raise ConfigError(f"REDIS_URL is malformed ({describe_url(url)}): {exc}") from None
    return url


_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,29}$")


def oidc_apps(raw: str | None) -> list[dict]:
    """allauth ``openid_connect`` APPS entries from OIDC_PROVIDERS, or ConfigError.

    Any number of providers (a government ID service, a bank…); each becomes a sign-in
    button. ``server_url`` is the issuer (its ``/.well-known/openid-configuration`` is read).
    """
    if not raw:
        return []
    try:
        providers = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"OIDC_PROVIDERS is not valid JSON: {exc}") from None
    if not isinstance(providers, list):
        raise ConfigError("OIDC_PROVIDERS must be a JSON list of provider objects.")
    apps, seen = [], set()
    for index, provider in enumerate(providers):
        where = f"OIDC_PROVIDERS[{index}]"
        if not isinstance(provider, dict):
            raise ConfigError(f"{where} must be an object.")
        missing = [k for k in ("id", "name", "server_url", "client_id") if not provider.get(k)]
        if missing:
            raise ConfigError(f"{where} is missing {', '.join(missing)}.")
        pid = str(provider["id"])
        if not _PROVIDER_ID.match(pid) or pid in seen:
            raise ConfigError(
                f"{where}.id={pid!r} must be unique, lower-case letters, digits and dashes."
            )
        seen.add(pid)
        url = urlsplit(str(provider["server_url"]))
        if url.scheme not in {"https", "http"} or not url.hostname:
            raise ConfigError(f"{where}.server_url must be an https:// issuer URL.")
        settings: dict = {"server_url": str(provider["server_url"])}
        if provider.get("scope"):
            settings["scope"] = list(provider["scope"])
        if "pkce" in provider:
            settings["oauth_pkce_enabled"] = bool(provider["pkce"])
        if provider.get("token_auth_method"):
            settings["token_auth_method"] = str(provider["token_auth_method"])
        apps.append(
            {
                "provider_id": pid,
                "name": str(provider["name"]),
                "client_id": str(provider["client_id"]),
                "secret": str(provider.get("secret", "")),
                "settings": settings,
            }
        )
    return apps

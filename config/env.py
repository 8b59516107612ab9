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
            "SITE_URL",
            "Public base URL used in emails and feeds (default http://HOST:PORT).",
        ),
        Variable("HOST", "make run: the address to serve on (default 127.0.0.1)."),
        Variable("PORT", "make run: the port to serve on (default 8000)."),
        Variable(
            "REDIS_KEY_PREFIX",
            "With REDIS_URL: prefix of this site's cache keys and channel groups (default civic).",
        ),
        Variable(
            "WEBHOOK_SECRET_KEYS",
            "Comma-separated Fernet keys encrypting tracker webhook secrets at rest; the first "
            "encrypts, all decrypt (rotation: docs/operations.md). Required when "
            "DJANGO_DEBUG is false; in development a key is generated into var/.",
            True,
        ),
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
            "MAP_TILE_URL",
            "Map tiles, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (default none: maps "
            "draw their points on a plain background). Its origin is allowed by the CSP.",
        ),
        Variable(
            "MAP_TILE_ATTRIBUTION",
            "Attribution the tile server requires, as plain text (e.g. © OpenStreetMap).",
        ),
        Variable(
            "PLACES_ROUND_METRES",
            "A citizen's own point on a map is kept to a grid of about this many metres "
            "(default 100; agencies' points are kept as posted).",
        ),
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
        Variable(
            "BUDGETING_REGISTER_KEY",
            "Key of the HMAC that stores residents' identifying fields (default: from SECRET_KEY).",
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


def site_url(host: str | None, port: str | None) -> str:
    """The base URL of a site served on ``host``:``port`` (``make run``'s HOST and PORT);
    a wildcard bind address means this machine."""
    host = host or "127.0.0.1"
    if host in {"0.0.0.0", "::", "[::]"}:  # noqa: S104 - naming the wildcard, not binding it
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port or 8000}"


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


RATE_UNITS = {
    "s": 1, "sec": 1, "second": 1,
    "m": 60, "min": 60, "minute": 60,
    "h": 3600, "hour": 3600,
    "d": 86400, "day": 86400,
}  # fmt: skip
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-zA-Z]+)\s*$")
RATE_HELP = "write it like 120/min, 60/hour or 5/10m (units: s, sec, second, m, min, minute, h, hour, d, day)"


def parse_rate(text: str) -> tuple[int, int]:
    """A rate ``COUNT/PERIOD`` as (count, seconds): the one parser for every rate setting
    (the API's throttles, ``RATE_LIMITS``, the realtime limits).

    PERIOD is a unit (s, sec, second, m, min, minute, h, hour, d, day; words may be
    plural), optionally after a whole multiplier: ``5/10m`` is five per ten minutes. Raises
    ``ValueError`` saying how to write it.
    """
    match = _RATE.match(text or "")
    if match is None:
        raise ValueError(f"{text!r} is not a rate: {RATE_HELP}.")
    count, multiplier, unit = int(match[1]), int(match[2] or 1), match[3].lower()
    if unit not in RATE_UNITS and len(unit) > 3 and unit.endswith("s"):
        unit = unit[:-1]  # minutes, hours, days, seconds, secs, mins
    if unit not in RATE_UNITS:
        raise ValueError(f"{text!r} is not a rate: {RATE_HELP}.")
    if count < 1 or multiplier < 1:
        raise ValueError(f"{text!r} is not a rate: the numbers must be at least 1; {RATE_HELP}.")
    return count, multiplier * RATE_UNITS[unit]


def read_rate(name: str, default: str) -> str:
    """A request rate as ``N/period`` (:func:`parse_rate`), checked at start-up."""
    value = _raw(name)
    if value is None:
        return default
    try:
        parse_rate(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r} is not a rate: {RATE_HELP}.") from None
    return value


def read_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def read_mapping(name: str, defaults: dict[str, float | int]) -> dict[str, float | int]:
    """``defaults`` with overrides from ``NAME=KEY=VALUE,KEY=VALUE``; values keep their type.
    A ``…_PER_SECOND`` value may also be written as a rate (``MESSAGES_PER_SECOND=300/min``)."""
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
            if key.endswith("_PER_SECOND") and "/" in raw:  # a rate: 300/min
                count, seconds = parse_rate(raw)
                number = kind(count / seconds)
            else:
                number = kind(raw.strip())
        except ValueError:
            hint = f", or a rate ({RATE_HELP})" if key.endswith("_PER_SECOND") else ""
            raise ConfigError(f"{name}: {key} must be a {kind.__name__} number{hint}.") from None
        if number <= 0:
            raise ConfigError(f"{name}: {key} must be greater than zero.")
        result[key] = number
    return result


def read_rates(name: str, defaults: dict[str, str]) -> dict[str, str | None]:
    """Rate strings per group (``10/h``, :func:`parse_rate`) with overrides; ``off`` turns
    every group off."""
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
        try:
            parse_rate(rate)
        except ValueError:
            raise ConfigError(f"{name}: {key}={rate!r} is not a rate: {RATE_HELP}.") from None
        result[key] = rate
    return result


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


SQLITE_BUSY_TIMEOUT = 20


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
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded default serves web requests and the task worker at once: readers never
        # wait for the writer (WAL), a write transaction takes the write lock when it starts
        # (IMMEDIATE: no deadlocked read-then-write upgrade, which fails at once whatever the
        # timeout) and waits up to SQLITE_BUSY_TIMEOUT seconds for it. What still cannot write
        # in time is answered "busy, try again" (config.middleware), never a 500.
        config.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_TIMEOUT,
            }
        )
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        if pool_size > 0:
            from psycopg_pool import ConnectionPool
            from psycopg_pool.base import AttemptWithBackoff

            # After a failed connect the pool waits 1 s, then twice as long each time: after a
            # 10 s outage its next try came up to 5 s after the database was back (make
            # faults). The wait stays at about 1 s instead (one connect a second while the
            # database is away); psycopg_pool has no setting for it.
            AttemptWithBackoff.DELAY_BACKOFF = 1.0

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
_PROVIDER_KEYS = ("id", "name", "server_url", "client_id", "secret", "scope", "pkce")
_PROVIDER_KEYS += ("token_auth_method",)
_TOKEN_AUTH_METHODS = ("client_secret_post", "client_secret_basic")
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
_TRUE, _FALSE = {"true", "1"}, {"false", "0"}


def _provider_text(where: str, provider: dict, key: str, *, required: bool) -> str:
    value = provider.get(key)
    if value is None or value == "":
        if required:
            raise ConfigError(f"{where}.{key} is missing.")
        return ""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key} must be a non-empty string, not {value!r}.")
    return value.strip()


def _provider_scope(where: str, value: object) -> list[str]:
    """A JSON list of scope names, or one space-separated string ("openid email")."""
    if isinstance(value, str):
        scopes = value.split()
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        scopes = [part for item in value for part in item.split()]
    else:
        raise ConfigError(
            f'{where}.scope must be a list of names or a string like "openid email", not {value!r}.'
        )
    if "openid" not in scopes:
        raise ConfigError(f"{where}.scope must include openid (got {' '.join(scopes)!r}).")
    return list(dict.fromkeys(scopes))


def _provider_flag(where: str, key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ConfigError(f"{where}.{key} must be true or false, not {value!r}.")


def _provider_url(where: str, value: str) -> str:
    url = urlsplit(value)
    try:
        port = url.port
    except ValueError:
        raise ConfigError(f"{where}.server_url {value!r} has a port out of range.") from None
    if url.scheme not in {"https", "http"} or not url.hostname:
        raise ConfigError(f"{where}.server_url must be an https:// issuer URL, not {value!r}.")
    if url.scheme == "http" and url.hostname not in _LOOPBACK:
        raise ConfigError(
            f"{where}.server_url must use https:// (plain http only on localhost), not {value!r}."
        )
    if port == 0:
        raise ConfigError(f"{where}.server_url {value!r} has a port out of range.")
    return value


def provider_origin(server_url: str) -> str:
    """``scheme://host[:port]`` of an issuer URL: what a Content-Security-Policy source names."""
    url = urlsplit(server_url)
    host = f"[{url.hostname}]" if ":" in (url.hostname or "") else url.hostname
    default = {"https": 443, "http": 80}[url.scheme]
    port = f":{url.port}" if url.port and url.port != default else ""
    return f"{url.scheme}://{host}{port}"


def oidc_apps(raw: str | None) -> list[dict]:
    """allauth ``openid_connect`` APPS entries from OIDC_PROVIDERS, or ConfigError.

    Any number of providers (a government ID service, a bank…); each becomes a sign-in
    button. ``server_url`` is the issuer (its ``/.well-known/openid-configuration`` is read).
    Every value is type-checked here, at start-up, so a typo is one clear line naming the
    provider and the key rather than a traceback or a quietly different setting at the first
    sign-in. Two providers may not share a ``client_id``: allauth finds the app of a callback
    by it and could not tell them apart.
    """
    if not raw:
        return []
    try:
        providers = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"OIDC_PROVIDERS is not valid JSON: {exc}") from None
    if not isinstance(providers, list):
        raise ConfigError("OIDC_PROVIDERS must be a JSON list of provider objects.")
    apps: list[dict] = []
    seen: dict[str, str] = {}
    clients: dict[str, str] = {}
    for index, provider in enumerate(providers):
        where = f"OIDC_PROVIDERS[{index}]"
        if not isinstance(provider, dict):
            raise ConfigError(f"{where} must be an object.")
        if isinstance(provider.get("id"), str):
            where = f"{where} ({provider['id']})"
        unknown = [key for key in provider if key not in _PROVIDER_KEYS]
        if unknown:
            raise ConfigError(
                f"{where} has unknown key {', '.join(map(repr, unknown))}: "
                f"use {', '.join(_PROVIDER_KEYS)}."
            )
        missing = [k for k in ("id", "name", "server_url", "client_id") if not provider.get(k)]
        if missing:
            raise ConfigError(f"{where} is missing {', '.join(missing)}.")
        pid = _provider_text(where, provider, "id", required=True)
        if not _PROVIDER_ID.match(pid) or pid in seen:
            raise ConfigError(
                f"{where}.id={pid!r} must be unique, lower-case letters, digits and dashes."
            )
        seen[pid] = where
        name = _provider_text(where, provider, "name", required=True)
        server_url = _provider_url(
            where, _provider_text(where, provider, "server_url", required=True)
        )
        client_id = _provider_text(where, provider, "client_id", required=True)
        if client_id in clients:
            raise ConfigError(
                f"{where}.client_id {client_id!r} is also the client_id of {clients[client_id]}: "
                "each provider needs its own client_id (sign-in could not tell them apart)."
            )
        clients[client_id] = where
        settings: dict = {"server_url": server_url}
        if provider.get("scope") is not None:
            settings["scope"] = _provider_scope(where, provider["scope"])
        if provider.get("pkce") is not None:
            settings["oauth_pkce_enabled"] = _provider_flag(where, "pkce", provider["pkce"])
        method = _provider_text(where, provider, "token_auth_method", required=False)
        if method:
            if method not in _TOKEN_AUTH_METHODS:
                raise ConfigError(
                    f"{where}.token_auth_method must be one of {', '.join(_TOKEN_AUTH_METHODS)}."
                )
            settings["token_auth_method"] = method
        apps.append(
            {
                "provider_id": pid,
                "name": name,
                "client_id": client_id,
                "secret": _provider_text(where, provider, "secret", required=False),
                "settings": settings,
            }
        )
    return apps


def tile_origins(url: str | None) -> list[str]:
    """The origin map tiles load from, for the CSP's img-src (none without tiles).

    A ``{s}`` subdomain placeholder becomes a wildcard (``https://*.tile.example``); other
    placeholders may appear only in the path. An address that is not http(s) is refused.
    """
    if not url:
        return []
    host_url = url.replace("{s}", "s-placeholder")
    parts = urlsplit(host_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "{" in parts.netloc:
        raise ConfigError(
            f"MAP_TILE_URL={url!r} must be an http(s) address with {{z}}/{{x}}/{{y}} in its path."
        )
    netloc = parts.netloc.replace("s-placeholder", "*")
    return [f"{parts.scheme}://{netloc}"]


def oidc_origins(apps: list[dict]) -> list[str]:
    """The origins sign-in forms post on to: each configured provider's issuer origin."""
    return list(dict.fromkeys(provider_origin(app["settings"]["server_url"]) for app in apps))

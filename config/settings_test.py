"""Test settings: in-memory SQLite and channel layer unless DATABASE_URL / REDIS_URL are set.

CI runs the suite twice: once as is, once with DATABASE_URL and REDIS_URL pointing at the
real PostgreSQL and Redis, so both runtime modes are proven.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("STARTUP_CHECK", "false")

from config.settings import *  # noqa: F403
from config.settings import REDIS_URL

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

if REDIS_URL:
    # A prefix per run keeps parallel or repeated runs from seeing each other's groups.
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"test{os.getpid()}"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test{os.getpid()}"  # noqa: F405

# Every realtime payload is checked against its event type's schema (realtime/schema.py).
REALTIME_CHECK_EVENTS = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Rate limits high enough that no test meets them by accident; api/tests/test_throttling.py
# sets its own.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "token": "100000/min", "write": "100000/min"},
}
import tempfile  # noqa: E402

MEDIA_ROOT = os.path.join(tempfile.gettempdir(), f"civic-test-media-{os.getpid()}")
# Rate limits are off in tests except where a test turns one on (community/tests/test_ratelimits.py):
# many tests post more often than a person would.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS)  # noqa: F405

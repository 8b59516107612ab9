"""ASGI entry point: HTTP to Django, websockets to the realtime routing table.

Websockets pass through ``AllowedHostsOriginValidator`` (the Origin header must be an allowed
host) and ``realtime.auth.AuthMiddlewareStack`` (the session's user is ``scope["user"]``; sockets without
a session cookie are anonymous at once, with no database hop).
"""

import gc
import os
import sys
from pprint import pformat

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config import httpserver  # noqa: E402
from config.startup import build_url_tables, check_services  # noqa: E402
from realtime.auth import AuthMiddlewareStack  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

check_services()
build_url_tables()
# Oversized requests are answered (431/414), not dropped: config/httpserver.py.
httpserver.install()

# A web process runs the event loop and the realtime action threads in one interpreter; how
# long one may hold the GIL while the other waits (docs/performance.md, co-design).
sys.setswitchinterval(settings.REALTIME["SWITCH_INTERVAL_MS"] / 1000)


def _plain_autobahn_log_arguments() -> None:
    """autobahn (daphne's websocket protocol) colours the arguments of its debug log calls
    with click for every frame it sends, even with debug logging off: 8% of a busy
    process's event loop (docs/performance.md). click is only here with the development
    tools (schemathesis), so this makes a development install behave as production does."""
    import autobahn.util

    autobahn.util._HAS_CLICK = False


_plain_autobahn_log_arguments()


class _FormattedWhenWritten:
    """``pformat(obj)``, made only if the log line carrying it is ever written."""

    def __init__(self, obj: object) -> None:
        self.obj = obj

    def __str__(self) -> str:
        return pformat(self.obj)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _lazy_autobahn_connect_log() -> None:
    """autobahn pretty-prints its protocol options for a debug line on every new websocket
    connection, debug logging on or not: about 5 ms of the event loop per socket in a
    profiled 2,000-socket storm (docs/performance.md, item 11). Its log calls take the
    argument as is, so it is formatted only if the line is written."""
    import autobahn.websocket.protocol as protocol

    protocol.pformat = _FormattedWhenWritten
    protocol.Timings.__str__ = lambda self: pformat(self._timings)  # the module's other use


_lazy_autobahn_connect_log()


def _freeze_start_up_objects() -> None:
    """Keep what start-up built (Django, Wagtail, every module, URL patterns, templates' code)
    out of the garbage collector's full collections. Each full pass walked all of it while
    holding the GIL: up to 276 ms in which a busy process answered nothing, five times in
    a 40-second co-design run (docs/performance.md). Frozen objects are never freed, which
    is what start-up objects are anyway."""
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

"""ASGI entry point: HTTP to Django, websockets to the realtime routing table.

Websockets pass through ``AllowedHostsOriginValidator`` (the Origin header must be an allowed
host) and ``realtime.auth.AuthMiddlewareStack`` (the session's user is ``scope["user"]``; sockets without
a session cookie are anonymous at once, with no database hop).
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from config.startup import check_services  # noqa: E402
from realtime.auth import AuthMiddlewareStack  # noqa: E402
from realtime.routing import websocket_urlpatterns  # noqa: E402

check_services()

# A web process runs the event loop and the realtime action threads in one interpreter; how
# long one may hold the GIL while the other waits (docs/performance.md, co-design).
sys.setswitchinterval(settings.REALTIME["SWITCH_INTERVAL_MS"] / 1000)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

"""The benchmark servers' ASGI entry point: the site's application with the baselines added.

``config.asgi`` serves the site; this wraps it so benchmark processes (and only they) also
route ``/bench/ping``, ``/bench/relay`` and the bare relay sockets (bench/endpoints.py). The
production routing table never imports benchmark code.
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

if os.environ.get("BENCH_PROFILE"):
    # ``BENCH_PROFILE=<path>``: cProfile the server's main thread (the event loop: sockets,
    # snapshots' coordination, fan-out) from import to exit; stats written to
    # ``<path>.<pid>`` when daphne stops (SIGTERM ends Twisted's reactor, then atexit runs).
    import atexit
    import cProfile

    _profiler = cProfile.Profile()
    _profiler.enable()
    atexit.register(lambda: _profiler.dump_stats(f"{os.environ['BENCH_PROFILE']}.{os.getpid()}"))

from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from bench.endpoints import DirectRelayConsumer, RelayConsumer
from config.asgi import django_asgi_app
from realtime.auth import AuthMiddlewareStack
from realtime.routing import websocket_urlpatterns

bench_websocket_urlpatterns = [
    path("ws/bench/relay/", RelayConsumer.as_asgi()),
    path("ws/bench/relay-direct/", DirectRelayConsumer.as_asgi()),
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter([*bench_websocket_urlpatterns, *websocket_urlpatterns]))
        ),
    }
)

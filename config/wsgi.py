"""WSGI entry point: the site's HTTP pages on gunicorn's threaded workers (no websockets).

The shipped topology (docs/operations.md) serves HTTP here and websockets on daphne
(``config.asgi``), the proxy routing ``/ws/`` to daphne. Same settings, middleware and views
as under daphne: nothing in the stack is async-only, and realtime events published by a
request go to Redis from the request's own thread (``realtime.events``), as under daphne.
"""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application


class ProxiedClientAddress:
    """REMOTE_ADDR = the client the proxy saw, as daphne's ``--proxy-headers`` does.

    gunicorn sits behind the proxy (nginx in compose.yml and ``make run-cluster``), so its peer
    is the proxy: every visitor would share one address, and one rate-limit bucket
    (``community.ratelimits``). The proxy appends the address it was connected from to
    ``X-Forwarded-For``; the last entry is the one it wrote, so a client cannot choose it.
    Never expose gunicorn without the proxy in front.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            client = forwarded.rsplit(",", 1)[-1].strip()
            if client:
                environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)


def build_application():
    """The site as gunicorn serves it (tests call this without the start-up steps below)."""
    return ProxiedClientAddress(get_wsgi_application())


application = build_application()

from config.startup import build_url_tables, check_services  # noqa: E402

check_services()
build_url_tables()

# As in config.asgi: start-up objects stay out of the garbage collector's full passes.
gc.collect()
gc.freeze()

"""WSGI entry point: the site's HTTP pages on gunicorn's sync workers (no websockets).

The shipped topology (docs/operations.md) serves HTTP here and websockets on daphne
(``config.asgi``), the proxy routing ``/ws/`` to daphne. Same settings, middleware and views
as under daphne: nothing in the stack is async-only, and realtime events published by a
request go to Redis from the request's own thread (``realtime.events``), as under daphne.
"""

import gc
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from config.startup import check_services  # noqa: E402

check_services()

# As in config.asgi: start-up objects stay out of the garbage collector's full passes.
gc.collect()
gc.freeze()

"""The benchmark servers' WSGI entry point: the site with the baselines (``bench.urls``).

The WSGI twin of ``bench.asgi`` for gunicorn: ``/bench/ping`` and the site's pages.
"""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from config.wsgi import application

__all__ = ["application"]

"""Settings for the servers the benchmarks start: the production settings, with the
benchmark baselines (bench/endpoints.py) added to the URL configuration. Only
``bench.asgi`` selects this module, so the baselines never exist on the site itself."""

from config.settings import *  # noqa: F403 - the site's settings, unchanged

ROOT_URLCONF = "bench.urls"

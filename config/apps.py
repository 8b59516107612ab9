from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class ProjectConfig(AppConfig):
    """The project's own start-up steps, installed before any app is ready.

    Listed first in ``INSTALLED_APPS`` so that what it installs is in place before any other
    app's ``ready()`` (or any page) translates anything. Apps never reach up into ``config``
    for this: the dependency runs from ``config`` to the apps only.
    """

    name = "config"
    label = "project"
    verbose_name = "Project"

    def ready(self) -> None:
        from config import i18n

        i18n.install()


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's static files, leaving out vendored files that cannot be post-processed.

    XStatic-Leaflet-MarkerCluster ships ``leaflet.markercluster.js`` pointing at a source map
    it does not include, so the hashed-manifest storage (production: ``collectstatic``)
    refuses it. Pages load its unminified twin, ``leaflet.markercluster-src.js``, whose map
    is shipped.
    """

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "leaflet.markercluster.js"]

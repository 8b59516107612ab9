from django.apps import AppConfig


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

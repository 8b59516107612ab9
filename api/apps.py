from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Open data: the REST API (/api/v1/), personal API tokens, Atom feeds, bulk downloads.

    Sits beside ``config``: it may import every app it publishes; no app imports it.
    """

    name = "api"
    verbose_name = _("Open data and API")
    default_auto_field = "django.db.models.BigAutoField"

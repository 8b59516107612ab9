from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """Places: districts agencies define as GeoJSON polygons, and points on content.

    Generic (``community.places``): content models in any app inherit
    :class:`~community.places.models.PlaceFields` and call
    :func:`community.places.actions.place_assign` from their own actions, which rounds a
    citizen's point and finds its district. Pure-Python geometry (:mod:`.geometry`), no GEOS.
    """

    name = "community.places"
    label = "places"
    verbose_name = _("Places and districts")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.places import permissions  # noqa: F401 - registers permissions

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionConfig(AppConfig):
    """Opinion maps (``ideas.opinion``): the engine (``engine.py``, ``polis.py``), and around it
    the stored maps, the debounced background recompute, the live map stream, the map partial
    and the idea boards' impressions. Conversations and idea boards plug in as *sources*
    (``sources.register_source``)."""

    name = "ideas.opinion"
    label = "opinion"
    verbose_name = _("Opinion maps")

    def ready(self) -> None:
        from community.privacy import register_erasure, register_export
        from ideas.opinion import board, events, privacy  # noqa: F401 - declares event types

        board.register()
        register_export(
            "opinion_board_impressions",
            _("Ideas you were shown on idea boards"),
            privacy.export_impressions,
        )
        register_erasure("opinion_board_impressions", privacy.erase_impressions)

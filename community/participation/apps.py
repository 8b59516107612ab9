from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Participation events and the segments citizens choose to share (``community.participation``).

    The recorder is generic: other apps register event kinds (:mod:`.kinds`) and call
    :func:`community.participation.recorder.record_event` from their services; the insight
    dashboard (``ideas.insight``) reads the rows. Community never imports ideas or cms.
    """

    name = "community.participation"
    label = "participation"
    verbose_name = _("Participation events")

    def ready(self) -> None:
        from community.participation import kinds, privacy  # noqa: F401 - registers kinds

        privacy.register()

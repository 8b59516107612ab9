from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from community.privacy import register_export
        from ideas import events, privacy  # noqa: F401 - declares the board event types

        register_export("ideas", _("Ideas you posted"), privacy.export_ideas, contributions=True)
        register_export(
            "ideas_comments", _("Comments on ideas"), privacy.export_comments, contributions=True
        )
        register_export("ideas_support", _("Ideas you support"), privacy.export_support)

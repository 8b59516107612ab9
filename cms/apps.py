from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Content")

    def ready(self) -> None:
        from cms import caching, experience, search

        caching.connect()
        search.register()
        from django.utils.translation import gettext_lazy

        from community.permissions import can_edit_pages
        from community.workspace import register_workspace_page

        register_workspace_page(gettext_lazy("Send campaigns"), "cms:campaigns", can_edit_pages)
        experience.register()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    """Conversations: agree / disagree / pass on short statements (``ideas.conversations``)."""

    name = "ideas.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from community.privacy import register_erasure, register_export
        from ideas.conversations import (
            moderation,
            opinion,
            permissions,  # noqa: F401 - registers the rules permissions
            privacy,
            sms,
            sources,
        )

        moderation.register()
        sources.register()
        sms.register()
        opinion.register()
        register_export(
            "conversation_statements",
            _("Statements you added to conversations"),
            privacy.export_statements,
            contributions=True,
        )
        register_export(
            "conversation_votes", _("Your votes in conversations"), privacy.export_votes
        )
        register_erasure("conversations", privacy.erase)

"""How statements take part in moderation (registered in ``ConversationsConfig.ready``).

``community.moderation`` keeps the held/hidden case; these hooks mirror it in
``Statement.is_hidden`` (routing, counts, the map and the export leave hidden statements out)
and ask for the map to be recomputed.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.moderation.registry import register_reportable
from ideas.conversations import opinion
from ideas.conversations.models import STATEMENT_MAX, Statement


def _set_hidden(statement: Statement, hidden: bool) -> None:
    Statement.objects.filter(pk=statement.pk).update(is_hidden=hidden)
    opinion.schedule(statement.conversation_id)


def _edit(statement: Statement, text: str) -> None:
    Statement.objects.filter(pk=statement.pk).update(
        text=" ".join(text.split())[:STATEMENT_MAX], edited_at=timezone.now()
    )


def register() -> None:
    register_reportable(
        Statement,
        kind_label=_("Conversation statement"),
        author=lambda statement: statement.persona,
        agency=lambda statement: statement.conversation.agency,
        text=lambda statement: statement.text,
        context=lambda statement: str(
            _("Statement in the conversation “%(title)s”") % {"title": statement.conversation.title}
        ),
        url=lambda statement: statement.get_absolute_url(),
        on_hide=lambda statement, reason: _set_hidden(statement, True),
        on_publish=lambda statement: _set_hidden(statement, False),
        apply_edit=_edit,
    )

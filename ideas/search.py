"""What of ``ideas`` the site search finds: challenges, ideas, comments, co-design session
summaries, public roadmap items and conversation statements (``community.search``).

Each ``visible`` queryset is the same rule the open-data API publishes by (published boards,
not merged, not held or hidden, open sessions, public roadmap stages, shown statements in
opened conversations), so search never shows what the API would not.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.moderation.selectors import hidden_q
from community.search.registry import Document, Provider, Watch, register


def _translations(value: Any) -> str:
    """Every string in a ``translations`` field (found by search, never shown from here)."""
    if isinstance(value, dict):
        return " ".join(_translations(v) for v in value.values())
    return value if isinstance(value, str) else ""


def _challenge_document(challenge: Any) -> Document:
    return Document(
        title=challenge.question,
        body=f"{challenge.cover_text} {challenge.background}",
        url=challenge.get_absolute_url(),
        updated_at=challenge.updated_at,
        agency_id=challenge.agency_id,
        extra=_translations(challenge.translations),
    )


def _idea_document(idea: Any) -> Document:
    return Document(
        title=idea.title,
        body=idea.body,
        url=idea.get_absolute_url(),
        updated_at=idea.updated_at,
        agency_id=idea.challenge.agency_id,
        status=idea.status,
        # Similar-idea hints read a board's entries by scope; merged duplicates leave it.
        scope="" if idea.merged_into_id else f"challenge:{idea.challenge_id}",
    )


def _comment_document(comment: Any) -> Document:
    return Document(
        title=_("Comment on “%(idea)s”") % {"idea": comment.idea.title},
        body=comment.body,
        url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        updated_at=comment.edited_at or comment.created_at,
        agency_id=comment.idea.challenge.agency_id,
    )


def _session_document(session: Any) -> Document:
    outcomes = " ".join(f"{o.title}. {o.description}" for o in session.outcomes.all())
    return Document(
        title=session.title,
        body=f"{session.goal} {outcomes}",
        url=session.get_absolute_url(),
        updated_at=session.ended_at or session.started_at or session.created_at,
        agency_id=session.agency_id,
        status=session.phase,
    )


def _item_document(item: Any) -> Document:
    return Document(
        title=item.title,
        body=f"{item.problem} {item.proposed_change} {item.public_reason}",
        url=item.get_absolute_url(),
        updated_at=item.updated_at,
        agency_id=item.agency_id,
        status=item.status,
        extra=_translations(item.translations),
    )


def _statement_document(statement: Any) -> Document:
    conversation = statement.conversation
    return Document(
        title=statement.text,
        body=conversation.title,
        url=statement.get_absolute_url(),
        updated_at=statement.edited_at or statement.created_at,
        agency_id=conversation.agency_id,
    )


def _public_challenges() -> QuerySet[Any]:
    from ideas.models import Challenge

    return Challenge.objects.published()


def _public_ideas() -> QuerySet[Any]:
    from ideas.models import Idea

    return (
        Idea.objects.visible()
        .filter(challenge__is_published=True)
        .exclude(hidden_q(Idea))
        .select_related("challenge")
    )


def _public_comments() -> QuerySet[Any]:
    from ideas.models import Comment, Idea

    return (
        Comment.objects.filter(idea__challenge__is_published=True, idea__merged_into__isnull=True)
        .exclude(hidden_q(Comment))
        .exclude(idea__in=Idea.objects.filter(hidden_q(Idea)))
        .select_related("idea__challenge")
    )


def _open_sessions() -> QuerySet[Any]:
    from ideas.codesign.models import CodesignSession, Outcome, Visibility

    return CodesignSession.objects.filter(visibility=Visibility.OPEN).prefetch_related(
        Prefetch("outcomes", queryset=Outcome.objects.order_by("position", "pk"))
    )


def _public_items() -> QuerySet[Any]:
    from ideas.backlog.models import BacklogItem
    from ideas.backlog.selectors import PUBLIC_STATUSES

    return BacklogItem.objects.filter(is_public=True, status__in=PUBLIC_STATUSES)


def _shown_statements() -> QuerySet[Any]:
    from ideas.conversations.models import Statement

    return (
        Statement.objects.filter(is_hidden=False, conversation__opens_at__lte=timezone.now())
        .filter(
            Q(conversation__challenge__isnull=True) | Q(conversation__challenge__is_published=True)
        )
        .exclude(hidden_q(Statement))
        .select_related("conversation")
    )


def register_all() -> None:
    from ideas.backlog.models import BacklogItem, ItemStatus
    from ideas.codesign.models import CodesignSession, Outcome
    from ideas.codesign.models import Phase as SessionPhase
    from ideas.conversations.models import Statement
    from ideas.models import Challenge, Comment, Idea, Status

    register(
        Provider(
            kind="challenge",
            label=gettext_lazy("Challenges"),
            model=Challenge,
            queryset=lambda: Challenge.objects.all(),
            document=_challenge_document,
            visible=_public_challenges,
            fields=frozenset(
                {"question", "cover_text", "background", "translations", "agency", "is_published"}
            ),
        )
    )
    register(
        Provider(
            kind="idea",
            label=gettext_lazy("Ideas"),
            model=Idea,
            queryset=lambda: Idea.objects.select_related("challenge"),
            document=_idea_document,
            visible=_public_ideas,
            statuses=list(Status.choices),
            fields=frozenset({"title", "body", "status", "challenge", "merged_into"}),
        )
    )
    register(
        Provider(
            kind="comment",
            label=gettext_lazy("Comments"),
            model=Comment,
            queryset=lambda: Comment.objects.select_related("idea__challenge"),
            document=_comment_document,
            visible=_public_comments,
            fields=frozenset({"body", "edited_at"}),
        )
    )
    register(
        Provider(
            kind="session",
            label=gettext_lazy("Co-design sessions"),
            model=CodesignSession,
            queryset=_open_sessions,
            document=_session_document,
            visible=_open_sessions,
            statuses=list(SessionPhase.choices),
            watches=(Watch(Outcome, lambda outcome: [outcome.session_id]),),
            fields=frozenset({"title", "goal", "phase", "visibility", "agency", "ended_at"}),
        )
    )
    register(
        Provider(
            kind="backlog_item",
            label=gettext_lazy("Roadmap items"),
            model=BacklogItem,
            queryset=lambda: BacklogItem.objects.all(),
            document=_item_document,
            visible=_public_items,
            statuses=list(ItemStatus.choices),
        )
    )
    register(
        Provider(
            kind="statement",
            label=gettext_lazy("Conversation statements"),
            model=Statement,
            queryset=lambda: Statement.objects.select_related("conversation"),
            document=_statement_document,
            visible=_shown_statements,
            fields=frozenset({"text", "is_hidden", "edited_at"}),
        )
    )

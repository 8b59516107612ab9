"""The open-data endpoints of /api/v1/ and the three writes (post an idea, support, comment).

Reads go through each app's selectors (public rows only). Writes call the same actions as
the web forms — ``ideas.actions.idea_create``, ``vote_cast``, ``vote_withdraw``,
``comment_create`` — as the token's account, so permissions, screening holds and limits are
the same; a held post answers 202 and stays out of every public list until approved.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from taggit.models import Tag, TaggedItem

from api import filters, serializers
from api.base import FiguresViewSet, OpenDataViewSet
from community.exchange.selectors import live_posts
from community.moderation.models import ModerationAction
from community.moderation.selectors import transparency
from community.selectors import agencies, personas_of
from ideas import actions as idea_actions
from ideas import selectors as idea_selectors
from ideas.backlog import selectors as backlog_selectors
from ideas.codesign import selectors as codesign_selectors
from ideas.conversations import selectors as conversation_selectors
from ideas.models import Challenge


class ReadOnlyOrToken(BasePermission):
    """Anyone may read; writing needs a personal API token."""

    message = _("Writing needs a personal API token: send “Authorization: Bearer <token>”.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or request.auth:
            return True
        raise NotAuthenticated(self.message)


def _persona(user, handle: str | None):
    if not handle:
        return None
    persona = personas_of(user).filter(slug=handle).first()
    if persona is None:
        raise ValidationError({"persona": [_("Use the handle of one of your own personas.")]})
    return persona


def _held(obj) -> Response | None:
    screening = getattr(obj, "screening", None)
    if screening is not None and screening.held:
        data = {
            "id": obj.pk,
            "held_for_review": True,
            "detail": _("Thanks. A moderator checks it before it is shown; this is usually quick."),
        }
        return Response(data, status=status.HTTP_202_ACCEPTED)
    return None


class AgencyViewSet(OpenDataViewSet):
    """Agencies: the parts of government that pose challenges and keep backlogs."""

    serializer_class = serializers.AgencySerializer
    filterset_class = filters.AgencyFilter
    ordering_fields = ("name", "created_at")
    ordering = "name"
    modified_fields = ("created_at",)
    dataset = "agencies"
    dataset_title = gettext_lazy("Agencies")
    dataset_description = gettext_lazy(
        "Agencies: the parts of government that pose challenges and keep backlogs."
    )

    @classmethod
    def public_queryset(cls):
        return agencies()


class ChallengeViewSet(OpenDataViewSet):
    """Published challenges ("How might we …?") and their idea boards."""

    serializer_class = serializers.ChallengeSerializer
    filterset_class = filters.ChallengeFilter
    ordering_fields = ("opens_at", "closes_at", "created_at")
    ordering = "-opens_at"
    dataset = "challenges"
    dataset_title = gettext_lazy("Challenges")
    dataset_description = gettext_lazy(
        'Published challenges ("How might we …?") and their idea boards.'
    )

    @classmethod
    def public_queryset(cls):
        return idea_selectors.public_challenges()


@extend_schema_view(
    create=extend_schema(
        request=serializers.IdeaCreateSerializer,
        responses={
            201: serializers.IdeaSerializer,
            202: serializers.HeldSerializer,
        },
        description=_("Post an idea as one of your personas (needs a token)."),
    ),
)
class IdeaViewSet(mixins.CreateModelMixin, OpenDataViewSet):
    """Public ideas with their support and comment counts, tags, status and responses."""

    serializer_class = serializers.IdeaSerializer
    filterset_class = filters.IdeaFilter
    permission_classes = [ReadOnlyOrToken]
    ordering_fields = ("created_at", "updated_at", "support_count", "comment_count")
    ordering = "-created_at"
    dataset = "ideas"
    dataset_title = gettext_lazy("Ideas")
    dataset_description = gettext_lazy(
        "Public ideas with their support and comment counts, tags, status and responses."
    )

    @classmethod
    def public_queryset(cls):
        return idea_selectors.public_ideas()

    def create(self, request, *args, **kwargs):
        data = serializers.IdeaCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        challenge = Challenge.objects.published().filter(pk=values["challenge"]).first()
        if challenge is None:
            raise ValidationError(
                {"challenge": [_("There is no published challenge with that id.")]}
            )
        idea = idea_actions.idea_create(
            user=request.user,
            challenge=challenge,
            title=values["title"],
            body=values["body"],
            tags=values.get("tags", ()),
            persona=_persona(request.user, values.get("persona")),
        )
        held = _held(idea)
        if held is not None:
            return held
        fresh = self.public_queryset().get(pk=idea.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.SupportSerializer,
        responses={200: serializers.SupportResultSerializer},
        description=_("Support the idea (POST) or withdraw your support (DELETE); needs a token."),
    )
    @action(detail=True, methods=["post", "delete"], url_path="support")
    def support(self, request, pk=None):
        idea = self.get_object()
        if request.method == "DELETE":
            count = idea_actions.vote_withdraw(user=request.user, idea=idea)
        else:
            data = serializers.SupportSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            persona = _persona(request.user, data.validated_data.get("persona"))
            count = idea_actions.vote_cast(user=request.user, idea=idea, persona=persona)
        return Response({"support_count": count})


@extend_schema_view(
    create=extend_schema(
        request=serializers.CommentCreateSerializer,
        responses={201: serializers.CommentSerializer, 202: serializers.HeldSerializer},
        description=_("Comment on an idea, or reply to a comment (needs a token)."),
    ),
)
class CommentViewSet(mixins.CreateModelMixin, OpenDataViewSet):
    """Public comments on public ideas."""

    serializer_class = serializers.CommentSerializer
    filterset_class = filters.CommentFilter
    permission_classes = [ReadOnlyOrToken]
    ordering_fields = ("created_at",)
    ordering = "created_at"
    modified_fields = ("created_at", "edited_at")
    dataset = "comments"
    dataset_title = gettext_lazy("Comments")
    dataset_description = gettext_lazy("Public comments on public ideas.")

    @classmethod
    def public_queryset(cls):
        return idea_selectors.public_comments()

    def create(self, request, *args, **kwargs):
        data = serializers.CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        idea = idea_selectors.public_ideas().filter(pk=values["idea"]).first()
        if idea is None:
            raise ValidationError({"idea": [_("There is no public idea with that id.")]})
        parent = None
        if values.get("parent"):
            parent = self.public_queryset().filter(pk=values["parent"]).first()
            if parent is None:
                raise ValidationError({"parent": [_("There is no public comment with that id.")]})
        comment = idea_actions.comment_create(
            user=request.user,
            idea=idea,
            body=values["body"],
            parent=parent,
            persona=_persona(request.user, values.get("persona")),
        )
        held = _held(comment)
        if held is not None:
            return held
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


class ResponseViewSet(OpenDataViewSet):
    """Agencies' official public responses that moved ideas to a new status."""

    serializer_class = serializers.ResponseSerializer
    filterset_class = filters.ResponseFilter
    ordering_fields = ("created_at",)
    modified_fields = ("created_at",)
    dataset = "responses"
    dataset_title = gettext_lazy("Official responses to ideas")
    dataset_description = gettext_lazy(
        "Agencies' official public responses that moved ideas to a new status."
    )

    @classmethod
    def public_queryset(cls):
        return idea_selectors.public_status_changes()


class BacklogItemViewSet(OpenDataViewSet):
    """The public roadmap: backlog items from triage onwards, with public updates and the
    ideas they came from. Filter by ``stage`` for one column of the roadmap."""

    serializer_class = serializers.BacklogItemSerializer
    filterset_class = filters.BacklogItemFilter
    ordering_fields = ("created_at", "updated_at", "status_changed_at")
    ordering = "-status_changed_at"
    modified_fields = ("updated_at", "status_changed_at")
    dataset = "backlog_items"
    dataset_title = gettext_lazy("Roadmap (public backlog items)")
    dataset_description = gettext_lazy(
        "The public roadmap: backlog items from triage onwards, with their public updates and the ideas they came from. The stage field says which column of the roadmap an item is in."
    )

    @classmethod
    def public_queryset(cls):
        return backlog_selectors.open_data_items()


class BacklogUpdateViewSet(OpenDataViewSet):
    """Public updates on roadmap items, newest first."""

    serializer_class = serializers.PublicUpdateSerializer
    filterset_class = filters.UpdateFilter
    modified_fields = ("created_at",)
    dataset = "backlog_updates"
    dataset_title = gettext_lazy("Roadmap updates")
    dataset_description = gettext_lazy("Public updates on roadmap items, newest first.")

    @classmethod
    def public_queryset(cls):
        return backlog_selectors.open_data_updates()


class ExchangePostViewSet(OpenDataViewSet):
    """Live offers of help and requests for it on the service exchange (public fields)."""

    serializer_class = serializers.ExchangePostSerializer
    filterset_class = filters.ExchangePostFilter
    dataset = "exchange_posts"
    dataset_title = gettext_lazy("Service exchange offers and requests")
    dataset_description = gettext_lazy(
        "Live offers of help and requests for it on the service exchange (public fields only)."
    )

    @classmethod
    def public_queryset(cls):
        return live_posts().select_related("persona", "organisation")


class SessionSummaryViewSet(OpenDataViewSet):
    """Co-design sessions anyone could watch (open, not invited), finished or not: phase,
    prompts, groups with vote totals, outcomes (with the roadmap item they became, once it is
    public) and notes once the facilitator has revealed them. Held or hidden notes and
    invited sessions are never here; nor is who took part (only how many)."""

    serializer_class = serializers.SessionSummarySerializer
    filterset_class = filters.SessionSummaryFilter
    ordering_fields = ("scheduled_at", "created_at")
    ordering = "-scheduled_at"
    modified_fields = ("changed_at",)
    dataset = "session_summaries"
    dataset_title = gettext_lazy("Co-design session summaries")
    dataset_description = gettext_lazy(
        "Co-design sessions anyone could watch: phase, prompts, groups with vote totals, outcomes and revealed notes. Invited sessions, held or hidden notes and who took part are never included (only how many)."
    )

    @classmethod
    def public_queryset(cls):
        return codesign_selectors.open_data_sessions()


class TagViewSet(OpenDataViewSet):
    """Tags used on published challenges or public ideas."""

    serializer_class = serializers.TagSerializer
    filterset_class = filters.TagFilter
    ordering_fields = ("name",)
    ordering = "name"
    modified_fields = ()
    dataset = "tags"
    dataset_title = gettext_lazy("Tags")
    dataset_description = gettext_lazy("Tags used on published challenges or public ideas.")

    @classmethod
    def public_queryset(cls):
        used = TaggedItem.objects.filter(
            Q(
                content_type__app_label="ideas",
                content_type__model="idea",
                object_id__in=idea_selectors.public_ideas().values("pk"),
            )
            | Q(
                content_type__app_label="ideas",
                content_type__model="challenge",
                object_id__in=Challenge.objects.published().values("pk"),
            )
        ).values("tag_id")
        return Tag.objects.filter(pk__in=used)


class PolisCsvRenderer(BaseRenderer):
    """The CSV text of one Pol.is openData file, as it is."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        return json.dumps(data).encode(self.charset)  # an error body


class ConversationViewSet(OpenDataViewSet):
    """Conversations that have opened (agree / disagree / pass on short statements), each
    with its Pol.is openData export."""

    serializer_class = serializers.ConversationSerializer
    ordering_fields = ("opens_at",)
    ordering = "-opens_at"
    modified_fields = ()  # votes change the export at any time: ETag only
    dataset = "conversations"
    dataset_title = gettext_lazy("Conversations")
    dataset_description = gettext_lazy(
        "Conversations that have opened; each one's votes are in polis/<id>/ in Pol.is "
        "openData format, with anonymous participant numbers."
    )

    @classmethod
    def public_queryset(cls):
        return conversation_selectors.public_conversations()

    def get_renderers(self):
        if self.action == "polis":
            return [PolisCsvRenderer()]
        return super().get_renderers()

    def finalize_response(self, request, response, *args, **kwargs):
        if self.action == "polis" and response.status_code != 200:
            # Errors are JSON like everywhere else in the API, not a CSV file.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    @extend_schema(
        responses={(200, "text/csv"): str},
        description=_(
            "One file of the conversation's Pol.is openData export: comments, "
            "participants-votes or summary."
        ),
    )
    def polis(self, request, pk=None, name=""):
        """Routed in ``api.urls`` (``…/polis/<name>.csv``, no trailing slash: a file)."""
        conversation = self.get_object()
        files = conversation_selectors.polis_export(conversation, site_url=settings.SITE_URL)
        return Response(files[f"{name}.csv"], content_type="text/csv; charset=utf-8")


class SearchViewSet(viewsets.GenericViewSet):
    """The site search (the same as /search/): pages, challenges, ideas, comments, co-design
    sessions, roadmap items, exchange posts and conversation statements anyone may see,
    best first, in English or Spanish. Without ``q`` nothing is found; ``kind``, ``agency`` (slug) and
    ``status`` filter; ``page`` pages through at most 200 results, 20 at a time. Any text
    is accepted as ``q`` (it is cut to a searchable length)."""

    serializer_class = serializers.SearchHitSerializer
    pagination_class = None
    dataset = None
    params = ("q", "kind", "agency", "status", "page")

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="The words to find."),
            OpenApiParameter("kind", str, description="Only results of this kind."),
            OpenApiParameter("agency", str, description="Only this agency's (slug)."),
            OpenApiParameter("status", str, description="Only results with this status."),
            OpenApiParameter("page", int, description="Page of 20 results (from 1)."),
        ]
    )
    def list(self, request):
        from community.search.selectors import site_search

        unknown = [name for name in request.query_params if name not in self.params]
        if unknown:
            raise ValidationError(
                {
                    name: [_("Unknown parameter. Use q, kind, agency, status or page.")]
                    for name in unknown
                }
            )
        query = request.query_params.get("q", "")
        raw_page = request.query_params.get("page", "1")
        page = int(raw_page) if raw_page.isdigit() and len(raw_page) < 4 else 1
        kind = request.query_params.get("kind", "")
        found = site_search(
            query,
            kinds=[kind] if kind else None,
            agency_slug=request.query_params.get("agency", ""),
            status=request.query_params.get("status", ""),
            page=max(page, 1),
        )
        return Response(
            {
                "query": found.query,
                "count": found.total,
                "results": self.get_serializer(found.hits, many=True).data,
            }
        )


class TransparencyViewSet(FiguresViewSet):
    """Monthly moderation figures (reports, holds, decisions by action and reason, median
    time to decide), computed from the audit log. No content, no people."""

    serializer_class = serializers.TransparencyMonthSerializer
    dataset = "moderation_transparency"
    dataset_title = gettext_lazy("Moderation transparency figures")
    dataset_description = gettext_lazy(
        "Monthly moderation figures: reports, holds, decisions by action and reason, and the median time to decide. No content and no people."
    )

    @staticmethod
    def last_change():
        return (
            ModerationAction.objects.order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )

    @staticmethod
    def rows():
        months = transparency(
            list(
                ModerationAction.objects.only("action", "reason", "waited", "created_at").order_by(
                    "created_at"
                )
            )
        )
        return [
            {**m, "by_action": dict(m["by_action"]), "by_reason": dict(m["by_reason"])}
            for m in months
        ]

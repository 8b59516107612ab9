"""Public serialisers: what the open data says about each thing, field by field.

Privacy by construction: a contribution shows its persona as ``{"name", "handle"}`` and
nothing else — never the account, its email, its id, or the account's other personas.
Anonymised personas ("Former participant") have no handle. Staff who acted (who changed a
status, who owns a backlog item, who wrote an update) are never published: the agency speaks.
Every field carries a description: it becomes the OpenAPI schema and the data dictionary.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community.exchange.models import Post
from community.models import Organisation, Persona
from community.text import looks_like_html, sanitize_html
from ideas.backlog.models import BacklogItem, PublicUpdate, RoadmapStage
from ideas.codesign.models import CodesignSession, Colour
from ideas.codesign.models import Phase as SessionPhase
from ideas.conversations.models import Conversation
from ideas.models import Challenge, Comment, Idea, Phase, StatusChange


def absolute(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL.rstrip('/')}{path}"


class SanitisedHTMLField(serializers.CharField):
    """Rich text, sanitised again on the way out (as the pages' ``|rich`` filter does), so a
    row stored before the sanitiser, or by a path that forgot it, never reaches API clients
    as active HTML."""

    def to_representation(self, value):
        text = str(value or "")
        return str(sanitize_html(text)) if looks_like_html(text) else text


class PersonaSerializer(serializers.Serializer):
    """The public face a contribution was made under."""

    name = serializers.CharField(
        source="public_name", help_text=_("The persona's public name."), read_only=True
    )
    handle = serializers.SerializerMethodField(
        help_text=_(
            "The persona's public handle (its page is /people/<handle>/); null once the "
            "person has left the platform."
        )
    )

    @extend_schema_field({"type": "string", "nullable": True})
    def get_handle(self, persona: Persona) -> str | None:
        return None if persona.is_anonymised else persona.slug


class WebUrlField(serializers.SerializerMethodField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("The page for this item on the website."))
        super().__init__(method_name="get_web_url", **kwargs)


class WebUrlMixin(serializers.Serializer):
    web_url = WebUrlField()

    @extend_schema_field({"type": "string", "format": "uri"})
    def get_web_url(self, obj) -> str:
        return absolute(obj.get_absolute_url())


class TagListField(serializers.ListField):
    child = serializers.CharField()

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("Tag names, alphabetical."))
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        return sorted(tag.name for tag in instance.tags.all())


class AgencySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the agency."))
    slug = serializers.CharField(read_only=True, help_text=_("Stable short name of the agency."))
    name = serializers.CharField(read_only=True, help_text=_("The agency's name."))
    description = serializers.CharField(read_only=True, help_text=_("What the agency does."))
    website = serializers.CharField(read_only=True, help_text=_("The agency's own website."))
    created_at = serializers.DateTimeField(
        read_only=True, help_text=_("When the agency joined the platform.")
    )

    class Meta:
        model = Organisation
        fields = ["id", "slug", "name", "description", "website", "created_at"]


class ChallengeSerializer(WebUrlMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the challenge."))
    slug = serializers.CharField(read_only=True, help_text=_("Stable short name."))
    question = serializers.CharField(
        read_only=True, help_text=_('The question ("How might we …?").')
    )
    cover_text = serializers.CharField(read_only=True, help_text=_("One or two sentences."))
    background = serializers.CharField(read_only=True, help_text=_("Background, plain text."))
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency that asks.")
    )
    tags = TagListField()
    phase = serializers.ChoiceField(
        choices=Phase.choices,
        read_only=True,
        help_text=_(
            "Upcoming, open for ideas, in review (no new ideas) or closed; from the dates."
        ),
    )
    opens_at = serializers.DateTimeField(read_only=True, help_text=_("When ideas may be posted."))
    ideas_close_at = serializers.DateTimeField(
        read_only=True, help_text=_("When new ideas stop; support and comments continue.")
    )
    closes_at = serializers.DateTimeField(read_only=True, help_text=_("When the board closes."))
    idea_count = serializers.IntegerField(
        source="public_idea_count", read_only=True, help_text=_("Number of public ideas.")
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was created."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When it last changed."))

    class Meta:
        model = Challenge
        fields = [
            "id", "slug", "question", "cover_text", "background", "agency", "tags", "phase",
            "opens_at", "ideas_close_at", "closes_at", "idea_count", "web_url",
            "created_at", "updated_at",
        ]  # fmt: skip


class ResponseSerializer(serializers.ModelSerializer):
    """An agency's official public response that moved an idea to a new status."""

    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the response."))
    idea = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the idea responded to.")
    )
    from_status = serializers.ChoiceField(
        choices=StatusChange._meta.get_field("from_status").choices,
        read_only=True,
        help_text=_("Status before."),
    )
    to_status = serializers.ChoiceField(
        choices=StatusChange._meta.get_field("to_status").choices,
        read_only=True,
        help_text=_("Status after."),
    )
    response = SanitisedHTMLField(
        read_only=True, help_text=_("The agency's public response (sanitised HTML).")
    )
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency that responded.")
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was given."))

    class Meta:
        model = StatusChange
        fields = ["id", "idea", "from_status", "to_status", "response", "agency", "created_at"]


class IdeaSerializer(WebUrlMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the idea."))
    challenge = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the challenge the idea answers.")
    )
    title = serializers.CharField(read_only=True, help_text=_("Short title, plain text."))
    body = SanitisedHTMLField(read_only=True, help_text=_("The idea (sanitised HTML)."))
    tags = TagListField()
    status = serializers.ChoiceField(
        choices=Idea._meta.get_field("status").choices,
        read_only=True,
        help_text=_("Where the idea is; every change after submitted comes with a response."),
    )
    support_count = serializers.IntegerField(
        read_only=True, help_text=_("How many accounts support it.")
    )
    comment_count = serializers.IntegerField(read_only=True, help_text=_("Number of comments."))
    persona = PersonaSerializer(read_only=True, help_text=_("Who posted it."))
    responses = ResponseSerializer(
        source="status_changes",
        many=True,
        read_only=True,
        help_text=_("Official responses, newest first."),
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was posted."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When it last changed."))
    status_changed_at = serializers.DateTimeField(
        read_only=True, help_text=_("When its status last changed (null: never).")
    )

    class Meta:
        model = Idea
        fields = [
            "id", "challenge", "title", "body", "tags", "status", "support_count",
            "comment_count", "persona", "responses", "web_url", "created_at", "updated_at",
            "status_changed_at",
        ]  # fmt: skip


class CommentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the comment."))
    idea = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the idea commented on.")
    )
    parent = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the comment this replies to (null: top level).")
    )
    body = SanitisedHTMLField(read_only=True, help_text=_("The comment (sanitised HTML)."))
    persona = PersonaSerializer(read_only=True, help_text=_("Who wrote it."))
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was posted."))
    edited_at = serializers.DateTimeField(
        read_only=True, help_text=_("When its author last corrected it (null: never).")
    )

    class Meta:
        model = Comment
        fields = ["id", "idea", "parent", "body", "persona", "created_at", "edited_at"]


class PublicUpdateSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the update."))
    item = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of the backlog item.")
    )
    status = serializers.CharField(read_only=True, help_text=_("The item's status when posted."))
    body = SanitisedHTMLField(read_only=True, help_text=_("The update (sanitised HTML)."))
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was posted."))

    class Meta:
        model = PublicUpdate
        fields = ["id", "item", "status", "body", "created_at"]


class BacklogItemSerializer(WebUrlMixin, serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the item."))
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency making the change.")
    )
    title = serializers.CharField(read_only=True, help_text=_("Short title."))
    problem = serializers.CharField(read_only=True, help_text=_("The problem it solves."))
    proposed_change = serializers.CharField(read_only=True, help_text=_("What will change."))
    status = serializers.CharField(read_only=True, help_text=_("Backlog status."))
    stage = serializers.ChoiceField(
        choices=RoadmapStage.choices,
        read_only=True,
        help_text=_("Where it is on the public roadmap."),
    )
    public_reason = serializers.CharField(
        read_only=True, help_text=_("Why it will not go ahead, when it will not.")
    )
    target_quarter = serializers.CharField(
        read_only=True, help_text=_("Quarter it is aimed at (YYYY-Qn), if set.")
    )
    ideas = serializers.SerializerMethodField(help_text=_("Ids of the public ideas it came from."))
    updates = PublicUpdateSerializer(
        source="public_updates",
        many=True,
        read_only=True,
        help_text=_("Public updates, newest first."),
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was created."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When it last changed."))
    status_changed_at = serializers.DateTimeField(
        read_only=True, help_text=_("When its status last changed.")
    )

    class Meta:
        model = BacklogItem
        fields = [
            "id", "agency", "title", "problem", "proposed_change", "status", "stage",
            "public_reason", "target_quarter", "ideas", "updates", "web_url", "created_at",
            "updated_at", "status_changed_at",
        ]  # fmt: skip

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_ideas(self, item: BacklogItem) -> list[int]:
        return [link.idea_id for link in item.idea_links.all()]


class ExchangePostSerializer(serializers.ModelSerializer):
    """An offer of help or a request for it. Who it is on behalf of is never published."""

    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the post."))
    kind = serializers.ChoiceField(
        choices=Post.Kind.choices, read_only=True, help_text=_("Offer or request.")
    )
    title = serializers.CharField(read_only=True, help_text=_("Short title."))
    description = SanitisedHTMLField(read_only=True, help_text=_("Details (sanitised HTML)."))
    category = serializers.CharField(read_only=True, help_text=_("Kind of help."))
    area = serializers.CharField(read_only=True, help_text=_("Area (slug), not an address."))
    mode = serializers.CharField(read_only=True, help_text=_("In person, remote or either."))
    availability = serializers.CharField(read_only=True, help_text=_("When, in general words."))
    persona = PersonaSerializer(read_only=True, help_text=_("Who posted it."))
    intermediary = serializers.SlugRelatedField(
        source="organisation",
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the intermediary that posted it, if any."),
    )
    expires_on = serializers.DateField(read_only=True, help_text=_("Shown until this day."))
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was posted."))
    updated_at = serializers.DateTimeField(read_only=True, help_text=_("When it last changed."))

    class Meta:
        model = Post
        fields = [
            "id", "kind", "title", "description", "category", "area", "mode", "availability",
            "persona", "intermediary", "expires_on", "created_at", "updated_at",
        ]  # fmt: skip


class PublicIdField(serializers.IntegerField):
    """The id of a related row, or null when that row is not public (the selector annotates
    whether it is)."""

    def __init__(self, *, id_attr: str, public_attr: str, **kwargs):
        self.id_attr, self.public_attr = id_attr, public_attr
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return getattr(instance, self.id_attr) if getattr(instance, self.public_attr) else None


class SessionPromptSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the prompt."))
    text = serializers.CharField(
        read_only=True, help_text=_('The prompt, a column on the board ("What works?").')
    )


class RevealedNoteList(serializers.ListSerializer):
    """A session's visible notes (held and hidden ones are left out by the selector), and
    none at all while the session still conceals them (not yet revealed)."""

    def get_attribute(self, session: CodesignSession):
        return [] if session.notes_hidden else session.visible_notes


class SessionNoteSerializer(serializers.Serializer):
    """A sticky note's words, never who wrote it."""

    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the note."))
    text = serializers.CharField(read_only=True, help_text=_("The note, plain text."))
    prompt = serializers.IntegerField(
        source="prompt_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the prompt it answers (null: none)."),
    )
    group = serializers.IntegerField(
        source="group_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the group it was put in (null: not grouped)."),
    )
    colour = serializers.ChoiceField(
        choices=Colour.choices, read_only=True, help_text=_("The note's colour.")
    )

    class Meta:
        list_serializer_class = RevealedNoteList


class SessionGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the group."))
    name = serializers.CharField(read_only=True, help_text=_("The group's name."))
    votes = serializers.IntegerField(
        read_only=True, help_text=_("Vote dots participants put on the group.")
    )


class SessionOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the outcome."))
    title = serializers.CharField(read_only=True, help_text=_("What was decided, in short."))
    description = serializers.CharField(read_only=True, help_text=_("What should change."))
    group = serializers.IntegerField(
        source="group_id",
        read_only=True,
        allow_null=True,
        help_text=_("Id of the group it was decided from (null: none)."),
    )
    backlog_item = PublicIdField(
        id_attr="backlog_item_id",
        public_attr="backlog_public",
        help_text=_(
            "Id of the roadmap item it became, once that item is public "
            "(see backlog-items/); null otherwise."
        ),
    )
    ideas = serializers.SerializerMethodField(
        help_text=_("Ids of the public ideas its group's notes were written about.")
    )

    @extend_schema_field({"type": "array", "items": {"type": "integer"}})
    def get_ideas(self, outcome) -> list[int]:
        if outcome.group_id is None:
            return []
        notes = outcome.session.visible_notes  # the session the selector prefetched it from
        return sorted(
            {n.idea_id for n in notes if n.group_id == outcome.group_id and n.idea_public}
        )


class SessionSummarySerializer(WebUrlMixin, serializers.ModelSerializer):
    """A co-design session that anyone could watch (open, not invited), with its prompts,
    groups, revealed notes and outcomes. Who took part is never published: only how many."""

    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the session."))
    title = serializers.CharField(read_only=True, help_text=_("The session's title."))
    goal = serializers.CharField(read_only=True, help_text=_("What the session is for."))
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency that runs it.")
    )
    challenge = PublicIdField(
        id_attr="challenge_id",
        public_attr="challenge_public",
        help_text=_("Id of the published challenge it belongs to (null: none)."),
    )
    scheduled_at = serializers.DateTimeField(read_only=True, help_text=_("When it starts."))
    phase = serializers.ChoiceField(
        choices=SessionPhase.choices,
        read_only=True,
        help_text=_(
            "Where the session is: lobby, brief, diverge (add notes), cluster (group notes), "
            "vote, decide or summary (finished)."
        ),
    )
    finished = serializers.BooleanField(
        source="is_finished", read_only=True, help_text=_("True once the session has ended.")
    )
    started_at = serializers.DateTimeField(
        read_only=True, help_text=_("When it began (null: not yet).")
    )
    ended_at = serializers.DateTimeField(
        read_only=True, help_text=_("When it ended (null: not yet).")
    )
    notes_concealed = serializers.BooleanField(
        source="notes_hidden",
        read_only=True,
        help_text=_(
            "True while the facilitator keeps notes hidden until a reveal: notes is then empty."
        ),
    )
    prompts = SessionPromptSerializer(
        many=True, read_only=True, help_text=_("The board's prompts, in order.")
    )
    notes = SessionNoteSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Notes, oldest first, without who wrote them; notes held or hidden by "
            "moderators are left out."
        ),
    )
    groups = SessionGroupSerializer(
        source="vote_groups",
        many=True,
        read_only=True,
        help_text=_("Groups of notes with their vote totals, in board order."),
    )
    outcomes = SessionOutcomeSerializer(
        source="listed_outcomes",
        many=True,
        read_only=True,
        help_text=_("What the facilitator decided, in order."),
    )
    participant_count = serializers.IntegerField(
        read_only=True, help_text=_("How many people take or took part (names are not shown).")
    )
    created_at = serializers.DateTimeField(read_only=True, help_text=_("When it was created."))
    changed_at = serializers.DateTimeField(
        read_only=True,
        help_text=_("The newest activity: a phase, note, group, vote or outcome."),
    )

    class Meta:
        model = CodesignSession
        fields = [
            "id", "title", "goal", "agency", "challenge", "scheduled_at", "phase", "finished",
            "started_at", "ended_at", "notes_concealed", "prompts", "notes", "groups",
            "outcomes", "participant_count", "web_url", "created_at", "changed_at",
        ]  # fmt: skip


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the tag."))
    name = serializers.CharField(read_only=True, help_text=_("The tag."))
    slug = serializers.CharField(read_only=True, help_text=_("URL-safe form (filter with it)."))


class TransparencyMonthSerializer(serializers.Serializer):
    """Moderation figures for one month, computed from the audit log alone."""

    month = serializers.CharField(read_only=True, help_text=_("The month, YYYY-MM."))
    reports = serializers.IntegerField(read_only=True, help_text=_("Reports received."))
    holds = serializers.IntegerField(
        read_only=True, help_text=_("Posts held for review by the screening rules.")
    )
    decisions = serializers.IntegerField(read_only=True, help_text=_("Moderation decisions."))
    by_action = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_("Decisions by action (approve, hide, edit, warn, suspend, ban)."),
    )
    by_reason = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text=_("Decisions by reason.")
    )
    median_seconds = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text=_("Median seconds from a case opening to its decision (null: none)."),
    )


# -- writes ---------------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """Input with unknown fields refused (a typo should not be silently ignored)."""

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This field is not known. Remove it.")] for name in unknown}
            )
        return attrs


PERSONA_HELP = _("Handle of one of your own personas to post as (default: your main persona).")


class IdeaCreateSerializer(StrictInputSerializer):
    challenge = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("Id of a challenge open for ideas.")
    )
    title = serializers.CharField(max_length=1000, help_text=_("Short title, plain text."))
    body = serializers.CharField(max_length=20000, help_text=_("The idea."))
    tags = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=20,
        help_text=_("Up to 5 tags."),
    )
    persona = serializers.CharField(required=False, max_length=80, help_text=PERSONA_HELP)


class SupportSerializer(StrictInputSerializer):
    persona = serializers.CharField(required=False, max_length=80, help_text=PERSONA_HELP)


class SupportResultSerializer(serializers.Serializer):
    support_count = serializers.IntegerField(help_text=_("The idea's support count now."))


class CommentCreateSerializer(StrictInputSerializer):
    idea = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=_("Id of the idea to comment on.")
    )
    body = serializers.CharField(max_length=20000, help_text=_("The comment."))
    parent = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        required=False,
        help_text=_("Id of a top-level comment to reply to."),
    )
    persona = serializers.CharField(required=False, max_length=80, help_text=PERSONA_HELP)


class HeldSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("Id of what you posted."))
    held_for_review = serializers.BooleanField(
        help_text=_("True: a moderator checks it before it is shown.")
    )
    detail = serializers.CharField(help_text=_("What happens next."))


class ConversationSerializer(WebUrlMixin, serializers.ModelSerializer):
    """A conversation (agree / disagree / pass on short statements) and where its Pol.is
    openData export is."""

    id = serializers.IntegerField(read_only=True, help_text=_("Stable id of the conversation."))
    title = serializers.CharField(read_only=True, help_text=_("Its title."))
    question = serializers.CharField(read_only=True, help_text=_("What it is about."))
    agency = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the agency that runs it.")
    )
    challenge = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text=_("Id of its challenge (empty when standalone).")
    )
    is_open = serializers.BooleanField(read_only=True, help_text=_("Whether it takes votes now."))
    opens_at = serializers.DateTimeField(read_only=True, help_text=_("When it opened."))
    closes_at = serializers.DateTimeField(
        read_only=True, help_text=_("When it closes or closed (empty: not set).")
    )
    statement_count = serializers.IntegerField(
        source="statement_total", read_only=True, help_text=_("Number of shown statements.")
    )
    polis_export = serializers.SerializerMethodField(
        help_text=_(
            "Links to comments.csv, participants-votes.csv and summary.csv in Pol.is openData "
            "format (participants are anonymous numbers)."
        )
    )

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_polis_export(self, obj) -> dict[str, str]:
        return {
            name: absolute(reverse("api:conversation-polis", args=[obj.pk, name]))
            for name in ("comments", "participants-votes", "summary")
        }

    class Meta:
        model = Conversation
        fields = [
            "id", "title", "question", "agency", "challenge", "is_open", "opens_at",
            "closes_at", "statement_count", "polis_export", "web_url",
        ]  # fmt: skip


class SearchHitSerializer(serializers.Serializer):
    """One site search result: what it is, where it is, and the words that matched."""

    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "page, challenge, idea, comment, session, backlog_item, exchange_post or statement."
        ),
    )
    id = serializers.IntegerField(
        source="object_id", read_only=True, help_text=_("The id of the object in its own list.")
    )
    title = serializers.CharField(read_only=True, help_text=_("Its current title."))
    url = serializers.CharField(read_only=True, help_text=_("The page on this site."))
    snippet = serializers.CharField(
        read_only=True,
        help_text=_("HTML: escaped text around the match, matched words inside <mark>."),
    )
    agency = serializers.IntegerField(
        source="agency_id",
        read_only=True,
        allow_null=True,
        help_text=_("The agency (or intermediary) it belongs to, if any."),
    )
    status = serializers.CharField(
        read_only=True, help_text=_("Its status, for kinds that have one (else empty).")
    )
    updated_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("When it last changed.")
    )
    score = serializers.FloatField(read_only=True, help_text=_("Relevance: higher is better."))

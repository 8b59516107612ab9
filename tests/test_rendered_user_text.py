"""Malicious text stored in the database is harmless wherever the site shows it.

The sanitiser's own suite (community/tests/test_sanitiser.py) proves ``sanitize_html`` and
``plain_text``. This suite proves the *pages*: it writes hostile rows straight into the
database (as if a service had forgotten to sanitise, or an old row predates the sanitiser),
renders every place user text appears, parses the whole response, and fails on any script
that is not one of our static files, event-handler attribute, ``javascript:``/``data:`` URL,
svg/math/iframe/object/embed/base/style element.

**Adding a place** (for example co-design notes): write a function that takes the payload,
stores it in every user-text field the page shows, and returns ``(url, viewer)`` (``viewer``
is the account to sign in as, or None); then add a ``Surface`` row to ``SURFACES``. Use
``kind="atom"`` for feeds (entry text is unescaped and checked as HTML, as a feed reader
would) and ``kind="json"`` for APIs (JSON content type with nosniff, and fields named in
``JSON_HTML_FIELDS`` checked as HTML).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from community.models import Persona, Role
from community.tests.factories import PersonaFactory, UserFactory, staff
from community.tests.test_sanitiser import XSS_PAYLOADS

pytestmark = pytest.mark.django_db

FORBIDDEN_TAGS = {"svg", "math", "iframe", "object", "embed", "base", "style", "frame", "meta"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
# The site's own server-drawn charts (insight): an <svg> with exactly these attributes, holding
# only drawing and text elements. Anything else svg is flagged, and every attribute inside is
# still audited (event handlers, URLs, inline styles).
CHART_SVG_ATTRIBUTES = {"role", "aria-labelledby", "viewbox", "width", "height", "xmlns"}
CHART_TAGS = {"title", "desc", "text", "tspan", "rect", "g", "line", "circle", "path", "polyline"}
# JSON fields whose value is HTML (rich text) rather than plain text.
JSON_HTML_FIELDS = {"body", "html", "content", "description", "introduction"}
# Short fields (titles, names) get a payload cut to fit; these stay dangerous when cut.
SHORT_PAYLOADS = ["<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<script>alert(1)"]


class _PageAudit(HTMLParser):
    """Collects every way a page could run script or load active content."""

    def __init__(self, *, meta_allowed: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.meta_allowed = meta_allowed
        self.problems: list[str] = []
        self._in_script = False
        self._in_data = False
        self._chart_depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/json" and not attrs[2:]:
            # A data block (Django's json_script): never run, and CSP-safe, as long as its
            # text cannot close the element: json_script escapes every "<".
            self._in_data = True
        elif tag == "script":
            src = attributes.get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs}")
            self._in_script = True
        elif (
            tag == "svg"
            and not self._chart_depth
            and set(attributes) == CHART_SVG_ATTRIBUTES
            and attributes["role"] == "img"
            and attributes["xmlns"] == "http://www.w3.org/2000/svg"
        ):
            self._chart_depth = 1
        elif self._chart_depth:
            if tag not in CHART_TAGS:
                self.problems.append(f"<{tag}> inside a chart")
        elif tag in FORBIDDEN_TAGS and not (tag == "meta" and self.meta_allowed):
            self.problems.append(f"<{tag}> element")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append(f"<meta http-equiv>: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name == "style":
                self.problems.append(f"inline style on <{tag}>")
            if name in URL_ATTRIBUTES:
                compact = "".join(
                    ch for ch in (value or "") if ch.isprintable() and not ch.isspace()
                )
                if compact.lower().startswith(BAD_SCHEMES):
                    self.problems.append(f"{name}={value!r} on <{tag}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart_depth = 0
        if tag == "script":
            self._in_script = self._in_data = False

    def handle_data(self, data):
        if self._in_data and "<" in data:
            self.problems.append(f"unescaped < in a JSON data block: {data[:60]!r}")
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")


def audit_html(html: str, *, fragment: bool = False) -> list[str]:
    parser = _PageAudit(meta_allowed=not fragment)
    parser.feed(html)
    parser.close()
    return parser.problems


def audit_atom(xml: str) -> list[str]:
    """Entry text as a feed reader sees it. Text-typed elements are checked as strictly as
    HTML ones: many readers render titles as HTML whatever the type says."""
    root = ElementTree.fromstring(xml)  # noqa: S314 - our own response, parsed in a test
    problems = []
    for element in root.iter():
        if element.text and element.tag.rsplit("}", 1)[-1] in {
            "title",
            "summary",
            "content",
            "name",
        }:
            problems += audit_html(element.text, fragment=True)
    return problems


def audit_json(response) -> list[str]:
    """JSON is data, not a page: text fields are plain text that clients must escape. What
    the server owes: a JSON content type that browsers will not sniff into HTML, and no active
    content in fields that carry HTML (named in ``JSON_HTML_FIELDS``)."""
    problems: list[str] = []
    if not response["Content-Type"].startswith("application/json"):
        problems.append(f"content type {response['Content-Type']}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")

    def walk(value, key=""):
        if isinstance(value, str) and key in JSON_HTML_FIELDS:
            problems.extend(audit_html(value, fragment=True))
        elif isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)

    walk(json.loads(response.content))
    return problems


def _fit(payload: str, size: int) -> str:
    return payload[:size]


def _short(payload: str) -> str:
    """A short hostile string for titles and names, chosen by the long payload."""
    return SHORT_PAYLOADS[len(payload) % len(SHORT_PAYLOADS)]


_names = iter(range(10**6))


def _persona(payload: str, **kwargs) -> Persona:
    # Display names are unique (by a normalised key): a number keeps each one distinct.
    name = f"{next(_names)} {_short(payload)}"
    return PersonaFactory(display_name=_fit(name, 60), description=_fit(payload, 1000), **kwargs)


# -- the places user text is shown ---------------------------------------------------------


def _idea(payload: str):
    from ideas.models import Comment
    from ideas.tests.factories import IdeaFactory

    author = _persona(payload)
    idea = IdeaFactory(persona=author, title=_fit(_short(payload), 120), body=payload)
    Comment.objects.create(idea=idea, persona=_persona(payload), body=payload)
    idea.tags.add(_fit(_short(payload), 50))
    return idea


def board(payload: str):
    idea = _idea(payload)
    return reverse("ideas:board", args=[idea.challenge_id]), None


def idea_page(payload: str):
    idea = _idea(payload)
    return reverse("ideas:idea_detail", args=[idea.pk]), None


def idea_page_for_staff(payload: str):
    idea = _idea(payload)
    return reverse("ideas:idea_detail", args=[idea.pk]), staff(
        Role.MODERATOR, idea.challenge.agency
    )


def persona_profile(payload: str):
    idea = _idea(payload)
    return reverse("community:persona_detail", args=[idea.persona.slug]), None


def _exchange(payload: str):
    from community.exchange.tests.factories import ExchangeFactory, MessageFactory, PostFactory

    post = PostFactory(
        persona=_persona(payload),
        title=_fit(_short(payload), 80),
        description=payload,
        availability=_fit(_short(payload), 100),
    )
    exchange = ExchangeFactory(post=post, responder=_persona(payload))
    MessageFactory(exchange=exchange, body=payload)
    return exchange


def exchange_list(payload: str):
    _exchange(payload)
    return reverse("exchange:list"), None


def exchange_post(payload: str):
    exchange = _exchange(payload)
    return reverse("exchange:post", args=[exchange.post_id]), None


def exchange_conversation(payload: str):
    exchange = _exchange(payload)
    return reverse("exchange:conversation", args=[exchange.pk]), exchange.responder.account


def exchange_conversations_mine(payload: str):
    exchange = _exchange(payload)
    return reverse("exchange:mine"), exchange.post.persona.account


def moderation_case(payload: str):
    from community.moderation import actions as moderation
    from community.moderation.models import ModerationCase, Report

    idea = _idea(payload)
    moderation.report_create(user=UserFactory(), obj=idea, reason="spam", text="x")
    Report.objects.update(text=_fit(payload, 1000))
    case = ModerationCase.objects.get()
    ModerationCase.objects.filter(pk=case.pk).update(excerpt=payload)
    moderator = staff(Role.MODERATOR, idea.challenge.agency)
    return reverse("moderation:case", args=[case.pk]), moderator


def moderation_queue(payload: str):
    _url, moderator = moderation_case(payload)
    return reverse("moderation:queue"), moderator


def _backlog_item(payload: str):
    from ideas.backlog.models import ItemStatus, PublicUpdate
    from ideas.backlog.tests.factories import BacklogItemFactory

    item = BacklogItemFactory(
        title=_fit(_short(payload), 120),
        problem=payload,
        proposed_change=payload,
        status=ItemStatus.IN_DELIVERY,
        public_reason=payload,
    )
    PublicUpdate.objects.create(item=item, status=item.status, body=payload)
    return item


def roadmap_item(payload: str):
    item = _backlog_item(payload)
    return reverse("roadmap:item", args=[item.pk]), None


def roadmap_feed(payload: str):
    _backlog_item(payload)
    return "/roadmap/feed/", None


def notifications(payload: str):
    from community.models import Notification

    user = UserFactory()
    Notification.objects.create(
        recipient=user,
        title=_fit(payload, 200),
        body=payload,
        url="javascript:alert(1)",
        category="ideas",
    )
    return reverse("community:notifications"), user


def page_api(payload: str):
    from wagtail.models import Page

    Page.objects.filter(depth__gt=1).update(title=_fit(_short(payload), 255))
    return "/api/v2/pages/?fields=title", None


def _codesign(payload: str, *, phase: str):
    """A session with hostile text in its title, goal, prompt, guest and persona names, notes,
    group names and outcome; returns it with a facilitator (who sees every note)."""
    from ideas.codesign.models import NoteGroup, Outcome, Participant, Prompt
    from ideas.codesign.tests.factories import NoteFactory, SessionFactory, designer

    session = SessionFactory(
        title=_fit(_short(payload), 200), goal=_fit(payload, 2000), phase=phase, allow_guests=True
    )
    Prompt.objects.create(session=session, text=_fit(_short(payload), 200), position=9)
    guest = Participant.objects.create(
        session=session, guest_name=_fit(_short(payload), 40), guest_key="k" * 40
    )
    member = _persona(payload)
    person = Participant.objects.create(session=session, persona=member, account=member.account)
    group = NoteGroup.objects.create(session=session, name=_fit(_short(payload), 80))
    for author in (guest, person):
        for chunk in range(0, min(len(payload), 1400), 280):
            NoteFactory(session=session, author=author, text=payload[chunk : chunk + 280])
        NoteFactory(session=session, author=author, group=group, text=_fit(payload, 280))
    Outcome.objects.create(
        session=session, group=group, title=_fit(_short(payload), 200), description=payload[:2000]
    )
    return session, designer(session.agency)[0]


def codesign_board(payload: str):
    from ideas.codesign.models import Phase

    session, facilitator = _codesign(payload, phase=Phase.DECIDE)
    return reverse("codesign:session", args=[session.pk]), facilitator


def codesign_board_watched(payload: str):
    from ideas.codesign.models import Phase

    session, _facilitator = _codesign(payload, phase=Phase.VOTE)
    return reverse("codesign:session", args=[session.pk]), None


def codesign_summary(payload: str):
    from ideas.codesign.models import Phase

    session, _facilitator = _codesign(payload, phase=Phase.SUMMARY)
    return reverse("codesign:summary", args=[session.pk]), None


def codesign_markdown(payload: str):
    from ideas.codesign.models import Phase

    session, _facilitator = _codesign(payload, phase=Phase.SUMMARY)
    return reverse("codesign:export_md", args=[session.pk]), None


def codesign_list(payload: str):
    from ideas.codesign.models import Phase

    _codesign(payload, phase=Phase.LOBBY)
    return reverse("codesign:session_list"), None


def insight_dashboard(payload: str):
    idea = _idea(payload)
    challenge = idea.challenge
    type(challenge).objects.filter(pk=challenge.pk).update(question=_fit(_short(payload), 200))
    agency = challenge.agency
    return reverse("insight:dashboard", args=[agency.slug]), staff(Role.SERVICE_DESIGNER, agency)


def insight_opinion_map(payload: str):
    from ideas.opinion.tests.factories import compute_now, planted_board

    idea = _idea(payload)
    challenge = idea.challenge
    type(challenge).objects.filter(pk=challenge.pk).update(question=_fit(_short(payload), 200))
    # A drawn map whose groups, common ground and splits are labelled with hostile idea titles.
    _challenge, ideas = planted_board([(6, [0, 1, 2, 5]), (6, [3, 4, 5])], challenge=challenge)
    type(idea).objects.filter(pk__in=[i.pk for i in ideas]).update(title=_fit(_short(payload), 120))
    compute_now("board", challenge.pk)
    return reverse("insight:opinion_map", args=[challenge.pk]), staff(
        Role.SERVICE_DESIGNER, challenge.agency
    )


def open_data_ideas(payload: str):
    _idea(payload)
    return "/api/v1/ideas/", None


def open_data_comments(payload: str):
    _idea(payload)
    return "/api/v1/comments/", None


def challenge_ideas_feed(payload: str):
    idea = _idea(payload)
    return reverse("open_data:challenge_feed", args=[idea.challenge_id]), None


def _budget(payload: str):
    """A voting budget whose process, budget, projects (one rejected with a reason, one
    merged) and proposer persona all carry the payload."""
    from ideas.budgeting.tests import webfactories as pb

    process = pb.process("voting", title=payload[:140], description=payload)
    budget = pb.budget(process, name=payload[:140])
    proposer = PersonaFactory(display_name=payload[:60])
    won = pb.project(
        budget, title=payload[:140], description=payload, feasibility=payload, proposer=proposer
    )
    pb.project(
        budget, cost=None, review_state="rejected", title=payload[:140], rejection_reason=payload
    )
    pb.project(budget, cost=None, review_state="merged", merged_into=won, title=payload[:140])
    return process, budget, won


def budget_pages(payload: str):
    process, budget, _won = _budget(payload)
    return reverse("budgeting:budget", args=[process.slug, budget.pk]), None


def budget_process_page(payload: str):
    process, _b, _won = _budget(payload)
    return process.get_absolute_url(), None


def budget_project_page(payload: str):
    _process, _b, won = _budget(payload)
    return won.get_absolute_url(), None


def budget_ballot(payload: str):
    from ideas.budgeting.tests import webfactories as pb

    process, budget, _won = _budget(payload)
    user = PersonaFactory().account
    pb.voter(process, user=user)
    return reverse("budgeting:ballot", args=[process.slug, budget.pk]), user


def budget_results(payload: str):
    from ideas.budgeting.models import BudgetProcess
    from ideas.budgeting.tests import webfactories as pb

    process, budget, _won = _budget(payload)
    pb.voters_with_ballots(budget, [[1]])
    pb.counted(budget)
    BudgetProcess.objects.filter(pk=process.pk).update(results_published=process.voting_open)
    return reverse("budgeting:results", args=[process.slug, budget.pk]), None


def budget_review(payload: str):
    process, _b, _won = _budget(payload)
    return reverse("budgeting:review", args=[process.slug]), staff(
        Role.SERVICE_DESIGNER, process.agency
    )


@dataclass(frozen=True)
class Surface:
    name: str
    build: Callable[[str], tuple[str, object]]
    kind: str = "html"  # html | atom | json


SURFACES = [
    Surface("board card", board),
    Surface("idea page with comments", idea_page),
    Surface("idea page seen by staff", idea_page_for_staff),
    Surface("persona profile", persona_profile),
    Surface("exchange list", exchange_list),
    Surface("exchange post", exchange_post),
    Surface("exchange conversation messages", exchange_conversation),
    Surface("my exchange conversations", exchange_conversations_mine),
    Surface("moderation case", moderation_case),
    Surface("moderation queue", moderation_queue),
    Surface("roadmap item", roadmap_item),
    # Participatory budgets: every page that shows a process, budget, project or proposer.
    Surface("budget process page", budget_process_page),
    Surface("budget page with its projects", budget_pages),
    Surface("budget project page", budget_project_page),
    Surface("budget ballot", budget_ballot),
    Surface("budget results", budget_results),
    Surface("budget review queue", budget_review),
    Surface("roadmap Atom feed", roadmap_feed, kind="atom"),
    Surface("notifications", notifications),
    Surface("page API", page_api, kind="json"),
    # Co-design: notes (guest and persona), group names, prompts, outcomes on the live board
    # (as the facilitator who sees every note, and as an anonymous watcher), the session
    # list and the summary. The Markdown export is not rendered as HTML by the site: it is a
    # text/markdown attachment (kind "download"). There is no session-summaries API yet.
    Surface("co-design board seen by its facilitator", codesign_board),
    Surface("co-design board watched", codesign_board_watched),
    Surface("co-design session list", codesign_list),
    Surface("co-design summary", codesign_summary),
    Surface("co-design Markdown export", codesign_markdown, kind="download"),
    # Insight: tag names and challenge titles on the staff dashboard and opinion map.
    Surface("insight dashboard", insight_dashboard),
    Surface("insight opinion map", insight_opinion_map),
    # Open data: an idea posted by text message (SMS) is stored as an ordinary idea, so the
    # idea surfaces above and these cover it.
    Surface("open data ideas API", open_data_ideas, kind="json"),
    Surface("open data comments API", open_data_comments, kind="json"),
    Surface("challenge ideas Atom feed", challenge_ideas_feed, kind="atom"),
]

# A few payloads per render keeps the run short; the groups together cover every payload.
PAYLOAD_GROUPS = ["\n\n".join(XSS_PAYLOADS[i : i + 10]) for i in range(0, len(XSS_PAYLOADS), 10)]


def audit_download(response) -> list[str]:
    """A plain-text download (the Markdown summary is written as text, not rendered by the
    site): it must never be something a browser shows as a page of this site."""
    problems: list[str] = []
    if not response["Content-Type"].startswith(("text/markdown", "text/plain", "text/csv")):
        problems.append(f"content type {response['Content-Type']}")
    if not response.get("Content-Disposition", "").startswith("attachment"):
        problems.append("not sent as an attachment")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    return problems


# json and download take the response
AUDITS = {"html": audit_html, "atom": audit_atom, "json": audit_json, "download": audit_download}


@pytest.mark.parametrize("payload", PAYLOAD_GROUPS, ids=lambda p: f"payloads@{len(p)}")
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_stored_hostile_text_renders_harmlessly(client, surface, payload):
    url, viewer = surface.build(payload)
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200, f"{surface.name}: {url} → {response.status_code}"
    if surface.kind in ("json", "download"):
        problems = AUDITS[surface.kind](response)
    else:
        problems = AUDITS[surface.kind](response.content.decode())
    assert not problems, f"{surface.name} ({url}) lets through: {problems}"


@pytest.mark.parametrize(
    "html",
    [
        '<p>ok</p><img src=x onerror="alert(1)">',
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" data:text/html,x">x</a>',
        "<svg></svg>",
        "<math></math>",
        '<p style="x">y</p>',
        '<script src="https://cdn.example/x.js"></script>',
    ],
)
def test_the_audit_itself_catches_what_it_looks_for(html):
    assert audit_html(html)


def test_the_audit_catches_a_json_data_block_that_can_be_broken_out_of():
    assert audit_html('<script id="d" type="application/json">{"a": "</script><script>x"}')


def test_the_audit_passes_our_own_charts_but_not_other_svg():
    chart = (
        '<svg role="img" aria-labelledby="t" viewBox="0 0 9 9" width="9" height="9" '
        'xmlns="http://www.w3.org/2000/svg"><title id="t">Tags</title><rect x="1"></rect>'
        "<text>&lt;svg&gt;</text></svg>"
    )
    assert not audit_html(chart)
    assert audit_html(chart.replace("<rect", "<foreignObject"))
    assert audit_html(chart.replace("<rect", '<rect onclick="x()"'))
    assert audit_html('<svg role="img"></svg>')


def test_the_audit_passes_our_own_static_scripts():
    assert not audit_html('<script src="/static/realtime/live.js" defer></script><p>ok</p>')


def test_every_surface_row_has_a_known_kind():
    assert {s.kind for s in SURFACES} <= set(AUDITS)
    assert re.fullmatch(r"[a-z ]+", " ".join(s.kind for s in SURFACES))

"""Board cards and the ideas panels of other pages, rendered once and cached under exact keys.

Rendering twenty idea cards was most of a board request (docs/performance.md, "What limits
it"). Cards are now rendered once per board change, by one template with no per-card
includes, and cached under a key (the board, sort, status filter, page number and size, the
language and time zone, a digest of the template's source so a deploy that changes the
markup never serves the old one, and for trending only the minute, as support leaving the
trending window reorders a board without any event) together with the stamps they were
built under; an entry is used only while those are current
(:func:`community.versions.fresh`), and stamps and entries come in one round trip:

* the board's realtime sequence number (:func:`realtime.events.current_sequence`): every change
  a card or a total shows publishes a board event, and each event advances the number after
  commit. It is read *before* the rows, so a change committing in between leaves at worst
  newer cards under the older number, never older cards under the newer one;
* the public-names stamp (:data:`community.versions.PUBLIC_NAMES`): a renamed persona or a
  deleted account changes the "by" line without a board event;
* the tags stamp (:data:`TAGS`): a tag renamed in the admin.

Nothing about the viewer is ever cached. Cards are rendered without a request, so no CSRF
token, message, session or user can reach a fragment; each request then fills two slots per
card itself: the relative time ("3 minutes ago") and the support control (which depends on
who is looking, carries their CSRF token and the page's own address). Support state comes
from :func:`ideas.selectors.supported_ids`, per viewer, as before.

The board's about block (background, linked service pages, tags), the service page's ideas
panel and the home page's panels (open challenges, live activity) are cached the same way,
with the stamps of what they show; the panels also with the sequence numbers of the boards
they show and the next moment one of their challenges changes phase.

Entries expire after ``IDEAS["CACHE_SECONDS"]``; they are checked against the stamps on every
read, so the timeout bounds memory, not staleness.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.template.context_processors import csrf
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from community import versions
from community.content_i18n import originals
from community.models import Organisation, Persona
from community.timefmt import ago
from ideas import permissions, selectors
from ideas.conf import setting
from ideas.conversations import selectors as conversation_selectors
from ideas.events import board_stream
from ideas.models import Challenge, Idea
from realtime.events import SEQUENCE_KEY, current_sequences

CARDS_TEMPLATE = "ideas/includes/idea_cards.html"
ABOUT_TEMPLATE = "ideas/includes/board_about.html"
SUPPORT_TEMPLATE = "ideas/includes/support_form.html"
PANEL_TEMPLATE = "ideas/includes/improve_service_panel.html"

# Written by CARDS_TEMPLATE where each request fills in its own part. User text on a card is
# escaped, so it can never contain "<!--" and be mistaken for a slot.
TIME_SLOT = "<!--slot:time-->"
ACTIONS_SLOT = "<!--slot:actions-->"
CARD_END = "<!--card:end-->"
# Stamps (community.versions) of every challenge row (and agency), of every challenge's tags
# and linked service pages, and of the tags themselves (a tag renamed in the admin changes
# every card and board showing it).
CHALLENGES = "ideas:challenges"
CHALLENGE_LINKS = "ideas:challenge-links"
TAGS = "ideas:tags"
# Support controls whose markup names the idea (SUPPORT_TEMPLATE); the others do not.
IDEA_FORMS = ("support", "withdraw")


@memoize
def _template_digest(name: str) -> str:
    return hashlib.sha256(get_template(name).template.source.encode()).hexdigest()[:12]


# The shape of what is cached (Card, BoardCards, the entry tuples): change it with them, so
# entries written by an older deploy are never read.
FORMAT = 1


def _key(kind: str, template: str, *parts: Any) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    zone = timezone.get_current_timezone_name()
    head = ["ideas", kind, str(FORMAT), _template_digest(template), language, zone]
    return ":".join([*head, *map(str, parts)])


# -- board cards ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """One rendered card: its HTML around the two per-request slots, and what filling them
    needs. ``author`` is the account behind the persona (for "your idea"); it is never
    rendered."""

    id: int
    title: str
    author: int | None
    created_at: datetime
    before_time: str
    before_actions: str
    after_actions: str


@dataclass(frozen=True)
class BoardCards:
    total: int
    number: int
    pages: int
    cards: tuple[Card, ...]

    @property
    def ids(self) -> list[int]:
        return [card.id for card in self.cards]


@dataclass(frozen=True)
class BoardFragments:
    """What a board page shows that is the same for everyone: the challenge (with its
    agency), its background, service pages and tags (``about``, HTML) and one page of
    cards."""

    challenge: Challenge
    about: str
    cards: BoardCards
    # The board's conversations as cached (ideas.conversations.selectors), read in the same
    # round trip; None when the cache did not hold them.
    conversations: list | None = None


def board_fragments(
    *, challenge_id: int, user, sort: str, status: str, page: int
) -> BoardFragments:
    """A board page's cached parts, rendered once per change (see the module doc).

    Raises ``Challenge.DoesNotExist`` if there is no such challenge or ``user`` may not see
    it (checked before anything is rendered). Each entry is stored with the stamps it was
    built under and used only while they are current; stamps and entries come in one cache
    round trip. On a hit that is all: no query (an anonymous visitor's page then opens no
    database connection). On a miss: one query for the challenge, those of
    :func:`ideas.selectors.board_page` for the cards and two for the about block.
    """
    sequence = SEQUENCE_KEY.format(stream=board_stream(challenge_id))
    minute = int(time.time() // 60) if sort == "trending" else ""
    size = setting("BOARD_PAGE_SIZE")

    def cards_key(number: int) -> str:
        return _key("board", CARDS_TEMPLATE, challenge_id, sort, status, number, size, minute)

    challenge_key = f"ideas:challenge:{FORMAT}:{_schema_digest()}:{challenge_id}"
    about_key = _key("about", ABOUT_TEMPLATE, challenge_id)
    names = [versions.PUBLIC_NAMES, versions.PAGES, CHALLENGES, CHALLENGE_LINKS, TAGS]
    listing_key = conversation_selectors.conversations_listing_key(challenge_id)
    entries = [challenge_key, cards_key(page), about_key, listing_key]
    stamps, found = versions.read(names, [sequence], entries)
    timeout = setting("CACHE_SECONDS")

    challenge_stamps = (stamps[CHALLENGES],)
    row = versions.fresh(found.get(challenge_key), challenge_stamps)
    if row is None:
        challenge = selectors.challenge_for_board(challenge_id)
        versions.store(
            challenge_key, (challenge_stamps, _challenge_row(challenge)), timeout=timeout
        )
    else:
        challenge = _challenge_from(row)
    if not permissions.can_view_challenge(user, challenge):
        raise Challenge.DoesNotExist

    # The about block shows the challenge's own row, its links and tags and the linked
    # pages' titles and addresses.
    about_stamps = (
        stamps[CHALLENGES],
        stamps[CHALLENGE_LINKS],
        stamps[TAGS],
        stamps[versions.PAGES],
    )
    about = versions.fresh(found.get(about_key), about_stamps)
    if about is None:
        about = render_to_string(ABOUT_TEMPLATE, {"challenge": challenge})
        versions.store(about_key, (about_stamps, about), timeout=timeout)

    cards_stamps = (stamps[sequence], stamps[versions.PUBLIC_NAMES], stamps[TAGS])
    cards = versions.fresh(found.get(cards_key(page)), cards_stamps)
    if cards is None:
        cards = _board_cards(challenge=challenge, sort=sort, status=status, page=page)
        # Stored under the page actually shown: a page number past the end is no new entry.
        versions.store(cards_key(cards.number), (cards_stamps, cards), timeout=timeout)
    return BoardFragments(
        challenge=challenge, about=about, cards=cards, conversations=found.get(listing_key)
    )


@memoize
def _schema_digest() -> str:
    """Changes when the challenge or agency columns do: cached rows of another schema are
    never read."""
    columns = [f.attname for model in (Challenge, Organisation) for f in _columns(model)]
    return hashlib.sha256(" ".join(columns).encode()).hexdigest()[:12]


def _columns(model) -> list:
    return list(model._meta.concrete_fields)


def _challenge_row(challenge: Challenge) -> tuple[dict, dict]:
    """A challenge and its agency as plain column values (what the cache keeps): the stored
    originals with their translations, so the row serves every language."""
    with originals():
        return (
            {f.attname: getattr(challenge, f.attname) for f in _columns(Challenge)},
            {f.attname: getattr(challenge.agency, f.attname) for f in _columns(Organisation)},
        )


def _challenge_from(row: tuple[dict, dict]) -> Challenge:
    challenge, agency = Challenge(**row[0]), Organisation(**row[1])
    for instance in (challenge, agency):
        instance._state.adding, instance._state.db = False, "default"
    challenge.agency = agency
    return challenge


def challenges_changed(**kwargs: Any) -> None:
    """``post_save``/``post_delete`` of a challenge or an organisation (its agency), connected
    in ``IdeasConfig.ready``: cached challenge rows and about blocks are then rebuilt."""
    versions.bump(CHALLENGES)


def _board_cards(*, challenge: Challenge, sort: str, status: str, page: int) -> BoardCards:
    rows = selectors.board_page(challenge=challenge, user=None, sort=sort, status=status, page=page)
    html = render_to_string(CARDS_TEMPLATE, {"ideas": rows.ideas})
    chunks = html.split(CARD_END)[: len(rows.ideas)]  # the last marker ends the last card
    cards = tuple(_card(idea, chunk) for idea, chunk in zip(rows.ideas, chunks, strict=True))
    return BoardCards(total=rows.total, number=rows.number, pages=rows.pages, cards=cards)


def tags_changed(**kwargs: Any) -> None:
    """``post_save``/``post_delete`` of a tag (connected in ``IdeasConfig.ready``)."""
    versions.bump(TAGS)


def links_changed(*, sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    """``m2m_changed`` (connected in ``IdeasConfig.ready``): a challenge's tags or service
    pages changed. Challenge forms save the row too, but links also change on their own (a
    page linked later, the demo data, the benchmarks), so they have a stamp of their own."""
    linked = isinstance(instance, Challenge) or sender is Challenge.service_pages.through
    if linked and action.startswith("post_"):
        versions.bump(CHALLENGE_LINKS)


def _card(idea: Idea, chunk: str) -> Card:
    before_time, rest = chunk.split(TIME_SLOT)
    before_actions, after_actions = rest.split(ACTIONS_SLOT)
    return Card(
        id=idea.pk,
        title=idea.title,
        author=idea.persona.account_id,
        created_at=idea.created_at,
        before_time=before_time,
        before_actions=before_actions,
        after_actions=after_actions,
    )


def support_action(user, idea: Idea, supported: bool) -> str | None:
    """Which support control a viewer gets on an idea: support, withdraw, own, signin or none."""
    if not user.is_authenticated:
        return "signin" if permissions.idea_takes_part(idea) else None
    if supported:
        return "withdraw" if permissions.can_withdraw_support(user, idea) else None
    if permissions.can_support(user, idea):
        return "support"
    if permissions.is_author(user, idea):
        return "own"
    return None


def render_board_cards(
    request,
    *,
    challenge: Challenge,
    cards: BoardCards,
    supported: set[int],
    time_slots: bool = False,
):
    """The cards as this viewer sees them: each slot filled for this request (with
    ``time_slots``, the relative times are left as :data:`TIME_SLOT` for the whole-page
    cache, ideas.boardcache, to fill on each view).

    The support control is decided by :func:`support_action` (the permission rules, through
    a stand-in idea with the cached id, title and author) and rendered from
    ``support_form.html`` without context processors: only the request's own CSRF token and
    address go in.
    """
    user = request.user
    form = get_template(SUPPORT_TEMPLATE)
    context = {"request": request, **csrf(request)}

    def stand_in(card: Card) -> Idea:
        persona = Persona(account_id=card.author)
        return Idea(pk=card.id, title=card.title, challenge=challenge, persona=persona)

    # On a board every idea is unmerged and shares the challenge: the control depends only
    # on who wrote the idea and whether this viewer supports it.
    decided: dict[tuple[int | None, bool], str | None] = {}
    controls: dict[tuple[str | None, int | None], str] = {}
    pieces: list[str] = []
    for card in cards.cards:
        idea = None
        decision = (card.author, card.id in supported)
        if decision not in decided:
            idea = stand_in(card)
            decided[decision] = support_action(user, idea, decision[1])
        action = decided[decision]
        # Only the support and withdraw forms name their idea; the other controls read the
        # same on every card (anonymous visitors see only those), so they render once.
        which = (action, card.id if action in IDEA_FORMS else None)
        if which not in controls:
            idea = idea or stand_in(card)
            controls[which] = form.render({**context, "action": action, "idea": idea})
        pieces += [
            card.before_time,
            TIME_SLOT if time_slots else conditional_escape(ago(card.created_at)),
            card.before_actions,
            controls[which],
            card.after_actions,
        ]
    # Every piece is template output (autoescaped) or escaped just above.
    return SafeString("".join(pieces))


# -- panels that show boards: stamps, then the boards' sequence numbers ----------------------

# Prefetched reads: the stamps and entries of one :func:`community.versions.read` that
# included a panel's reads (:func:`improve_panel_reads`, :func:`home_panels_reads`), so a page
# showing several panels, or a cached page with panel slots (cms/pagecache.py), reads all of
# them in one round trip.
Prefetched = tuple[dict[str, int], dict[str, Any]]

# The sequence-number keys each panel entry depended on when this process last used it: read
# together with the entry, they let a hit cost one round trip instead of two. Only a hint:
# whatever the entry names is checked, read afresh if the hint missed it.
_board_hints: dict[str, list[str]] = {}


def _sequence_keys(sequences: dict[str, int]) -> list[str]:
    return [SEQUENCE_KEY.format(stream=stream) for stream in sequences]


def _reads(names: list[str], key: str) -> tuple[list[str], list[str], list[str]]:
    return names, _board_hints.get(key, []), [key]


def _fresh_panel(key: str, names: list[str], prefetched: Prefetched | None) -> tuple[tuple, Any]:
    """``(built_under, value)`` for a panel stored by :func:`_store_panel`; ``value`` is None
    unless the entry was built under the current stamps of ``names``, every board it shows
    is still at the sequence number it was built at, and no challenge it covers has opened,
    stopped taking ideas or closed since."""
    if prefetched is not None and all(name in prefetched[0] for name in names):
        stamps, found = prefetched
    else:
        stamps, found = versions.read(*_reads(names, key))
    built_under = tuple(stamps[name] for name in names)
    entry = versions.fresh(found.get(key), built_under)
    if entry is None:
        return built_under, None
    sequences, until, value = entry
    keys = _sequence_keys(sequences)
    _board_hints[key] = keys
    if all(k in stamps for k in keys):
        current = {stream: stamps[k] for stream, k in zip(sequences, keys, strict=True)}
    else:
        current = current_sequences(list(sequences))
    if time.time() < until and current == sequences:
        return built_under, value
    return built_under, None


def _store_panel(key: str, built_under: tuple, sequences: dict[str, int], until: float, value):
    _board_hints[key] = _sequence_keys(sequences)
    versions.store(key, (built_under, (sequences, until, value)), timeout=setting("CACHE_SECONDS"))


def _next_change(challenges, now: datetime) -> float:
    """The next moment one of ``challenges`` opens, stops taking ideas or closes (a POSIX
    time; infinity if none will)."""
    moments = [
        m for c in challenges for m in (c.opens_at, c.ideas_close_at, c.closes_at) if m > now
    ]
    return min(moments).timestamp() if moments else float("inf")


# -- the service page's idea panel --------------------------------------------------------

IMPROVE_NAMES = [versions.PUBLIC_NAMES, CHALLENGES, CHALLENGE_LINKS]


def _improve_key(page_id: int, limit: int) -> str:
    return _key("improve", PANEL_TEMPLATE, page_id, limit)


def improve_panel_reads(page_id: int, limit: int = 5) -> tuple[list[str], list[str], list[str]]:
    """What :func:`improve_service_panel` reads: stamp names, counters and entries."""
    return _reads(IMPROVE_NAMES, _improve_key(page_id, limit))


def improve_service_panel(page: Any, limit: int = 5, prefetched: Prefetched | None = None) -> str:
    """ "Help improve this service": the open challenges linked to ``page`` (a Wagtail page
    or its id) and their newest ideas, as HTML.

    Cached per page with what it was built under: the stamps of every challenge row and
    agency, of challenge links and of public names, the sequence numbers of the boards it
    shows, and the next moment one of the page's challenges opens, stops taking ideas or
    closes. While all hold it costs one cache round trip (none of its own when ``prefetched``
    holds its reads) and no query, so a new, edited, hidden or supported idea, an edited
    challenge or a phase change shows at once.
    """
    page_id = getattr(page, "pk", page)
    if page_id is None:
        return render_to_string(PANEL_TEMPLATE, {"challenges": [], "ideas": []})
    key = _improve_key(page_id, limit)
    built_under, html = _fresh_panel(key, IMPROVE_NAMES, prefetched)
    if html is not None:
        return html
    linked = selectors.challenges_linked_to(page_id)
    now = timezone.now()
    shown = [c for c in linked if c.opens_at <= now < c.closes_at]
    # Read before the ideas: a change committing in between leaves newer ideas under older
    # numbers, never the reverse.
    sequences = current_sequences([board_stream(c.pk) for c in shown]) if shown else {}
    ideas = selectors.recent_ideas(challenges=shown, limit=limit) if shown else []
    html = render_to_string(PANEL_TEMPLATE, {"challenges": shown, "ideas": ideas})
    _store_panel(key, built_under, sequences, _next_change(linked, now), html)
    return html


# -- the home page's panels ------------------------------------------------------------------

OPEN_TEMPLATE = "ideas/includes/open_challenges.html"
ACTIVITY_TEMPLATE = "ideas/includes/live_activity.html"
# What the home panels show besides boards' ideas and comments: challenge rows with their
# agencies (which are published, their questions, dates and agency names) and public names.
HOME_NAMES = [versions.PUBLIC_NAMES, CHALLENGES]


def _home_key(challenges: int, activity: int) -> str:
    activity_digest = _template_digest(ACTIVITY_TEMPLATE)
    return _key("home", OPEN_TEMPLATE, activity_digest, challenges, activity)


def home_panels_reads(
    challenges: int = 3, activity: int = 5
) -> tuple[list[str], list[str], list[str]]:
    """What :func:`home_panels` reads: stamp names, counters and entries."""
    return _reads(HOME_NAMES, _home_key(challenges, activity))


def home_panels(
    challenges: int = 3, activity: int = 5, prefetched: Prefetched | None = None
) -> SafeString:
    """The home page's "Open challenges" (closing soonest first, with each board's idea
    total) and "Happening now" (the newest ideas and comments on every published board), as
    HTML, cached like the board's cards.

    The entry is used only while it was built under the current stamps of challenge rows
    and agencies (:data:`CHALLENGES`: a challenge published, unpublished or edited) and of
    public names, while every published board is at the sequence number it was built at
    (each idea or comment posted, edited, hidden or merged, and each total's change, is an
    event on its board), and until the next moment any published challenge opens, stops
    taking ideas or closes (which moves challenges in or out of "Open challenges" with no
    event). The relative times ("3 minutes ago") are slots filled on each request, so they
    are never stale. A hit costs one cache round trip and no query.
    """
    key = _home_key(challenges, activity)
    built_under, entry = _fresh_panel(key, HOME_NAMES, prefetched)
    if entry is None:
        now = timezone.now()
        published = list(
            Challenge.objects.published().only("pk", "opens_at", "ideas_close_at", "closes_at")
        )
        # Read before the rows, as the board's cards do.
        sequences = current_sequences([board_stream(c.pk) for c in published])
        html = render_to_string(
            OPEN_TEMPLATE, {"challenges": selectors.open_challenges(limit=challenges)}
        ) + render_to_string(
            ACTIVITY_TEMPLATE,
            {"items": (items := selectors.live_activity(limit=activity)), "time_slots": True},
        )
        entry = (tuple(html.split(TIME_SLOT)), tuple(item.at for item in items))
        _store_panel(key, built_under, sequences, _next_change(published, now), entry)
    chunks, times = entry
    pieces = [chunks[0]]
    for at, chunk in zip(times, chunks[1:], strict=True):
        pieces += [conditional_escape(ago(at)), chunk]
    # Template output (autoescaped) and relative times escaped just above.
    return SafeString("".join(pieces))

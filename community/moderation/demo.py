"""Demo moderation for Northvale: a queue with work in it, and some decided history.

Runs after people (10), the exchange (15), pages (20), ideas (30) and backlogs (35), so it can
report what they made. ``moderator@northvale.example`` (Transport, Housing) finds pending
reports on an idea, a comment, an exchange offer, an exchange message and a persona, and
items held by screening (an exchange request with an identity number, a message with a link
from a new account); decided cases (hidden, warned, approved, edited) with an open appeal
give the transparency page its figures. Everything goes through the services, so the audit
log is the real one. Kinds come from the reportable registry: nothing here imports ``ideas``.
Idempotent: once the moderator has decided anything, it does nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from community.exchange import actions as exchange_actions
from community.exchange import permissions as exchange_permissions
from community.exchange.models import Exchange, Message
from community.models import Persona
from community.moderation import actions
from community.moderation.models import ModerationAction, ModerationCase, Report
from community.moderation.registry import reportable
from community.selectors import primary_persona

ORDER = 40
MODERATOR = "moderator@northvale.example"
ADMIN = "agency-admin@northvale.example"


def _in_scope(label: str, agency_ids: set[int], exclude: set[int], count: int) -> list:
    """Up to ``count`` objects of a registered kind the moderator moderates, oldest first."""
    entry = reportable(label)
    if entry is None:
        return []
    found = []
    for obj in entry.model.objects.order_by("pk")[:400]:
        agency = entry.agency(obj)
        author = entry.author(obj)
        if agency is not None and agency.pk not in agency_ids:
            continue
        if author is None or author.account_id in exclude:
            continue
        found.append(obj)
        if len(found) == count:
            break
    return found


def _report(
    user, obj, reason: str, text: str = "", hours_ago: int = 0, *, citizens: list
) -> ModerationCase:
    """``user`` reports ``obj`` (or, if it is theirs or they did already, another citizen)."""
    author = reportable(obj).author(obj)
    reported = set(
        Report.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("reporter_id", flat=True)
    )
    user = next(
        u
        for u in [user, *citizens]
        if u.pk not in reported and (author is None or author.account_id != u.pk)
    )
    case = actions.report_create(user=user, obj=obj, reason=reason, text=text).case
    if hours_ago:
        # the queue shows how long each item has waited: give the demo some spread
        ModerationCase.objects.filter(pk=case.pk).update(
            opened_at=timezone.now() - timedelta(hours=hours_ago)
        )
        case.refresh_from_db()
    return case


def seed(context: dict) -> dict:
    users = context.get("users") or {}
    moderator = users.get(MODERATOR)
    if moderator is None or ModerationAction.objects.filter(actor=moderator).exists():
        return {}
    amara = users["citizen@northvale.example"]
    sam = users["sam@northvale.example"]
    joe = users["joe@northvale.example"]
    priya = users["priya@northvale.example"]
    agency_ids = set(moderator.memberships.values_list("organisation_id", flat=True))
    citizens = [amara, sam, joe, priya]
    reporters = {amara.pk, sam.pk, joe.pk, priya.pk, moderator.pk}

    ideas = _in_scope("ideas.idea", agency_ids, {moderator.pk}, 4)
    comments = _in_scope("ideas.comment", agency_ids, {moderator.pk}, 2)

    # -- pending reports, several kinds -------------------------------------------------------
    if ideas:
        _report(
            joe,
            ideas[0],
            "off_topic",
            "This is about parking, not buses.",
            hours_ago=30,
            citizens=citizens,
        )
        _report(priya, ideas[0], "spam", hours_ago=0, citizens=citizens)
    if comments:
        _report(
            sam, comments[0], "abuse", "Calls the drivers names.", hours_ago=5, citizens=citizens
        )
    posts = context.get("exchange_posts") or {}
    offer = next((p for p in posts.values() if p.persona.account_id not in reporters), None)
    if offer is not None:
        _report(
            joe,
            offer,
            "spam",
            "Looks like an advert for a business.",
            hours_ago=50,
            citizens=citizens,
        )
    shop = Persona.objects.filter(display_name="Corner shop owner").first()
    if shop is not None:
        _report(
            priya, shop, "spam", "The profile is only an advert.", hours_ago=3, citizens=citizens
        )
    conversation = Exchange.objects.filter(status=Exchange.Status.AGREED).first()
    if conversation is not None:
        message = conversation.messages.filter(kind=Message.Kind.TEXT, side="responder").first()
        owner = conversation.post.persona.account
        if message is not None and owner is not None and owner.pk != message.author.account_id:
            _report(
                owner,
                message,
                "abuse",
                "Rude after I asked to change the day.",
                hours_ago=2,
                citizens=citizens,
            )

    # -- held by screening --------------------------------------------------------------------
    priya_persona = primary_persona(priya)
    exchange_actions.post_create(
        user=priya,
        persona=priya_persona,
        kind="request",
        title="Help checking my pension letter",
        description="My National Insurance number is AB 12 34 56 C, can someone check it?",
        category="forms",
        area="riverside",
        mode="in_person",
    )
    if conversation is not None and exchange_permissions.side_of(amara, conversation):
        exchange_actions.message_send(
            user=amara,
            exchange=conversation,
            body="The garden centre has a sale on: https://cheap-seeds.shop/deal",
        )

    # -- decided history for the transparency page ----------------------------------------------
    admin = users.get(ADMIN)
    decided = []
    if len(comments) > 1:
        case = _report(
            joe, comments[1], "personal_data", "Names a driver.", hours_ago=20, citizens=citizens
        )
        decided.append(("hide", case, "personal_data", {}))
    if len(ideas) > 1:
        case = _report(sam, ideas[1], "spam", hours_ago=8, citizens=citizens)
        decided.append(("approve", case, "", {}))
    if len(ideas) > 3:
        # an idea, not a comment: the ideas demo finds comments again by their text
        case = _report(priya, ideas[3], "abuse", hours_ago=4, citizens=citizens)
        first_sentence = ideas[3].body.split(".")[0].strip()
        decided.append(
            ("edit", case, "abuse", {"text": f"{first_sentence}.", "note": "an insult was removed"})
        )
    if len(ideas) > 2:
        case = _report(amara, ideas[2], "abuse", hours_ago=12, citizens=citizens)
        decided.append(("warn", case, "abuse", {"note": "Please keep it civil."}))
    made = {}
    for action, case, reason, extra in decided:
        made[action] = actions.case_decide(
            moderator=moderator,
            case=case,
            version=case.version,
            action=action,
            reason=reason,
            **extra,
        )
    warned = made.get("warn")
    if warned is not None and admin is not None and warned.target_account is not None:
        actions.appeal_create(
            user=warned.target_account,
            action=warned,
            text="I was angry about the late buses, but I did not insult anyone.",
        )
    return {}

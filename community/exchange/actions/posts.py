"""Offers and requests: publishing, closing, and asking for help for a citizen (assisted)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.assisted import assisted_consent_check, assisted_record
from community.exchange import permissions
from community.exchange.actions.checks import check_persona, clean_behalf, contains_contact_details
from community.exchange.models import Category, Mode, Post, area_choices
from community.models import Organisation, Persona, User
from community.moderation.actions.holds import content_screen
from community.permissions import can_assist
from community.places.actions import area_assign
from community.places.selectors import district_by_slug
from community.selectors import primary_persona
from community.text import clean_title, plain_text, sanitize_html

TITLE_MIN, TITLE_MAX = 5, 120
DESCRIPTION_MAX = 4000
MAX_EXPIRY_DAYS = 365


def post_create(
    *,
    user: User,
    persona: Persona,
    kind: str,
    title: str,
    description: str,
    category: str,
    area: str,
    mode: str,
    availability: str = "",
    expires_on: datetime.date | None = None,
    organisation: Organisation | None = None,
    on_behalf_of: str = "",
) -> Post:
    """Publish an offer or request as ``persona`` (optionally for an intermediary).

    Public text may not carry phone numbers or email addresses: people share those in a
    conversation, when they choose to. The post then goes through moderation screening:
    ``post.screening.held`` says it waits for a moderator (``post.screening.message`` why)
    and is not listed until approved.
    """
    permissions.ensure_may_post(user)
    check_persona(user, persona, organisation)
    errors: dict[str, str] = {}
    if kind not in Post.Kind.values:
        errors["kind"] = _("Choose whether you are offering or asking for help.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if area not in dict(area_choices()):
        errors["area"] = _("Choose an area from the list.")
    if mode not in Mode.values:
        errors["mode"] = _("Say whether this is in person or remote.")
    if errors:
        raise ValidationError(errors)
    title = clean_title(title, min_length=TITLE_MIN, max_length=TITLE_MAX)
    body = sanitize_html(description)
    if not plain_text(body):
        raise ValidationError({"description": _("Describe what you offer or need.")})
    if len(description or "") > DESCRIPTION_MAX:
        raise ValidationError({"description": _("Keep the description under 4000 characters.")})
    availability = " ".join(plain_text(availability).split())
    if len(availability) > 200:
        raise ValidationError({"availability": _("Keep availability under 200 characters.")})
    for field, text in (("title", title), ("description", body), ("availability", availability)):
        if contains_contact_details(text):
            raise ValidationError(
                {
                    field: _(
                        "Please do not put phone numbers or email addresses in a public post. "
                        "You can share them in the conversation once someone responds."
                    )
                }
            )
    behalf = clean_behalf(on_behalf_of, organisation, "on_behalf_of")
    today = timezone.localdate()
    if expires_on is None:
        expires_on = today + datetime.timedelta(days=settings.EXCHANGE["POST_LIFETIME_DAYS"])
    if expires_on < today:
        raise ValidationError({"expires_on": _("Choose a date from today onwards.")})
    if expires_on > today + datetime.timedelta(days=MAX_EXPIRY_DAYS):
        raise ValidationError({"expires_on": _("Choose a date within the next year.")})
    with transaction.atomic():
        post = Post(
            kind=kind,
            title=title,
            description=body,
            category=category,
            area=area,
            availability=availability,
            mode=mode,
            persona=persona,
            organisation=organisation,
            on_behalf_of=behalf,
            created_by=user,
            expires_on=expires_on,
        )
        # Its area is its only place: the district of that name, shown at the district's
        # centre. A post never carries the person's own point.
        area_assign(post, district=district_by_slug(area))
        post.save(force_insert=True)
        post.screening = content_screen(
            user=user, obj=post, text="\n".join([title, body, availability])
        )
    return post


def post_close(*, user: User, post: Post) -> Post:
    """Take a post off the list (it stays readable to the people already talking about it)."""
    if not permissions.owns_post(user, post):
        raise PermissionDenied(_("Only the person who posted this can close it."))
    if post.closed_at is not None:
        raise ValidationError(_("This post is already closed."))
    with transaction.atomic():
        post.closed_at = timezone.now()
        post.save(update_fields=["closed_at", "updated_at"])
    return post


def request_create_assisted(
    *,
    helper: User,
    organisation: Organisation,
    citizen: User,
    consent_given: bool,
    consent_method: str,
    title: str,
    description: str,
    category: str,
    area: str,
    mode: str,
) -> Post:
    """Ask for help in the exchange for ``citizen`` (their primary persona), with consent.

    Refused, with nothing written, without consent or when the helper may not assist for
    ``organisation``. The request is the citizen's; the assistance record shows who helped.
    """
    if not can_assist(helper, organisation):
        raise PermissionDenied(
            _("Only service counter staff and volunteers of this organisation can help here.")
        )
    assisted_consent_check(consent_given=consent_given, consent_method=consent_method)
    persona = primary_persona(citizen)
    if persona is None:
        raise ValidationError(
            _("The citizen has no public name yet. Help them choose one on their account page.")
        )
    with transaction.atomic():
        post = post_create(
            user=citizen,
            persona=persona,
            kind=Post.Kind.REQUEST,
            title=title,
            description=description,
            category=category,
            area=area,
            mode=mode,
        )
        assisted_record(
            helper=helper,
            organisation=organisation,
            citizen=citizen,
            persona=persona,
            action="exchange_request",
            consent_method=consent_method,
            target=post,
        )
    return post

"""Posing a challenge: an agency's "How might we …?" question and its board."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import Organisation, User
from community.places.actions import place_assign
from community.places.models import District
from community.text import clean_title, plain_text
from ideas import permissions
from ideas.actions.checks import clean_rich, clean_tags
from ideas.models import Challenge

QUESTION_MAX = 200
COVER_TEXT_MAX = 300
BACKGROUND_MAX = 10000


def challenge_create(
    *,
    user: User,
    agency: Organisation,
    question: str,
    opens_at: datetime,
    ideas_close_at: datetime,
    closes_at: datetime,
    background: str = "",
    cover_text: str = "",
    tags: Iterable[str] = (),
    service_pages: Iterable = (),
    allow_self_support: bool = False,
    is_published: bool = True,
    sms_code: str = "",
    latitude: object = None,
    longitude: object = None,
    district: District | None = None,
) -> Challenge:
    """Pose a challenge for ``agency``. Only its service designers and admins may.

    ``sms_code`` (optional, unique) is the word people text before their idea. A point
    (``latitude``/``longitude``) is kept as given (the agency posts it) and finds its
    district; without one, ``district`` is the area the challenge is about.
    """
    # check
    if agency.kind != Organisation.Kind.AGENCY:
        raise ValidationError({"agency": _("Challenges belong to an agency.")})
    if not permissions.can_run_challenges(user, agency):
        raise PermissionDenied(_("Only the agency's service designers and admins can do that."))
    question = clean_title(question, field="question", label=_("Question"), max_length=QUESTION_MAX)
    cover_text = plain_text(cover_text)
    if len(cover_text) > COVER_TEXT_MAX:
        raise ValidationError({"cover_text": _("Keep the cover text under 300 characters.")})
    if background.strip():
        background = clean_rich(background, "background", BACKGROUND_MAX, "")
    tags = clean_tags(tags)
    challenge = Challenge(
        agency=agency,
        question=question,
        cover_text=cover_text,
        background=background.strip(),
        opens_at=opens_at,
        ideas_close_at=ideas_close_at,
        closes_at=closes_at,
        allow_self_support=allow_self_support,
        is_published=is_published,
        created_by=user,
        sms_code=(sms_code or "").strip().upper(),
    )
    challenge.clean()
    place_assign(challenge, latitude=latitude, longitude=longitude, district=district, precise=True)
    if (
        challenge.sms_code
        and Challenge.objects.filter(sms_code__iexact=challenge.sms_code).exists()
    ):
        raise ValidationError(
            {"sms_code": _("Another challenge already uses that text code. Choose another word.")}
        )
    # do
    with transaction.atomic():
        base = slugify(question)[:200] or "challenge"
        slug, n = base, 1
        while Challenge.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        challenge.slug = slug
        challenge.save()
        if tags:
            challenge.tags.set(tags)
        pages = list(service_pages)
        if pages:
            challenge.service_pages.set(pages)
    return challenge

"""Ideas by text message: "<challenge code> <idea>" posts an idea, "YES <number>" supports one.

Registered with :mod:`community.sms.commands` in ``IdeasConfig.ready()``. Both go through the
same actions as the website (``idea_create``, ``vote_cast``) with ``channel="sms"``; a first
post by text is held for a moderator (screening rule ``first_post_from_channel``). Replies
are short, plain and say what to do next.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models.functions import Upper
from django.utils.translation import gettext as _

from community.moderation.selectors import hidden_q
from community.sms.commands import Command, register_command, register_fallback
from ideas import actions
from ideas.models import TITLE_MAX, Challenge, Idea

TITLE_WORDS_MAX = 60


def title_from_text(text: str) -> str:
    """A short title from the idea's first sentence (cut at a word, with "…" if cut)."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].strip()
    limit = min(TITLE_WORDS_MAX, TITLE_MAX)
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0] or first[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def post_idea(command: Command) -> str:
    code = command.keyword.strip()
    challenge = (
        Challenge.objects.published()
        .annotate(code=Upper("sms_code"))
        .filter(code=code.upper())
        .exclude(sms_code="")
        .first()
    )
    if challenge is None:
        return _(
            "We do not know the code %(code)s. Check the code on the poster or website, then "
            "text the code, a space and your idea."
        ) % {"code": code[:12]}
    text = command.rest
    if not text:
        return _(
            "Please add your idea after the code, like this: %(code)s More benches by the lake"
        ) % {"code": challenge.sms_code}
    idea = actions.idea_create(
        user=command.user,
        challenge=challenge,
        title=title_from_text(text),
        body=text,
        channel="sms",
    )
    if idea.screening.held:
        return _(
            "Thank you! Your idea is number %(n)d. A moderator will check it before it "
            "appears on the board. To support an idea, text YES and its number."
        ) % {"n": idea.pk}
    link = settings.SITE_URL.rstrip("/") + idea.get_absolute_url()
    return _("Thank you! Your idea is number %(n)d and is now on the board: %(link)s") % {
        "n": idea.pk,
        "link": link,
    }


def support_idea(command: Command) -> str:
    number = command.rest.strip().lstrip("#")
    if not number.isdigit():
        return _("Please text YES and the idea number, like this: YES 12")
    idea = (
        Idea.objects.select_related("challenge", "persona")
        .exclude(hidden_q(Idea))
        .filter(pk=int(number))
        .first()
    )
    if idea is None:
        return _(
            "We could not find idea %(n)s. Check the number and text YES and the number again."
        ) % {"n": number[:10]}
    count = actions.vote_cast(user=command.user, idea=idea, channel="sms")
    return _("Thank you! You now support idea %(n)d, “%(title)s”. Supporters: %(count)d.") % {
        "n": idea.pk,
        "title": idea.title[:60],
        "count": count,
    }


def register() -> None:
    register_command("YES", support_idea)
    register_command("SI", support_idea)
    register_command("SÍ", support_idea)
    register_fallback(post_idea)

"""Recruiting testers from the panel: the request, the sample, replies and reminders."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions import notify
from community.models import Organisation, User
from community.permissions import ensure_may_contribute
from community.selectors import primary_persona
from community.text import clean_title
from ideas.codesign.models import CodesignSession
from ideas.research import permissions, selectors
from ideas.research.models import Invitation, Recruitment
from ideas.research.sampling import stratified_sample

WANTED_MAX = 50
CATEGORY = "research"
SIGNING_SALT = "research.invitation"


def reminder_after() -> timedelta:
    return timedelta(hours=getattr(settings, "RESEARCH_REMIND_AFTER_HOURS", 48))


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SIGNING_SALT)


def invitation_url(invitation: Invitation) -> str:
    return reverse("research:invitation", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> Invitation | None:
    try:
        pk = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    return (
        Invitation.objects.select_related("recruitment__session", "recruitment__agency", "user")
        .filter(pk=pk)
        .first()
    )


def _invite_text(recruitment: Recruitment) -> tuple[Callable[[], str], Callable[[], str]]:
    def title() -> str:
        return _("You are invited: %(title)s") % {"title": recruitment.title}

    def body() -> str:
        return _(
            "You are in the research panel, and %(agency)s would like you to take part "
            "(%(when)s). Please say yes or no from the link."
        ) % {
            "agency": recruitment.agency.name,
            "when": timezone.localtime(recruitment.starts_at).strftime("%Y-%m-%d %H:%M"),
        }

    return title, body


def recruitment_create(
    *,
    user: User,
    agency: Organisation,
    title: str,
    starts_at: datetime,
    wanted: int,
    balance_by: str = Recruitment.Balance.AGE_BAND,
    kind: str = Recruitment.Kind.CODESIGN,
    session: CodesignSession | None = None,
    details: str = "",
    rng: random.Random | None = None,
) -> Recruitment:
    """Ask for ``wanted`` testers balanced by ``balance_by`` and invite a stratified sample
    (:mod:`ideas.research.sampling`) of the eligible panel at once. Each invitee gets a
    notification (in-app, email and text as they chose) with a signed reply link. Fewer
    eligible members than wanted: everyone eligible is invited."""
    if not permissions.can_recruit(user, agency):
        raise PermissionDenied(_("Only the agency's service designers can recruit testers."))
    title = clean_title(title, field="title", max_length=120)
    errors: dict[str, str] = {}
    if not 1 <= int(wanted) <= WANTED_MAX:
        errors["wanted"] = _("Ask for between 1 and %(n)d testers.") % {"n": WANTED_MAX}
    if balance_by not in Recruitment.Balance.values:
        errors["balance_by"] = _("Choose how to balance the group from the list.")
    if kind not in Recruitment.Kind.values:
        errors["kind"] = _("Choose what the testers are for.")
    if starts_at <= timezone.now():
        errors["starts_at"] = _("Choose a time in the future.")
    if kind == Recruitment.Kind.CODESIGN:
        if session is None:
            errors["session"] = _("Choose the co-design session.")
        elif session.agency_id != agency.pk or session.is_finished:
            errors["session"] = _("Choose one of your agency's sessions that has not ended.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        recruitment = Recruitment.objects.create(
            agency=agency,
            kind=kind,
            session=session if kind == Recruitment.Kind.CODESIGN else None,
            title=title,
            details=details.strip()[:2000],
            starts_at=starts_at,
            wanted=int(wanted),
            balance_by=balance_by,
            created_by=user,
        )
        _invite(recruitment, int(wanted), rng, exclude=user)
    return recruitment


def _invite(
    recruitment: Recruitment, wanted: int, rng: random.Random | None, exclude: User | None
) -> list[Invitation]:
    pool = selectors.eligible_panel(recruitment, exclude_user_id=exclude.pk if exclude else None)
    chosen = stratified_sample(pool, wanted, rng)
    invitations = Invitation.objects.bulk_create(
        [Invitation(recruitment=recruitment, user_id=uid, stratum=s) for uid, s in chosen]
    )
    users = {u.pk: u for u in User.objects.filter(pk__in=[uid for uid, _s in chosen])}
    title, body = _invite_text(recruitment)
    for invitation in invitations:
        notify(
            recipients=[users[invitation.user_id]],
            category=CATEGORY,
            title=title,
            body=body,
            url=invitation_url(invitation),
        )
    return invitations


def invitation_reply(*, invitation: Invitation, accept: bool) -> Invitation:
    """Accept or decline (the signed link is the authority: no sign-in needed). A reply is
    final; a cancelled invitation, a withdrawn consent, or a session that has started or
    ended is refused with a message and nothing changed. Accepting a co-design invitation
    joins the session as the invitee's primary persona."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("recruitment__session", "user")
            .get(pk=invitation.pk)
        )
        recruitment = locked.recruitment
        if locked.status == Invitation.Status.CANCELLED or not selectors.in_panel(locked.user):
            raise ValidationError(
                _("This invitation was withdrawn because you left the research panel.")
            )
        if locked.status != Invitation.Status.INVITED:
            raise ValidationError(
                _("You already replied to this invitation (%(reply)s). Nothing was changed.")
                % {"reply": locked.get_status_display()}
            )
        if recruitment.starts_at <= timezone.now() or (
            recruitment.session is not None and recruitment.session.is_finished
        ):
            raise ValidationError(_("This has already started, so replies are closed."))
        ensure_may_contribute(locked.user)
        locked.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
        locked.replied_at = timezone.now()
        locked.save(update_fields=["status", "replied_at"])
        if accept and recruitment.session is not None:
            from ideas.codesign.actions import participant_join

            persona = primary_persona(locked.user)
            if persona is not None:
                participant_join(
                    user=locked.user, session=recruitment.session, persona=persona, has_code=True
                )
    return locked


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind, once, everyone who has not replied within the reminder delay and whose
    session has not started. Safe to run twice or in two workers at once: each reminder is
    claimed by a conditional update (``reminded_at`` still empty) in the same transaction as
    its notification, so a person is reminded exactly once. Returns how many were sent."""
    now = now or timezone.now()
    due = list(
        Invitation.objects.filter(
            status=Invitation.Status.INVITED,
            reminded_at__isnull=True,
            invited_at__lte=now - reminder_after(),
            recruitment__starts_at__gt=now,
        )
        .select_related("recruitment__agency", "user")
        .order_by("pk")
    )
    sent = 0
    for invitation in due:
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=invitation.pk, status=Invitation.Status.INVITED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if not claimed or not selectors.in_panel(invitation.user):
                continue
            recruitment = invitation.recruitment

            def title(r: Recruitment = recruitment) -> str:
                return _("Reminder: will you take part in %(title)s?") % {"title": r.title}

            notify(
                recipients=[invitation.user],
                category=CATEGORY,
                title=title,
                body=_invite_text(recruitment)[1],
                url=invitation_url(invitation),
            )
            sent += 1
    return sent

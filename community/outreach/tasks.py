"""Background sending: campaign deliveries, weekly digests and reminders.

Every send is exactly once per person: a unique row (``Delivery``, ``DigestSent``,
``ReminderSent``) is locked or created in the same transaction that sends and stamps it, so a
task run twice, or run again after its worker was killed, sends only what is still owed.
(The one window left is a crash after the mail server accepted a message and before the
commit: that person would get it again on the re-run. It is as short as one SMTP reply.)
Consent is checked again for each person just before their copy goes.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from community.actions.notifications import wants_email
from community.models import Follow, NotificationPreference, User
from community.outreach import registry
from community.outreach.calendar import absolute, to_ical
from community.outreach.categories import CAMPAIGNS, DIGEST
from community.outreach.emails import footer_context, outreach_message
from community.outreach.links import click_url, open_pixel_url
from community.outreach.models import Campaign, Delivery, DigestSent, ReminderSent
from community.outreach.selectors import email_audience, text_audience

logger = logging.getLogger(__name__)


def _language(user: User) -> str:
    return user.language or settings.LANGUAGE_CODE


def _content_for(campaign: Campaign, language: str) -> dict:
    return campaign.content.get(language) or campaign.content[settings.LANGUAGE_CODE]


# -- campaigns ----------------------------------------------------------------------------


def campaign_deliver(*, campaign_id: int) -> int:
    """Create each consenting person's delivery (once, by constraint) and send what is still
    waiting; returns how many went out in this run. Safe to run any number of times."""
    campaign = Campaign.objects.select_related("agency").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    wanted: list[tuple[str, list[int]]] = []
    if campaign.by_email:
        wanted.append((Delivery.Channel.EMAIL, email_audience(campaign.agency)))
    if campaign.by_text:
        wanted.append((Delivery.Channel.TEXT, text_audience(campaign.agency)))
    languages = dict(
        User.objects.filter(pk__in={uid for _c, ids in wanted for uid in ids}).values_list(
            "pk", "language"
        )
    )
    for channel, ids in wanted:
        Delivery.objects.bulk_create(
            [
                Delivery(
                    campaign=campaign,
                    user_id=uid,
                    channel=channel,
                    language=languages.get(uid) or settings.LANGUAGE_CODE,
                )
                for uid in ids
            ],
            ignore_conflicts=True,
        )
    sent = 0
    waiting = Delivery.objects.filter(campaign=campaign, state=Delivery.State.QUEUED)
    for pk in waiting.order_by("pk").values_list("pk", flat=True):
        if delivery_send(delivery_id=pk):
            sent += 1
    if not Delivery.objects.filter(campaign=campaign, state=Delivery.State.QUEUED).exists():
        Campaign.objects.filter(pk=campaign.pk, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return sent


def _still_consents(user: User | None, channel: str) -> bool:
    if user is None or not user.is_active or not wants_email([user.pk], CAMPAIGNS):
        return False
    if channel == Delivery.Channel.EMAIL:
        return bool(user.email)
    from community.sms.models import PhoneNumber

    return PhoneNumber.objects.filter(
        user=user, verified_at__isnull=False, stopped_at__isnull=True, notify_by_text=True
    ).exists()


def delivery_send(*, delivery_id: int) -> bool:
    """Send one waiting delivery; the row is locked, sent and stamped in one transaction."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("campaign", "user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.state != Delivery.State.QUEUED:
            return False
        user = delivery.user
        if user is None or not _still_consents(user, delivery.channel):
            delivery.state = Delivery.State.SKIPPED
            delivery.save(update_fields=["state"])
            return False
        campaign = delivery.campaign
        language = _language(user)
        content = _content_for(campaign, language)
        target = absolute(content.get("url") or "/")
        with translation.override(language):
            if delivery.channel == Delivery.Channel.EMAIL:
                _email_campaign(delivery, user, content, target)
            else:
                _text_campaign(delivery, user, content, target)
        delivery.state = Delivery.State.SENT
        delivery.language = language
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["state", "language", "sent_at"])
    return True


def _email_campaign(delivery: Delivery, user: User, content: dict, target: str) -> None:
    context = {
        "subject": content["subject"],
        "text": content["text"],
        "link": click_url(delivery.token, target),
        "pixel": open_pixel_url(delivery.token),
        "agency": delivery.campaign.agency,
        **footer_context(user.pk, CAMPAIGNS),
    }
    outreach_message(
        user_id=user.pk,
        to=user.email,
        category=CAMPAIGNS,
        subject=str(content["subject"]),
        body=render_to_string("outreach/email/campaign.txt", context),
        html=render_to_string("outreach/email/campaign.html", context),
    ).send()


def _text_campaign(delivery: Delivery, user: User, content: dict, target: str) -> None:
    from django.utils.translation import gettext as _

    from community.sms.models import PhoneNumber
    from community.sms.services import text_queue

    phone = PhoneNumber.objects.get(user=user)
    body = "{site}: {subject} {link} {stop}".format(
        site=settings.WAGTAIL_SITE_NAME,
        subject=content["subject"],
        link=click_url(delivery.token, target),
        stop=_("Text STOP to end texts."),
    )
    text_queue(
        number=phone.number, body=body, user=user, key=f"campaign:{delivery.campaign_id}:{user.pk}"
    )


@task()
def send_campaign(*, campaign_id: int) -> int:
    return campaign_deliver(campaign_id=campaign_id)


def unfinished_campaigns() -> list[int]:
    """Campaigns whose task was lost (enqueue failed, worker gone): the scheduler resends."""
    cutoff = timezone.now() - timedelta(minutes=10)
    return list(
        Campaign.objects.filter(finished_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )


# -- weekly digest ------------------------------------------------------------------------


def week_before(now: datetime) -> tuple[str, datetime, datetime]:
    """The ISO week before ``now``'s week: its name and its [start, end) in UTC."""
    local = timezone.localtime(now)
    this_monday = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    start = this_monday - timedelta(days=7)
    year, week, _day = start.isocalendar()
    return f"{year}-W{week:02d}", start, this_monday


def digest_items(user: User, since: datetime, until: datetime) -> list[registry.DigestItem]:
    by_label: dict[str, list[int]] = defaultdict(list)
    for f in Follow.objects.filter(user=user).select_related("content_type"):
        by_label[f"{f.content_type.app_label}.{f.content_type.model}"].append(f.object_id)
    items: list[registry.DigestItem] = []
    for label, ids in sorted(by_label.items()):
        source = registry.digest_source(label)
        if source is not None:
            items.extend(source(ids, since, until))
    return items


def digest_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Email one person last week's digest, once per week; returns whether one went out.

    Nothing is sent to someone who did not opt in, or when nothing they follow changed
    (the week is still marked done, so it is not worked out again)."""
    week, since, until = week_before(now or timezone.now())
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not wants_email([user.pk], DIGEST):
        return False
    try:
        with transaction.atomic():
            row = DigestSent.objects.create(user=user, week=week)
            with translation.override(_language(user)):
                items = digest_items(user, since, until)
                if items:
                    from django.utils.translation import gettext as _

                    context = {"items": items, "week": week, **footer_context(user.pk, DIGEST)}
                    outreach_message(
                        user_id=user.pk,
                        to=user.email,
                        category=DIGEST,
                        subject=_("What changed this week on things you follow"),
                        body=render_to_string("outreach/email/digest.txt", context),
                    ).send()
            row.items = len(items)
            row.save(update_fields=["items"])
    except IntegrityError:
        return False
    return bool(items)


def digest_recipients(now: datetime) -> list[int]:
    """Who opted in to the digest, follows something, and has not had this week's."""
    week, _since, _until = week_before(now)
    opted = NotificationPreference.objects.filter(category=DIGEST, email=True).values("user_id")
    return list(
        User.objects.filter(pk__in=opted, is_active=True, follows__isnull=False)
        .exclude(digests_sent__week=week)
        .distinct()
        .values_list("pk", flat=True)
    )


@task()
def send_digests(*, now: str | None = None) -> int:
    moment = datetime.fromisoformat(now) if now else timezone.now()
    return sum(digest_send(user_id=uid, now=moment) for uid in digest_recipients(moment))


# -- reminders ----------------------------------------------------------------------------


def reminder_send(*, user_id: int, reminder: registry.Reminder) -> bool:
    """Email one reminder with its .ics event attached, once per person per key."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or not wants_email([user.pk], reminder.category):
        return False
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, key=reminder.key)
            with translation.override(_language(user)):
                subject = str(reminder.subject())
                context = {
                    "body": str(reminder.body()),
                    "link": absolute(reminder.event.url),
                    **footer_context(user.pk, reminder.category),
                }
                message = outreach_message(
                    user_id=user.pk,
                    to=user.email,
                    category=reminder.category,
                    subject=subject,
                    body=render_to_string("outreach/email/reminder.txt", context),
                )
                message.attach(
                    "event.ics",
                    to_ical([reminder.event], name=reminder.event.title),
                    "text/calendar",
                )
                message.send()
    except IntegrityError:
        return False
    return True


def reminders_run(*, now: datetime | None = None) -> int:
    """Send every reminder now due; returns how many emails went out."""
    moment = now or timezone.now()
    sent = 0
    for source in registry.reminder_sources():
        for reminder in source(moment):
            already = set(
                ReminderSent.objects.filter(
                    key=reminder.key, user_id__in=reminder.user_ids
                ).values_list("user_id", flat=True)
            )
            for uid in reminder.user_ids:
                if uid not in already and reminder_send(user_id=uid, reminder=reminder):
                    sent += 1
    return sent


@task()
def send_reminders() -> int:
    return reminders_run()


def outreach_round(now: datetime | None = None) -> dict[str, int]:
    """What the scheduler runs each round: enqueue reminders, the digest (from Monday) and
    any campaign whose task was lost. Each task is idempotent, so overlapping rounds are
    harmless."""
    send_reminders.enqueue()
    moment = now or timezone.now()
    digests = 0
    if digest_recipients(moment):
        send_digests.enqueue()
        digests = 1
    lost = unfinished_campaigns()
    for pk in lost:
        send_campaign.enqueue(campaign_id=pk)
    return {"reminders": 1, "digests": digests, "campaigns": len(lost)}

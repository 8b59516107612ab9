"""Reports: anyone signed in may report what they can see, once, and not their own."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from community import permissions
from community.models import User
from community.moderation.actions.cases import audit, case_for, reopen, reportable_entry
from community.moderation.models import ActionKind, Reason, Report
from community.text import plain_text


def report_create(*, user: User, obj: Model, reason: str, text: str = "") -> Report:
    """Report content of any registered kind (not one's own, once per person)."""
    if not permissions.can_contribute(user):
        raise PermissionDenied(_("Sign in to report content."))
    entry = reportable_entry(obj)
    if entry.can_report is not None and not entry.can_report(user, obj):
        raise PermissionDenied(_("You can only report things you can see."))
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    text = plain_text(text)[:1000]
    if reason == Reason.OTHER and not text:
        raise ValidationError({"text": _("Say what is wrong with it.")})
    author = entry.author(obj)
    if author is not None and getattr(author, "account_id", None) == user.pk:
        raise ValidationError(_("You cannot report your own contribution."))
    ct = ContentType.objects.get_for_model(obj)
    if Report.objects.filter(reporter=user, content_type=ct, object_id=obj.pk).exists():
        raise ValidationError(_("You have already reported this. A moderator will look at it."))
    with transaction.atomic():
        case = case_for(obj, entry)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    case=case,
                    content_type=ct,
                    object_id=obj.pk,
                    reporter=user,
                    reason=reason,
                    text=text,
                )
        except IntegrityError:
            raise ValidationError(
                _("You have already reported this. A moderator will look at it.")
            ) from None
        reopen(case)
        case.report_count = F("report_count") + 1
        case.top_reason = reason if not case.top_reason else case.top_reason
        case.save()
        audit(case=case, actor=user, action=ActionKind.REPORT, reason=reason, note=text)
    return report

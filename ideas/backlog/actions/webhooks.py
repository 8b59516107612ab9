"""The agency's tracker: configuring the outbound webhook and applying the status changes the
tracker sends back (signed; the inbound view verifies the signature)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from community.models import Organisation, User
from ideas.backlog import egress, permissions
from ideas.backlog.actions.records import Via
from ideas.backlog.actions.transitions import transition
from ideas.backlog.models import BacklogItem, InboundReceipt, WebhookEndpoint

SECRET_MIN = 24


def webhook_configure(
    *, user: User, agency: Organisation, url: str, secret: str, is_active: bool = True
) -> WebhookEndpoint:
    """Set the agency's tracker URL and shared secret (agency admins only)."""
    # check
    if not permissions.can_manage_integrations(user, agency):
        raise PermissionDenied(_("Only the agency's admins can configure integrations."))
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": _("Enter the full http(s) address of your tracker.")}
        ) from None
    if len(secret or "") < SECRET_MIN:
        raise ValidationError({"secret": _("Use a secret of at least 24 characters.")})
    try:
        egress.check_destination(url)
    except ValidationError as exc:
        raise ValidationError({"url": exc.messages}) from None
    # do
    endpoint, _created = WebhookEndpoint.objects.update_or_create(
        agency=agency, defaults={"url": url, "secret": secret, "is_active": bool(is_active)}
    )
    return endpoint


def tracker_set_status(
    *, agency: Organisation, signature: str, item_id: int, status: str, message: str = ""
) -> BacklogItem:
    """Apply a status change sent by the agency's tracker.

    The caller (the inbound view) has verified ``signature`` over the body with the agency's
    secret; this records it so the same signed call is never applied twice, then moves the
    item exactly as staff would (same transition table, history ``via=tracker``, no actor).
    Raises ``BacklogItem.DoesNotExist`` for an item of another agency or none.
    """
    with transaction.atomic():
        item = BacklogItem.objects.get(pk=item_id, agency=agency)
        try:
            with transaction.atomic():
                InboundReceipt.objects.create(agency=agency, signature=signature)
        except IntegrityError:
            raise ValidationError({"signature": _("This call was already received.")}) from None
        return transition(item=item, status=status, message=message, actor=None, via=Via.TRACKER)

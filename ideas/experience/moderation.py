"""How free-text feedback takes part in moderation (registered in ``ExperienceConfig.ready``).

Feedback text is never public: only the agency's staff read it (the dashboard's comments and
themes), so only they may report it. ``community.moderation`` keeps the held/hidden case;
these hooks mirror it in ``Feedback.is_hidden`` (comment lists and themes leave hidden text
out; the answer's numbers still count), and an approved text joins a theme.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from community.models import Persona
from community.moderation.registry import register_reportable
from ideas.experience.models import Feedback


def _set_hidden(feedback: Feedback, hidden: bool) -> None:
    from ideas.experience.themes import theme_assign

    Feedback.objects.filter(pk=feedback.pk).update(is_hidden=hidden)
    if not hidden:
        fresh = Feedback.objects.get(pk=feedback.pk)
        theme_assign(fresh)


def _edit(feedback: Feedback, text: str) -> None:
    from ideas.experience.conf import setting

    Feedback.objects.filter(pk=feedback.pk).update(comment=text[: setting("COMMENT_MAX")])


def _author(feedback: Feedback) -> Persona | None:
    if feedback.account_id is None:
        return None
    return (
        Persona.objects.filter(account_id=feedback.account_id).order_by("-is_primary", "pk").first()
    )


def _can_report(user, feedback: Feedback) -> bool:  # type: ignore[no-untyped-def]
    from ideas.experience.permissions import can_view_service_dashboard

    if getattr(user, "pk", None) is not None and feedback.account_id == user.pk:
        return True  # their own answer (in their data export): refused as "your own"
    return feedback.agency_id is not None and can_view_service_dashboard(user, feedback.agency_id)


def register() -> None:
    register_reportable(
        Feedback,
        kind_label=_("Service feedback"),
        author=_author,
        agency=lambda feedback: feedback.agency,
        text=lambda feedback: feedback.comment,
        context=lambda feedback: str(_("Feedback on a service")),
        url=lambda feedback: feedback.get_absolute_url(),
        on_hide=lambda feedback, reason: _set_hidden(feedback, True),
        on_publish=lambda feedback: _set_hidden(feedback, False),
        apply_edit=_edit,
        can_report=_can_report,
    )

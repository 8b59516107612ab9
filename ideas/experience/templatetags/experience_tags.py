"""What other apps' templates show from service experience.

* ``{% service_feedback page %}``: the feedback form on a service page (``cms`` renders it
  outside its cached fragments; the page cache fills the CSRF slot per visitor).
* ``{% feedback_theme_origin challenge %}``: on a challenge that started from a feedback
  theme, a line saying so, linked to the service (and to the theme for the agency's staff).
"""

from __future__ import annotations

from typing import Any

from django import template

from ideas.experience import catalogue
from ideas.experience.forms import FeedbackForm
from ideas.experience.permissions import can_view_service_dashboard

register = template.Library()


@register.inclusion_tag("experience/service_feedback.html", takes_context=True)
def service_feedback(context: template.Context, page: Any) -> dict[str, Any]:
    service = catalogue.service(page.pk)
    if service is None or not service.live:
        return {"service": None}
    return {
        "service": service,
        "page_id": page.pk,
        "form": FeedbackForm(service=service, auto_id="feedback_%s"),
    }


@register.inclusion_tag("experience/theme_origin.html", takes_context=True)
def feedback_theme_origin(context: template.Context, challenge: Any) -> dict[str, Any]:
    theme = challenge.feedback_themes.order_by("pk").first()
    if theme is None:
        return {"theme": None}
    user = context.get("user")
    return {
        "theme": theme,
        "service": catalogue.service(theme.service_page_id),
        "staff": can_view_service_dashboard(user, theme.agency_id) if user else False,
    }

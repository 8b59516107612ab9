"""What other apps' templates show from service experience.

* ``{% service_feedback page %}``: the feedback form on a service page (``cms`` renders it
  outside its cached fragments; the page cache fills the CSRF slot per visitor).
"""

from __future__ import annotations

from typing import Any

from django import template

from ideas.experience import catalogue
from ideas.experience.forms import FeedbackForm

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

"""Template context shared by every page: site name and the main navigation."""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, URL name). An entry appears once the feature behind its URL name exists, so the
# header never links to a page that is not there.
NAVIGATION = [
    (_("Services"), "cms:services"),
    (_("Ideas"), "ideas:challenge_list"),
    (_("Budgets"), "budgeting:process_list"),
    (_("Exchange"), "exchange:list"),
    (_("Co-design"), "codesign:session_list"),
    (_("Roadmap"), "roadmap:index"),
    (_("Search"), "search:results"),
]


def _navigation() -> list[dict]:
    items = []
    for label, name in NAVIGATION:
        try:
            items.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            continue
    return items


def site(request) -> dict:
    number = getattr(settings, "SMS", {}).get("FROM_NUMBER", "")
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "main_navigation": _navigation(),
        "SMS_NUMBER": number,
        # With no text number (make run), boards point developers at the development phone.
        "SMS_DEV_PHONE": "" if number else _dev_phone(),
    }


def _dev_phone() -> str:
    from community.sms import dev

    return reverse("sms_dev:phone") if dev.available() else ""

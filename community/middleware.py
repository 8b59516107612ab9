"""Pages in the language a person chose: their account's, else the cookie's (LocaleMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation


class AccountLanguageMiddleware:
    """Runs after authentication: a signed-in person's saved language wins over the browser's.

    Anonymous visitors keep Django's choice (language cookie, then ``Accept-Language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.known = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        try:
            user = getattr(request, "user", None)
            authenticated = getattr(user, "is_authenticated", False)
            language = getattr(user, "language", "") if authenticated else ""
        except (OperationalError, InterfaceError):
            # The database is down: leave it to the view, whose failure the outage
            # middleware turns into the 503 page (an error raised here would be a bare 500).
            language = ""
        if language in self.known:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

"""``Authorization: Bearer cc_…`` (or ``Token cc_…``) with a personal API token."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from api.services import token_authenticate

KEYWORDS = ("bearer", "token")


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """No header: anonymous (read-only). A header that is not a valid, active token: 401."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Bearer <your token>”.")
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("That token is not valid.")) from None
        token = token_authenticate(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("That token is not valid or was revoked. Make a new one on your account page.")
            )
        return token.account, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A personal API token from your account page (API tokens). Send "
                "“Authorization: Bearer <token>”; “Token <token>” also works."
            ),
        }

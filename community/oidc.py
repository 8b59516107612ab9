"""OpenID Connect sign-out: ending the provider's session too (RP-Initiated Logout 1.0).

allauth signs people in through any OpenID Connect provider but, on sign-out, ends only this
site's session: the provider still knows the browser, so on a shared computer the next
"Sign in with …" signs the previous person straight back in. RP-Initiated Logout lets a
relying party send the browser to the provider's ``end_session_endpoint`` (from discovery)
with the ``id_token_hint`` it received and a ``post_logout_redirect_uri`` back here.

allauth keeps neither the raw ID token nor the discovery document past the callback, so the
callback view here is allauth's with one addition: the adapter's ``complete_login`` notes
both in the session (:data:`SESSION`) as soon as the provider has vouched for the person, and
at sign-out :func:`end_session_url` builds the redirect. That is on purpose whatever happens
next (a completed sign-in, a linked account, a refused address, an abandoned MFA step): in
each case this browser now has a session at the provider, and on a shared computer it must
end with this site's. The ID token lives only in this server-side session, which sign-out
deletes; it is never stored on the account or logged.
Where a provider offers no end-session endpoint, :func:`provider_session_notice` is what the
sign-out page and the message after signing out tell the person instead.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from config.env import provider_origin

SESSION = "oidc_provider_session"


class SessionAwareAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter, noting what sign-out will need (see module doc)."""

    def complete_login(self, request: HttpRequest, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        response = kwargs.get("response") or {}
        request.session[SESSION] = {
            "provider": self.provider_id,
            "name": app.name,
            "client_id": app.client_id,
            "id_token": response.get("id_token") or "",
            "end_session_endpoint": _usable_endpoint(
                self.openid_config.get("end_session_endpoint"), app.settings["server_url"]
            ),
        }
        return login


def _usable_endpoint(endpoint: str | None, server_url: str) -> str:
    """The end-session endpoint if the browser may be sent there, else "".

    The Content-Security-Policy's form-action allows only the issuer's origin
    (``config.env.oidc_origins``); a redirect elsewhere after the sign-out form would be
    blocked by the browser, so such a provider is treated as having no endpoint (the sign-out
    page then says how to end its session).
    """
    if not isinstance(endpoint, str) or urlsplit(endpoint).scheme not in {"https", "http"}:
        return ""
    return endpoint if provider_origin(endpoint) == provider_origin(server_url) else ""


@login_not_required
def callback(request: HttpRequest, provider_id: str):
    """allauth's ``openid_connect_callback`` (same URL, routed first) with our adapter."""
    try:
        view = OAuth2CallbackView.adapter_view(SessionAwareAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


def provider_session(request: HttpRequest) -> dict | None:
    """The provider this browser last signed in at during this session, if any."""
    data = request.session.get(SESSION)
    return data if isinstance(data, dict) and data.get("provider") else None


def end_session_url(request: HttpRequest, return_to: str) -> str | None:
    """Where to send the browser to end the provider's session too, or None if it cannot.

    ``return_to`` (a path on this site) becomes the absolute ``post_logout_redirect_uri``,
    which the provider must have registered for this client.
    """
    data = provider_session(request)
    if not data or not data.get("end_session_endpoint"):
        return None
    endpoint = urlsplit(data["end_session_endpoint"])
    if endpoint.scheme not in {"https", "http"}:
        return None
    params = {"client_id": data["client_id"], "post_logout_redirect_uri": return_to}
    if data.get("id_token"):
        params["id_token_hint"] = data["id_token"]
    language = getattr(request, "LANGUAGE_CODE", "")
    if language:
        params["ui_locales"] = language
    query = f"{endpoint.query}&{urlencode(params)}" if endpoint.query else urlencode(params)
    return urlunsplit(endpoint._replace(query=query))


def provider_session_notice(request: HttpRequest) -> str | None:
    """What to tell someone whose provider session sign-out cannot end, or None."""
    data = provider_session(request)
    if not data or data.get("end_session_endpoint"):
        return None
    return _(
        "You signed in with %(provider)s, which cannot be signed out from here: you stay "
        "signed in there in this browser. On a shared computer, go to %(provider)s and sign "
        "out there too, or close every window of this browser."
    ) % {"provider": data["name"]}

"""allauth hooks: account emails through background tasks, a public name at sign-up.

Sign-up, verification, password reset, MFA and OpenID Connect are allauth's; this module
only adapts them. Every new account (by email or through an OpenID Connect provider) picks
the public name of its first persona on the sign-up form, so no real name from an identity
provider is ever shown publicly.
"""

from __future__ import annotations

import logging
import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.utils.translation import gettext_lazy as _

from community.actions.personas import PERSONA_NAME_MAX, persona_create, validate_persona_name
from community.formerrors import PlainErrorsMixin
from community.roles import sync_role_groups

logger = logging.getLogger(__name__)
# JWTs (three base64url parts) and long opaque strings such as codes or access tokens.
_TOKENISH = re.compile(
    r"[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|[A-Za-z0-9_~.+/=-]{32,}"
)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render now (the request is here), send from the task worker."""
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        from community.tasks import send_email

        request = allauth_context.request
        ctx = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            # Our templates (templates/account/email/) greet the person by their public
            # name and sign with the site's name and the address actually served.
            "site_name": settings.WAGTAIL_SITE_NAME,
            "site_url": request.build_absolute_uri("/") if request else settings.SITE_URL,
        }
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = None
        if isinstance(message, EmailMultiAlternatives):
            html = next((c for c, mime in message.alternatives if mime == "text/html"), None)
        body = message.body
        if getattr(message, "content_subtype", "plain") == "html" and html is None:
            html, body = message.body, ""
        send_email.enqueue(
            subject=message.subject,
            body=body,
            from_email=message.from_email,
            to=list(message.to),
            html=html,
        )

    def get_logout_redirect_url(self, request) -> str:
        """After signing out here, end the provider's session too where it offers that.

        Called before the session ends (allauth's LogoutView), so the provider details are
        still there; the provider sends the browser back to this site's page afterwards.
        """
        from community.oidc import end_session_url

        here = super().get_logout_redirect_url(request)
        return end_session_url(request, request.build_absolute_uri(here)) or here

    def logout(self, request) -> None:
        """Sign out; say plainly when the provider's session could not be ended with it."""
        from community.oidc import provider_session_notice

        notice = provider_session_notice(request)
        super().logout(request)
        if notice:
            messages.warning(request, notice)


def user_display(user) -> str:
    """How allauth names an account (emails, account pages): its public name, never the
    internal username (``ACCOUNT_USER_DISPLAY``); empty for a visitor not signed in."""
    if not getattr(user, "pk", None):
        return ""
    personas = sorted(
        (p for p in user.personas.all() if not p.is_anonymised),
        key=lambda p: (not p.is_primary, p.created_at),
    )
    if personas:
        return personas[0].display_name
    return user.email.split("@")[0] if user.email else ""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Log why a provider sign-in failed, so operators can see the cause.

        The person sees allauth's error page; the log has the provider, allauth's error code
        and the exception's class and message. Never the request's query string, codes or
        tokens: those are credentials.
        """
        app = getattr(provider, "app", None)
        facts = {
            "provider": getattr(app, "provider_id", None) or getattr(provider, "id", "?"),
            "error": str(error) if error else "",
            "exception": type(exception).__name__ if exception else "",
            "detail": _safe_detail(exception),
        }
        # The facts are in the message (text logs) and as fields (JSON logs).
        logger.warning(
            "sign-in through a provider failed: provider=%(provider)s error=%(error)s "
            "exception=%(exception)s detail=%(detail)s",
            facts,
            extra=facts,
        )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


def _safe_detail(exception: BaseException | None) -> str:
    """The exception's message, cut short, with anything token-like removed."""
    if exception is None:
        return ""
    text = str(exception)[:300]
    return _TOKENISH.sub("[hidden]", text)


class PublicNameSignupForm(PlainErrorsMixin, forms.Form):
    """Extra sign-up field (both email and OpenID Connect sign-up): the first persona's name."""

    display_name = forms.CharField(
        label=_("Public name"),
        max_length=PERSONA_NAME_MAX,
        help_text=_(
            "Shown with everything you contribute. It need not be your real name; "
            "you can add more personas later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )

    def clean_display_name(self) -> str:
        try:
            return validate_persona_name(self.cleaned_data.get("display_name", ""))
        except ValidationError as exc:
            raise forms.ValidationError(
                exc.message_dict.get("display_name", exc.messages)
            ) from None

    def signup(self, request, user) -> None:
        try:
            persona_create(account=user, display_name=self.cleaned_data["display_name"])
        except ValidationError:
            # Someone took the name between validation and now; the personas page asks again.
            logger.info("public name taken during sign-up", extra={"user": user.pk})
        sync_role_groups(user)

"""Sign-up that does the same work whether or not the address already has an account.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers both cases with the same page, but a
new address costs a password hash (hundreds of milliseconds by design) and an existing one
only sends the "account already exists" email: ≈405 ms against ≈25 ms, so the response time
told anyone whether an address was registered here. Here the existing-address path creates
the account as a new address would — user (with its password hash), persona, email address,
roles — inside a savepoint under a throw-away address, and rolls it back: the same hash and
the same INSERTs, nothing left behind (after-commit callbacks of a rolled-back savepoint are
discarded). Both paths then enqueue exactly one email task (verification, or "account
already exists"). ``bench/benchmarks/account_timing`` measures the remaining difference.

Password reset: a known address enqueues the reset email and an unknown one allauth's
"unknown account" email (``ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS``); neither hashes. But the known
path also checks the address against the account, reads the account's addresses and its
public name and makes a reset token, where an unknown one only falls back to a second
account lookup (about 7.0 against 5.7 ms, 18 to 21 percent apart in the benchmark). An
unknown address now makes the same kind of lookups, for no account, and the same token, so
both answers run the same number of queries.

A separate module from ``community.accounts`` because allauth's forms module imports
``ACCOUNT_SIGNUP_FORM_CLASS`` from there while it loads.
"""

from __future__ import annotations

import secrets

from allauth.account.forms import ResetPasswordForm, SignupForm
from django.db import transaction


class _Rehearsed(Exception):
    """Raised to roll the rehearsal's savepoint back."""


class ConstantWorkSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            self._rehearse_new_account(request)
        return super().try_save(request)

    def _rehearse_new_account(self, request) -> None:
        """Do a new account's writes for a registered address, then undo them.

        The submitted address is taken, so the rehearsal uses an unused one of the same
        length; the display name and password are the submitted ones.
        """
        email = self.cleaned_data.get("email") or ""
        local, _, domain = email.rpartition("@")
        stand_in = f"{secrets.token_hex(max(len(local), 16))[: max(len(local), 16)]}@{domain}"
        try:
            with transaction.atomic():
                self.account_already_exists = False
                self.cleaned_data["email"] = stand_in
                try:
                    self.save(request)
                finally:
                    self.account_already_exists = True
                    self.cleaned_data["email"] = email
                raise _Rehearsed
        except _Rehearsed:
            pass


class ConstantWorkResetPasswordForm(ResetPasswordForm):
    def save(self, request, **kwargs) -> str:
        if not self.users:
            rehearse_reset_lookups(self.cleaned_data["email"])
        return super().save(request, **kwargs)


def rehearse_reset_lookups(email: str) -> None:
    """What a known address costs beyond an unknown one (which already makes one more
    account lookup), done for no account: the address check, the public name the email
    greets, and a reset token."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.tokens import default_token_generator

    from community.models import Persona, User

    EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
    list(Persona.objects.filter(account_id=0)[:1])
    default_token_generator.make_token(User(pk=0, email=email, password=""))

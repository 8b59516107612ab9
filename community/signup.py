"""Sign-up that does the same work whether or not the address already has an account.

With ``ACCOUNT_PREVENT_ENUMERATION`` allauth answers both cases with the same page, but a
new address costs a password hash (hundreds of milliseconds by design) and an existing one
only sends the "account already exists" email: ≈405 ms against ≈25 ms, so the response time
told anyone whether an address was registered here. Here the existing-address path hashes
the submitted password too (and throws the hash away); both paths then enqueue exactly one
email task (verification, or "account already exists"). ``bench/benchmarks/account_timing``
measures the remaining difference.

Password reset needs nothing here: a known address enqueues the reset email and an unknown
one allauth's "unknown account" email (``ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS``), neither hashes.

A separate module from ``community.accounts`` because allauth's forms module imports
``ACCOUNT_SIGNUP_FORM_CLASS`` from there while it loads.
"""

from __future__ import annotations

from allauth.account.forms import SignupForm
from django.contrib.auth.hashers import make_password


class ConstantWorkSignupForm(SignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))  # the hash a new account costs
        return super().try_save(request)

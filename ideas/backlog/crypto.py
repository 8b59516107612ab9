"""Tracker webhook secrets encrypted at rest with keys from the environment.

``settings.WEBHOOK_SECRET_KEYS`` is a list of Fernet keys: the first encrypts, every one
decrypts (``MultiFernet``), so a key can be rotated without downtime — add the new key in
front, run ``manage.py rotate_webhook_secrets``, then drop the old key (docs/operations.md).
A stolen database dump therefore holds no usable signing secret; the key never sits in it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class SecretKeyError(ImproperlyConfigured):
    """No configured key opens a stored secret, or no key is configured at all."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise SecretKeyError(
            "WEBHOOK_SECRET_KEYS is empty: webhook secrets cannot be encrypted or read."
        )
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(getattr(settings, "WEBHOOK_SECRET_KEYS", None) or ()))


def encrypt(plain: str) -> str:
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretKeyError(
            "A stored webhook secret cannot be decrypted: none of WEBHOOK_SECRET_KEYS opens it "
            "(was the key that encrypted it removed before rotate_webhook_secrets ran?)."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt ``token`` with the first key (it must open with one of the keys)."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken:
        decrypt(token)  # raises the clear error
        raise


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code only ever sees the plain value.

    Lookups on it cannot match (every encryption differs); it is read and written whole.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(value)

"""Who a voter is and whether they may vote in a budget.

A person is reduced to a **key**: an HMAC (``settings.BUDGETING_REGISTER_KEY``) of the process
and the identifying fields the agency chose (``BudgetProcess.register_fields``), normalised so
``" ab 12 "`` and ``"AB12"`` agree. The register import, the website's self-verification and
the counter all compute the same key from the same fields, so the same resident becomes the
same ``Voter`` whichever way they arrive. Keys include the process, so two processes' keys
cannot be linked; the fields themselves are never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from ideas.budgeting.models import Budget, BudgetProcess, Voter


def normalise(value: str) -> str:
    """Case, accents, spaces and punctuation do not matter: ``"Ñu-12 a"`` → ``"NU12A"``."""
    decomposed = unicodedata.normalize("NFKD", str(value))
    return "".join(ch for ch in decomposed if ch.isalnum()).upper()


def _hmac(text: str) -> str:
    key = settings.BUDGETING_REGISTER_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def register_key(process: BudgetProcess, values: Mapping[str, str]) -> str:
    """The key of a resident from their identifying fields (every chosen field required)."""
    parts = [normalise(values.get(name, "")) for name in process.register_fields]
    return _hmac(f"register|{process.pk}|" + "|".join(parts))


def voter_key_for_register(key: str) -> str:
    return f"reg:{key}"


def voter_key_for_document(process: BudgetProcess, document: str) -> str:
    """A resident verified at a counter by an identity document (no register to match)."""
    return "doc:" + _hmac(f"document|{process.pk}|{normalise(document)}")


def voter_key_for_phone(process: BudgetProcess, number: str) -> str:
    return "phone:" + _hmac(f"phone|{process.pk}|{normalise(number)}")


def age_ok(process: BudgetProcess, birth_year: int | None, when: datetime | None = None) -> bool:
    """Old enough by the end of voting's year (a birth year is all the register keeps)."""
    if process.min_age is None:
        return True
    if birth_year is None:
        return False
    year = (when or process.voting_close).year
    return year - birth_year >= process.min_age


def why_not_eligible(voter: Voter, budget: Budget) -> str | None:
    """The reason ``voter`` may not vote in ``budget`` (None when they may)."""
    process = budget.process
    if voter.process_id != process.pk:
        return _("You are verified for a different budget process.")
    if not age_ok(process, voter.birth_year):
        return _("Only residents aged %(age)d or over may vote in this budget.") % {
            "age": process.min_age
        }
    if budget.district_id is not None and voter.district_id != budget.district_id:
        return _("Only residents of %(district)s may vote in this budget.") % {
            "district": budget.district
        }
    return None

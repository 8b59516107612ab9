"""Integrity checks: counters and books that must agree with the rows they summarise.

Apps register a check in ``AppConfig.ready()`` (``register("ledger", find_problems)``); a
check is a function returning a list of problems, one human-readable line each (empty when
all is well). ``manage.py verify_integrity`` runs them all and exits non-zero on any problem.
``community`` knows no app's models: the registry is how ideas, the exchange and later apps
attach their checks.
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], list[str]]
_checks: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    _checks[name] = check


def checks() -> dict[str, Check]:
    return dict(_checks)


def run() -> dict[str, list[str]]:
    """Problems per check, for every registered check (read-only)."""
    return {name: check() for name, check in _checks.items()}

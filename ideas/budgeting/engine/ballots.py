"""Ballot validation: is this set of choices a valid ballot under the budget's rules?

Every channel (web form, SMS ``VOTE 3 7 12``, counter, paper entry, API) calls
:func:`validate_ballot` before a ballot is stored, so a voter hears the same message naming
the same limit wherever they vote. Messages are translated with Django's ``gettext`` at call
time (the engine has no models and needs no app registry).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from .types import BallotKind, BallotRules


def _money(amount: int) -> str:
    return number_format(amount, decimal_pos=0, force_grouping=True)


def validate_ballot(
    rules: BallotRules, choices: Mapping[str, int], costs: Mapping[str, int]
) -> list[str]:
    """Return ``[]`` when ``choices`` is a valid ballot, else one message per broken limit.

    ``costs`` maps every project on this ballot to its cost; a choice outside it is refused.
    A ballot must choose at least one project (and at least ``rules.min_choices``). For
    cumulative ballots a project given 0 points is not chosen; for ranked ballots the ranks
    must be exactly 1..n for the n projects ranked.
    """
    errors: list[str] = []
    unknown = sorted(pid for pid in choices if pid not in costs)
    errors.extend(
        gettext("“%(project)s” is not a project on this ballot.") % {"project": pid}
        for pid in unknown
    )
    known = {pid: weight for pid, weight in choices.items() if pid in costs}

    if rules.kind == BallotKind.CUMULATIVE:
        if rules.points is None:
            raise ValueError("cumulative ballot rules need a number of points")
        if any(points < 0 for points in known.values()):
            errors.append(gettext("Points cannot be negative."))
        chosen = {pid: points for pid, points in known.items() if points > 0}
        given = sum(chosen.values())
        if given > rules.points:
            errors.append(
                ngettext(
                    "You gave %(given)s points but you have %(points)s point.",
                    "You gave %(given)s points but you have %(points)s points.",
                    rules.points,
                )
                % {"given": _money(given), "points": _money(rules.points)}
            )
    elif rules.kind == BallotKind.RANKED:
        chosen = dict(known)
        ranks = list(chosen.values())
        if len(set(ranks)) != len(ranks):
            errors.append(gettext("Each rank can be given to only one project."))
        elif sorted(ranks) != list(range(1, len(ranks) + 1)):
            errors.append(gettext("Ranks must run 1, 2, 3 … with no gaps, starting at 1."))
    else:
        chosen = dict(known)
        if any(weight != 1 for weight in chosen.values()):
            errors.append(gettext("Each project can be chosen only once."))

    count = len(chosen) + len(unknown)
    minimum = max(rules.min_choices, 1)
    if count < minimum:
        errors.append(
            ngettext(
                "Choose at least %(count)d project.",
                "Choose at least %(count)d projects.",
                minimum,
            )
            % {"count": minimum}
        )
    if rules.max_choices is not None and count > rules.max_choices:
        errors.append(
            ngettext(
                "Choose at most %(count)d project.",
                "Choose at most %(count)d projects.",
                rules.max_choices,
            )
            % {"count": rules.max_choices}
        )
    if rules.kind == BallotKind.KNAPSACK:
        total = sum(costs[pid] for pid in chosen)
        if total > rules.budget:
            errors.append(
                gettext("Your choices cost %(cost)s but the budget is %(budget)s.")
                % {"cost": _money(total), "budget": _money(rules.budget)}
            )
    return errors

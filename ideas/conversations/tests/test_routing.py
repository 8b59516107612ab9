"""Which statement comes next: fewest votes and most uncertain first, deterministic per person."""

from __future__ import annotations

from ideas.conversations.routing import Tally, order, priority


def test_a_statement_with_fewer_votes_comes_before_one_with_many():
    assert order(1, [(10, Tally(5, 5, 0)), (11, Tally(1, 1, 0))]) == [11, 10]


def test_among_equally_voted_statements_the_split_one_comes_first():
    split, settled = Tally(10, 10, 0), Tally(19, 1, 0)
    assert priority(split) > priority(settled)
    assert order(7, [(1, settled), (2, split)]) == [2, 1]


def test_settled_statements_stay_reachable():
    assert priority(Tally(500, 0, 0)) > 0


def test_passes_count_as_votes_for_newness():
    assert priority(Tally(0, 0, 20)) < priority(Tally(0, 0, 0))


def test_ties_break_the_same_way_every_time_for_one_person():
    candidates = [(pk, Tally()) for pk in range(1, 30)]
    assert order(42, candidates) == order(42, list(reversed(candidates)))


def test_ties_break_differently_for_different_people():
    candidates = [(pk, Tally()) for pk in range(1, 30)]
    firsts = {order(person, candidates)[0] for person in range(1, 20)}
    assert len(firsts) > 1, "everyone would walk the same order"

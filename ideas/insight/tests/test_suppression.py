from __future__ import annotations

from ideas.insight.suppression import suppress


def _show(values):
    return [c.display for c in suppress(values)]


def test_counts_from_one_to_four_are_never_shown_and_zero_is():
    assert _show([12, 4, 1, 9, 0]) == ["12", "fewer than 5", "fewer than 5", "9", "0"]


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    """Otherwise total - the others would give the hidden 3 away."""
    assert _show([10, 3, 7, 0]) == ["10", "fewer than 5", "not shown", "0"]


def test_five_or_more_is_shown():
    assert _show([5, 6]) == ["5", "6"]

"""Each stored fate becomes the sentence the results page shows (no database needed)."""

from __future__ import annotations

from django.test import override_settings
from django.utils import translation

from ideas.budgeting.explain import explain, money


def fate(reason: str, **extra):
    return {
        "selected": reason.startswith("won"),
        "score": 412,
        "reason": reason,
        "remaining_before": 40_000,
        "rank": 3,
        "paid_by": {},
    } | extra


def test_amounts_are_grouped_in_whole_units():
    with translation.override("en"):
        assert money(1_250_000) == "€1,250,000"
        assert money(None) == "—"


@override_settings(BUDGETING_CURRENCY="£")
def test_the_currency_symbol_is_a_setting():
    with translation.override("en"):
        assert money(90_000) == "£90,000"


def test_a_greedy_winner_says_how_many_votes_it_won_with():
    with translation.override("en"):
        e = explain(fate("won"), cost=30_000, rule="greedy", kind="approval")
    assert e.selected
    assert e.headline == "Won with 412 votes"
    assert "€30,000" in e.detail and "€40,000 was left" in e.detail


def test_a_skipped_project_names_its_cost_and_what_was_left():
    with translation.override("en"):
        e = explain(fate("skipped-no-longer-fits"), cost=90_000, rule="greedy", kind="approval")
    assert not e.selected
    assert e.headline == "Skipped: it costs €90,000 but only €40,000 was left"
    assert "412 votes" in e.detail


def test_greedy_stop_says_counting_stopped():
    with translation.override("en"):
        e = explain(fate("stopped"), cost=90_000, rule="greedy-stop", kind="approval")
    assert "stopped" in e.headline
    assert "€90,000" in e.detail and "€40,000" in e.detail


def test_an_equal_shares_winner_says_how_many_voters_paid_and_about_how_much():
    paid = {"0": 100.0, "1": 100.0, "2": 50.0, "3": 0}
    with translation.override("en"):
        e = explain(fate("won", paid_by=paid), cost=250, rule="equal-shares", kind="approval")
    assert e.payers == 3
    assert e.detail == "Paid for by 3 voters, about €83 each."


def test_an_equal_shares_completion_winner_says_shares_were_raised_and_counted_again():
    with translation.override("en"):
        e = explain(fate("won-completion"), cost=10_000, rule="equal-shares", kind="approval")
    assert e.selected and e.headline.startswith("Won in the completion round with 412 votes")
    assert "every voter's share was raised and the count run again" in e.detail


def test_an_equal_shares_loser_says_its_supporters_could_not_pay():
    with translation.override("en"):
        e = explain(fate("not-reached"), cost=10_000, rule="equal-shares", kind="approval")
    assert "could not pay" in e.headline


def test_a_project_dearer_than_the_budget_says_so():
    with translation.override("en"):
        e = explain(fate("too-expensive"), cost=2_000_000, rule="greedy", kind="approval")
    assert "more than the whole budget" in e.headline and "€2,000,000" in e.detail


def test_scores_use_the_ballot_kinds_word():
    with translation.override("en"):
        assert explain(fate("won", score=1), cost=1, rule="greedy", kind="approval").headline == (
            "Won with 1 vote"
        )
        assert "points" in explain(fate("won"), cost=1, rule="greedy", kind="cumulative").headline
        assert (
            "ranking points" in explain(fate("won"), cost=1, rule="greedy", kind="ranked").headline
        )


def _stored(result):
    """The fates as pb-core's ``results_compute`` stores them (JSON-ready)."""
    return {
        pid: {
            "selected": f.selected,
            "score": f.score,
            "reason": str(f.reason),
            "remaining_before": f.remaining_before,
            "rank": f.rank,
            "paid_by": {str(i): round(float(a), 2) for i, a in f.paid_by.items()},
        }
        for pid, f in result.fates.items()
    }


def test_the_engines_own_greedy_result_is_explained_in_words():
    from ideas.budgeting import engine

    projects = [engine.Project("1", 60), engine.Project("2", 50), engine.Project("3", 30)]
    ballots = [engine.Ballot({"1": 1, "2": 1})] * 3 + [engine.Ballot({"2": 1, "3": 1})] * 2
    result = engine.compute(engine.RuleName.GREEDY, projects, ballots, 100)
    fates = _stored(result)
    costs = {p.id: p.cost for p in projects}
    with translation.override("en"):
        said = {
            pid: explain(f, cost=costs[pid], rule="greedy", kind="approval")
            for pid, f in fates.items()
        }
    assert said["2"].headline == "Won with 5 votes"
    assert said["1"].headline == "Skipped: it costs €60 but only €50 was left"
    assert said["3"].selected


def test_the_engines_equal_shares_result_names_who_paid():
    from ideas.budgeting import engine

    projects = [engine.Project("1", 40), engine.Project("2", 40), engine.Project("3", 90)]
    ballots = [engine.Ballot({"1": 1})] * 2 + [engine.Ballot({"2": 1, "3": 1})] * 2
    result = engine.compute(engine.RuleName.EQUAL_SHARES, projects, ballots, 100)
    fates = _stored(result)
    with translation.override("en"):
        first = explain(fates["1"], cost=40, rule="equal-shares", kind="approval")
    assert first.selected
    assert first.detail == "Paid for by 2 voters, about €20 each."

"""Every reason the engine can give for not drawing a map has a sentence to show."""

from __future__ import annotations

import pytest

from ideas.opinion import engine
from ideas.opinion.messages import reason_message


@pytest.mark.parametrize("reason", engine.REASONS)
def test_every_reason_has_a_sentence(reason):
    assert reason_message(reason, min_votes=7).endswith(".")


def test_the_vote_threshold_is_in_the_sentence_with_the_right_plural():
    assert "7 statements" in reason_message(engine.REASON_FEW_PARTICIPANTS, min_votes=7)
    assert "1 statement or more" in reason_message(engine.REASON_FEW_PARTICIPANTS, min_votes=1)


def test_an_unknown_reason_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown reason"):
        reason_message("because")

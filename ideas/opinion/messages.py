"""What to tell people when there is no opinion map yet: one translated sentence per
``OpinionResult.reason`` code, shared by every page that shows a map (conversations, idea
boards, the insight dashboard) so the engine itself stays free of Django."""

from __future__ import annotations

from django.utils.translation import gettext, ngettext

from ideas.opinion import engine


def reason_message(reason: str, *, min_votes: int = engine.MIN_VOTES_CAP) -> str:
    """The sentence for a ``reason`` code (``min_votes``: the result's own threshold)."""
    if reason == engine.REASON_NO_VOTES:
        return gettext("No votes yet, so there is no opinion map.")
    if reason == engine.REASON_FEW_STATEMENTS:
        return gettext("An opinion map needs at least two statements with votes.")
    if reason == engine.REASON_FEW_PARTICIPANTS:
        return ngettext(
            "Not enough people have voted on %(count)d statement or more to draw an opinion "
            "map yet.",
            "Not enough people have voted on %(count)d statements or more to draw an opinion "
            "map yet.",
            min_votes,
        ) % {"count": min_votes}
    if reason == engine.REASON_NO_DIFFERENCES:
        return gettext("Everyone has voted alike so far: there are no opinion groups to show.")
    raise ValueError(f"unknown reason {reason!r}")

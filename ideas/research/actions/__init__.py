"""Writes of the research app: surveys answered, panel membership, recruitment."""

from ideas.research.actions.panel import panel_forget, panel_join, panel_withdraw
from ideas.research.actions.recruitment import (
    invitation_from_token,
    invitation_reply,
    invitation_url,
    recruitment_create,
    reminders_send,
)
from ideas.research.actions.surveys import survey_answer

__all__ = [
    "invitation_from_token",
    "invitation_reply",
    "invitation_url",
    "panel_forget",
    "panel_join",
    "panel_withdraw",
    "recruitment_create",
    "reminders_send",
    "survey_answer",
]

"""Service feedback by text: a follow-up text asks "how satisfied were you?" and the citizen
answers with one digit, 1 to 5 (registered with :mod:`community.sms.commands`).

Every bare digit (0-9) is claimed as a command word, so a 9 gets "1 to 5" rather than
"unknown challenge code"; with no follow-up waiting, the reply says so and
nothing is recorded.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from community.sms.commands import Command, register_command
from ideas.experience import services


def answer(command: Command) -> str:
    if command.rest:
        return _("Please reply with just one number from 1 to 5.")
    services.follow_up_answer(user=command.user, digit=command.keyword)
    return _("Thank you. Your answer helps us improve the service.")


def register() -> None:
    for digit in "0123456789":
        register_command(digit, answer)

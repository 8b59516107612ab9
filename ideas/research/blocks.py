"""The questions editors put in a survey (a StreamField of these blocks).

Every question has a ``key`` (short, unique in the survey: results and exports are keyed by
it), its text, whether it must be answered, and an optional condition: ask it only when an
earlier question (by key) was answered with a given option (for a scale, the number). The
survey page's ``clean()`` checks keys and conditions (:mod:`ideas.research.surveys`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class _Question(blocks.StructBlock):
    key = blocks.RegexBlock(
        regex=r"^[a-z0-9_]{1,20}$",
        label=_("key"),
        help_text=_("Short name used in results, e.g. q1 or wait_time (a-z, 0-9, _)."),
        error_messages={"invalid": _("Use up to 20 lower-case letters, digits or _.")},
    )
    text = blocks.CharBlock(label=_("question"), max_length=200)
    required = blocks.BooleanBlock(label=_("an answer is required"), required=False, default=True)
    only_if_question = blocks.CharBlock(
        label=_("ask only if question (key)"),
        required=False,
        max_length=20,
        help_text=_("Leave empty to always ask. The key of an earlier question."),
    )
    only_if_answer = blocks.CharBlock(
        label=_("was answered"),
        required=False,
        max_length=120,
        help_text=_("The option exactly as written (for a scale, the number)."),
    )


class ChoiceBlock(_Question):
    options = blocks.ListBlock(blocks.CharBlock(max_length=120), label=_("options"), min_num=2)

    class Meta:
        icon = "radio-full"
        label = _("Choice (one answer)")


class MultipleChoiceBlock(_Question):
    options = blocks.ListBlock(blocks.CharBlock(max_length=120), label=_("options"), min_num=2)

    class Meta:
        icon = "tick-inverse"
        label = _("Multiple choice")


class ScaleBlock(_Question):
    low = blocks.IntegerBlock(label=_("lowest"), default=1, min_value=0, max_value=9)
    high = blocks.IntegerBlock(label=_("highest"), default=5, min_value=1, max_value=10)
    low_label = blocks.CharBlock(label=_("lowest means"), required=False, max_length=40)
    high_label = blocks.CharBlock(label=_("highest means"), required=False, max_length=40)

    class Meta:
        icon = "order"
        label = _("Scale")


class FreeTextBlock(_Question):
    class Meta:
        icon = "pilcrow"
        label = _("Free text")


class QuestionsBlock(blocks.StreamBlock):
    choice = ChoiceBlock()
    multiple_choice = MultipleChoiceBlock()
    scale = ScaleBlock()
    free_text = FreeTextBlock()

"""StreamField blocks for service pages: steps, channels, links.

Every channel block shares ``details`` and ``hours`` so the page can show, for each way of
using a service, what to expect and when it is available. Templates render channels as
definition lists (cms/templates/cms/blocks/), never with inline styles.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul"]
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()\-]{4,30}$")


def _check_phone(value: str, field: str) -> None:
    if value and not PHONE_PATTERN.match(value.strip()):
        raise StructBlockValidationError(
            block_errors={
                field: ValidationError(
                    _("Enter a phone number using digits, spaces, brackets or a leading +.")
                )
            }
        )


class ChannelBlock(blocks.StructBlock):
    """Shared fields: what to expect on this channel and when it is open."""

    details = blocks.TextBlock(
        label=_("Details"),
        required=False,
        help_text=_("What to have ready, what it costs, how long it takes."),
    )
    hours = blocks.CharBlock(
        label=_("Opening hours"),
        required=False,
        max_length=200,
        help_text=_("For example: Monday to Friday, 9am to 5pm."),
    )

    channel_label = ""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["channel_label"] = self.channel_label
        return context


class OnlineChannelBlock(ChannelBlock):
    url = blocks.URLBlock(label=_("Web address"))
    link_text = blocks.CharBlock(
        label=_("Link text"), max_length=120, help_text=_("For example: Apply online.")
    )

    channel_label = _("Online")

    class Meta:
        icon = "link"
        label = _("Online")
        template = "cms/blocks/channel_online.html"
        form_classname = "struct-block channel-block"


class PhoneChannelBlock(ChannelBlock):
    number = blocks.CharBlock(label=_("Phone number"), max_length=40)

    channel_label = _("Phone")

    def clean(self, value):
        value = super().clean(value)
        _check_phone(value.get("number"), "number")
        return value

    class Meta:
        icon = "mobile-alt"
        label = _("Phone")
        template = "cms/blocks/channel_phone.html"


class InPersonChannelBlock(ChannelBlock):
    place = blocks.CharBlock(label=_("Place"), max_length=120)
    address = blocks.TextBlock(label=_("Address"))
    access = blocks.CharBlock(
        label=_("Access"),
        required=False,
        max_length=200,
        help_text=_("Step-free access, hearing loop, parking, interpreters on request…"),
    )

    channel_label = _("In person")

    class Meta:
        icon = "home"
        label = _("In person")
        template = "cms/blocks/channel_in_person.html"


class TextMessageChannelBlock(ChannelBlock):
    number = blocks.CharBlock(label=_("Text to"), max_length=40)
    keyword = blocks.CharBlock(
        label=_("Keyword"),
        required=False,
        max_length=40,
        help_text=_("The word to start the message with, if any."),
    )

    channel_label = _("Text message (SMS)")

    def clean(self, value):
        value = super().clean(value)
        _check_phone(value.get("number"), "number")
        return value

    class Meta:
        icon = "mail"
        label = _("Text message (SMS)")
        template = "cms/blocks/channel_sms.html"


class IntermediaryChannelBlock(ChannelBlock):
    """Help from a voluntary group or other intermediary that supports people to use it."""

    organisation = blocks.CharBlock(label=_("Organisation"), max_length=120)
    contact = blocks.CharBlock(label=_("How to contact them"), required=False, max_length=200)
    url = blocks.URLBlock(label=_("Web address"), required=False)

    channel_label = _("Through an organisation that can help")

    class Meta:
        icon = "group"
        label = _("Through an intermediary")
        template = "cms/blocks/channel_intermediary.html"


NO_CHANNEL_MESSAGE = _(
    "Add at least one way to use this service (online, phone, in person, text message or "
    "through an intermediary) before publishing."
)


class ChannelsBlock(blocks.StreamBlock):
    """The ways to use a service. Required on publish; drafts may be saved without any."""

    online = OnlineChannelBlock()
    phone = PhoneChannelBlock()
    in_person = InPersonChannelBlock()
    sms = TextMessageChannelBlock()
    intermediary = IntermediaryChannelBlock()

    def clean(self, value):
        if len(value) == 0 and self.required and not self.is_deferred_validation:
            raise blocks.StreamBlockValidationError(
                non_block_errors=[ValidationError(NO_CHANNEL_MESSAGE, code="no_channels")]
            )
        return super().clean(value)

    class Meta:
        required = True


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Step"), max_length=160)
    detail = blocks.RichTextBlock(label=_("Detail"), required=False, features=RICH_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("Step")


class StepsBlock(blocks.StreamBlock):
    step = StepBlock()

    class Meta:
        required = False


class LinkBlock(blocks.StructBlock):
    """A titled link, e.g. to a backlog item on the roadmap ("what changed")."""

    title = blocks.CharBlock(label=_("Title"), max_length=160)
    url = blocks.URLBlock(label=_("Web address"))
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=300)

    class Meta:
        icon = "link"
        label = _("Link")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cms/blocks/quote.html"


class CampaignBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=["h2", "h3", *RICH_FEATURES])
    quote = QuoteBlock()

    class Meta:
        required = False

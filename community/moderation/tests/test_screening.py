from datetime import timedelta

import pytest

from community.moderation import screening
from community.moderation.screening import ScreenContext

NEW = timedelta(hours=1)


def test_links_from_a_new_account_are_held():
    assert screening.links_from_new_account(
        ScreenContext("see https://spam.shop/x", account_age=NEW)
    )


def test_links_from_an_established_account_pass():
    ctx = ScreenContext("see https://spam.shop/x", account_age=timedelta(days=3))
    assert screening.links_from_new_account(ctx) is None


def test_links_to_trusted_domains_pass_even_for_new_accounts():
    ctx = ScreenContext("see https://northvale.example/buses", account_age=NEW)
    assert screening.links_from_new_account(ctx) is None


def test_the_third_identical_text_in_the_window_is_held():
    assert screening.repeated_posting(ScreenContext("buy", recent_same_text=1)) is None
    assert screening.repeated_posting(ScreenContext("buy", recent_same_text=2))


def test_too_many_posts_in_the_window_are_held(settings):
    settings.MODERATION = {**settings.MODERATION, "REPEAT_MAX_POSTS": 5}
    assert screening.repeated_posting(ScreenContext("x", recent_posts=4)) is None
    assert screening.repeated_posting(ScreenContext("x", recent_posts=5))


def test_blocklisted_words_from_settings_are_held_as_whole_words(settings):
    settings.MODERATION = {**settings.MODERATION, "BLOCKLIST": ["scumbag"]}
    assert screening.blocklisted_words(ScreenContext("what a Scumbag!"))
    assert screening.blocklisted_words(ScreenContext("scumbaggery is a word?")) is None


@pytest.mark.parametrize(
    "text",
    [
        "mail me at jo.bloggs@mail.example",
        "call 0161 496 0018 after six",
        "ring +44 7700 900123",
        "my SSN is 078-05-1120",
        "NI number AB 12 34 56 C",
    ],
)
def test_obvious_personal_data_is_held(text):
    assert screening.personal_data(ScreenContext(text))


@pytest.mark.parametrize(
    "text",
    [
        "Buses every 15 minutes from 7 until 19 in 2025",
        "see https://northvale.example/page/1234567",
        "Route 42 and 101 should meet",
    ],
)
def test_ordinary_numbers_and_links_are_not_personal_data(text):
    assert screening.personal_data(ScreenContext(text)) is None


def test_private_messages_are_not_screened_for_personal_data():
    assert screening.personal_data(ScreenContext("call 0161 496 0018", private=True)) is None


def test_screen_returns_every_reason():
    ctx = ScreenContext("https://spam.shop call 0161 496 0018", account_age=NEW)
    assert len(screening.screen(ctx)) == 2

"""What the exchange reports into the privacy dashboard, and what account deletion erases."""

from __future__ import annotations

import json

import pytest

from community.exchange import actions
from community.exchange.models import Block, Message, SafetyAcknowledgement
from community.exchange.tests.conftest import agreed_exchange, make_post
from community.privacy import erasers, export_sections

pytestmark = pytest.mark.django_db


def _export(user) -> dict:
    return {s.key: s.export(user) for s in export_sections() if s.key.startswith("exchange")}


def test_export_holds_posts_messages_and_credit_movements(amara, joe):
    exchange = agreed_exchange(make_post(amara, title="Benefits form help"), joe, "1.5")
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    actions.person_block(user=joe.account, persona=amara)
    data = _export(joe.account)
    json.dumps(data)  # plain JSON types only
    assert data["exchange_posts"] == []
    assert {m["persona"] for m in data["exchange_messages"]} == {"Joe B."}
    assert [m["hours"] for m in data["exchange_credits"]] == ["-1.50"]
    assert {r["record"] for r in data["exchange_safety"]} == {"safety guidance read", "blocked"}
    assert [p["title"] for p in _export(amara.account)["exchange_posts"]] == ["Benefits form help"]


def test_erasure_removes_shared_contact_details_blocks_and_safety_records(amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi"
    )
    actions.contact_share(user=joe.account, exchange=exchange, details="07700 900123")
    actions.person_block(user=joe.account, persona=amara)
    for erase in erasers():
        erase(joe.account)
    contact = Message.objects.get(kind=Message.Kind.CONTACT)
    assert "07700" not in contact.body
    assert contact.author_user is None
    assert not Block.objects.filter(blocker=joe.account).exists()
    assert not SafetyAcknowledgement.objects.filter(user=joe.account).exists()

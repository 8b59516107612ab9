"""Service feedback: figures equal hand-computed ones, suppression, one answer a day, every
channel (web, counter, SMS digit), bad input changes nothing, themes, theme → challenge."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from community.models import Role
from community.sms.gateways import Inbound
from community.sms.models import TextMessage
from community.sms.services import inbound_handle
from community.sms.tests.factories import PhoneNumberFactory
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas.experience import selectors, services
from ideas.experience.models import BrandValueAnswer, Feedback, FollowUp, Theme
from ideas.experience.tests.factories import service_page

pytestmark = pytest.mark.django_db


def _answer(page, n, *, channel="web", satisfaction=4, got=True, values=None, comment=""):
    return services.feedback_submit(
        service_page_id=page.pk,
        channel=channel,
        satisfaction=satisfaction,
        got_what_needed=None if channel == "sms" else got,
        brand_values=values or {},
        comment=comment,
        respondent=f"person-{page.pk}-{channel}-{n}",
    )


def _values(page):
    return {v.statement: v.pk for v in page.brand_values.all()}


def test_per_service_channel_and_brand_value_figures_equal_hand_computed_ones():
    agency = OrganisationFactory()
    page = service_page(agency)
    simple = _values(page)["Simple"]
    # Web: 6 answers, satisfaction 5,5,4,2,2,1; got what they needed 4 of 6; "Simple" kept 1 of 6.
    for i, (sat, got) in enumerate(
        [(5, True), (5, True), (4, True), (2, True), (2, False), (1, False)]
    ):
        _answer(page, i, satisfaction=sat, got=got, values={simple: i == 0})
    # Counter: 5 answers, satisfaction 3 each, all got what they needed; "Simple" kept by all.
    for i in range(5):
        _answer(page, i, channel="counter", satisfaction=3, values={simple: True})
    # SMS: 5 digits (no "got" question), 1,2,3,4,5.
    for i in range(5):
        _answer(page, i, channel="sms", satisfaction=i + 1)

    total, rows = selectors.per_service(agency)
    (row,) = rows
    figures = row["figures"]
    assert figures.n == 16 and figures.responses == "16"
    assert figures.satisfaction == round((19 + 15 + 15) / 16, 2)  # 3.06
    assert figures.got_share == round(100 * 9 / 11, 1)  # 81.8: SMS answers were not asked
    channels = {c["channel"]: c["figures"] for c in row["channels"]}
    assert (channels["web"].n, channels["web"].satisfaction) == (6, round(19 / 6, 2))
    assert channels["web"].got_share == round(100 * 4 / 6, 1)
    assert (channels["counter"].satisfaction, channels["counter"].got_share) == (3.0, 100.0)
    assert (channels["sms"].satisfaction, channels["sms"].got_share) == (3.0, None)
    values = {v["statement"]: v for v in row["brand_values"]}
    assert values["Simple"]["answers"].value == 11
    assert values["Simple"]["kept_share"] == round(100 * 6 / 11, 1)
    assert values["Quick"]["answers"].value == 0 and values["Quick"]["kept_share"] is None
    assert total.n == 16


def test_small_cells_are_suppressed_with_their_averages_and_a_second_cell_against_differencing():
    agency = OrganisationFactory()
    busy, quiet, middling = service_page(agency), service_page(agency), service_page(agency)
    for i in range(7):
        _answer(busy, i, satisfaction=5)
    for i in range(2):
        _answer(quiet, i, satisfaction=1, got=False)
    for i in range(5):
        _answer(middling, i, satisfaction=3)

    _total, rows = selectors.per_service(agency)
    by_id = {r["service"].id: r for r in rows}
    small = by_id[quiet.pk]["figures"]
    assert small.responses == "fewer than 5"
    assert (small.satisfaction, small.got_share, small.satisfaction_text) == (None, None, None)
    # The total (14) is shown, so the smallest other cell is hidden too.
    assert by_id[middling.pk]["figures"].responses == "not shown"
    assert by_id[middling.pk]["figures"].satisfaction is None
    assert by_id[busy.pk]["figures"].responses == "7"
    # The live stream carries only what the page shows.
    live = {r["id"]: r for r in selectors.live_rows(agency.pk)}
    assert live[quiet.pk] == {
        "id": quiet.pk,
        "responses": "fewer than 5",
        "satisfaction": None,
        "got_share": None,
    }
    # Two people on the counter channel of the busy service would be a small cell too.
    channel = {c["channel"]: c["figures"] for c in by_id[busy.pk]["channels"]}
    assert channel["counter"].responses == "0"


def test_one_answer_per_person_per_service_per_day_the_second_is_refused():
    page = service_page()
    _answer(page, 1, satisfaction=5)
    with pytest.raises(ValidationError, match="already told us about this service today"):
        _answer(page, 1, satisfaction=1)
    (only,) = Feedback.objects.all()
    assert only.satisfaction == 5
    # The database holds the rule too, whatever the caller.
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(
            service_page_id=page.pk,
            agency=only.agency,
            channel="web",
            satisfaction=2,
            respondent=only.respondent,
            day=only.day,
        )
    # Another service the same day is a different answer.
    _answer(service_page(), 1)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"satisfaction": 6}, "from 1 to 5"),
        ({"satisfaction": 0}, "from 1 to 5"),
        ({"satisfaction": "4"}, "from 1 to 5"),
        ({"got_what_needed": None}, "got what you needed"),
        ({"comment": "x" * 1001}, "too long: 1001 characters"),
        ({"brand_values": {999999: True}}, "this service's promises"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_bad_input_changes_nothing_and_says_why(change, message):
    page = service_page()
    kwargs = {
        "service_page_id": page.pk,
        "channel": "web",
        "satisfaction": 4,
        "got_what_needed": True,
        "respondent": "someone",
        **change,
    }
    with pytest.raises(ValidationError, match=message):
        services.feedback_submit(**kwargs)
    assert not Feedback.objects.exists() and not BrandValueAnswer.objects.exists()


def test_closed_or_unknown_services_take_no_feedback():
    closed = service_page(publish=False)
    for page_id in (closed.pk, 999999, "12"):
        with pytest.raises(ValidationError, match="not taking feedback"):
            services.feedback_submit(
                service_page_id=page_id,
                channel="web",
                satisfaction=4,
                got_what_needed=True,
                respondent="someone",
            )
    assert not Feedback.objects.exists()


def test_counter_staff_record_an_answer_and_citizens_cannot():
    agency = OrganisationFactory()
    page = service_page(agency)
    clerk = staff(Role.COUNTER_STAFF, agency)
    simple = _values(page)["Simple"]
    first = services.counter_record(
        staff=clerk,
        service_page_id=page.pk,
        satisfaction=2,
        got_what_needed=False,
        brand_values={simple: False},
    )
    second = services.counter_record(
        staff=clerk, service_page_id=page.pk, satisfaction=5, got_what_needed=True
    )
    # Two anonymous citizens at the counter are two answers.
    assert (first.channel, first.recorded_by, first.account) == ("counter", clerk, None)
    assert first.respondent != second.respondent
    assert first.answers.get().kept is False
    citizen = PersonaFactory().account
    with pytest.raises(PermissionDenied):
        services.counter_record(
            staff=citizen, service_page_id=page.pk, satisfaction=5, got_what_needed=True
        )
    with pytest.raises(PermissionDenied):  # counter staff of another agency
        services.counter_record(
            staff=staff(Role.COUNTER_STAFF, OrganisationFactory()),
            service_page_id=page.pk,
            satisfaction=5,
            got_what_needed=True,
        )
    assert Feedback.objects.count() == 2


def test_a_follow_up_text_is_answered_with_a_digit(sms):
    agency = OrganisationFactory()
    page = service_page(agency)
    clerk = staff(Role.COUNTER_STAFF, agency)
    citizen = PersonaFactory().account
    phone = PhoneNumberFactory(user=citizen)
    with pytest.raises(ValidationError, match="Tick the box"):
        services.follow_up_send(
            staff=clerk,
            service_page_id=page.pk,
            citizen_email=citizen.email,
            contact_channel="counter",
            consent_given=False,
            consent_method="in_person",
        )
    assert not FollowUp.objects.exists()
    services.follow_up_send(
        staff=clerk,
        service_page_id=page.pk,
        citizen_email=citizen.email,
        contact_channel="counter",
        consent_given=True,
        consent_method="in_person",
    )
    asked = TextMessage.objects.get(direction="out", user=citizen)
    assert page.title in asked.body and "Reply with one number" in asked.body

    inbound_handle(inbound=Inbound(provider_id="m1", sender=phone.number, body="9"))
    assert "one number from 1 to 5" in TextMessage.objects.filter(direction="out").latest("pk").body
    assert not Feedback.objects.exists()
    inbound_handle(inbound=Inbound(provider_id="m2", sender=phone.number, body="4"))
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.satisfaction, feedback.account) == ("sms", 4, citizen)
    assert FollowUp.objects.get().feedback == feedback
    assert "Thank you" in TextMessage.objects.filter(direction="out").latest("pk").body
    # Nothing is waiting any more: another digit records nothing.
    inbound_handle(inbound=Inbound(provider_id="m3", sender=phone.number, body="5"))
    assert "nothing to answer" in TextMessage.objects.filter(direction="out").latest("pk").body
    assert Feedback.objects.count() == 1


def test_comments_are_grouped_into_themes_in_english_and_spanish():
    page = service_page()
    planted = {
        "form": [
            "The form was far too long and confusing",
            "Confusing form, and too long",
            "Such a long confusing form!",
        ],
        "staff": ["Staff were friendly and helpful", "Very helpful, friendly staff"],
        "formulario": [
            "El formulario es largo y confuso",
            "Formulario muy confuso y largo",
        ],
        "alone": ["Parking outside was impossible"],
    }
    made = {}
    n = 0
    for group, texts in planted.items():
        for text in texts:
            n += 1
            made[text] = (group, _answer(page, n, comment=text))
    themes = {}
    for group, feedback in made.values():
        feedback.refresh_from_db()
        themes.setdefault(group, set()).add(feedback.theme_id)
    assert themes["alone"] == {None}
    for group in ("form", "staff", "formulario"):
        assert len(themes[group]) == 1 and None not in themes[group], group
    assert len({next(iter(themes[g])) for g in ("form", "staff", "formulario")}) == 3
    assert Theme.objects.count() == 3


def test_a_theme_becomes_a_challenge_on_its_service_linked_both_ways():
    agency = OrganisationFactory()
    page = service_page(agency)
    _answer(page, 1, comment="The form was far too long and confusing")
    _answer(page, 2, comment="Confusing form, and too long")
    theme = Theme.objects.get()
    with pytest.raises(PermissionDenied):
        services.theme_promote(user=staff(Role.MODERATOR, agency), theme=theme, question="How?")
    designer = staff(Role.SERVICE_DESIGNER, agency)
    challenge = services.theme_promote(
        user=designer, theme=theme, question="How might we make the form shorter?"
    )
    theme.refresh_from_db()
    assert theme.challenge == challenge and list(challenge.feedback_themes.all()) == [theme]
    assert list(challenge.service_pages.values_list("pk", flat=True)) == [page.pk]
    assert challenge.agency == agency and "2 comments" in challenge.background
    assert "confusing" not in challenge.background.lower()  # no citizen's words made public
    with pytest.raises(ValidationError, match="already become a challenge"):
        services.theme_promote(user=designer, theme=theme, question="Again?")


def test_a_held_comment_stays_out_of_themes_but_its_numbers_count():
    page = service_page()
    _answer(page, 1, comment="The form was far too long and confusing")
    held = _answer(page, 2, comment="Confusing long form, call me on 07700 900123")
    held.refresh_from_db()
    assert held.is_hidden and held.theme_id is None
    assert selectors.per_service(page.responsible_agency)[1][0]["figures"].n == 2

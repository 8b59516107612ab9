"""The research panel: joining with consent, balanced samples (tested on a planted panel),
membership hidden from designers, withdrawal before the next invite, signed replies that
make accepted invitees session participants, and reminders sent exactly once."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.actions import consent_set
from community.models import Consent, ConsentPurpose, Notification, Role
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory, staff
from ideas.codesign.models import Participant
from ideas.codesign.tests.factories import SessionFactory, designer
from ideas.research import actions, selectors
from ideas.research.models import Invitation, PanelMember, Recruitment
from ideas.research.sampling import allocate, stratified_sample
from ideas.research.tests.factories import panel_member

pytestmark = pytest.mark.django_db


def recruit(agency, user, wanted=6, balance_by="age_band", seed=1, **kwargs):
    session = kwargs.pop("session", None) or SessionFactory(agency=agency)
    return actions.recruitment_create(
        user=user,
        agency=agency,
        title="Test the new bus app",
        starts_at=timezone.now() + timedelta(days=5),
        wanted=wanted,
        balance_by=balance_by,
        session=session,
        rng=random.Random(seed),
    )


def test_joining_records_consent_time_text_version_and_the_chosen_segments():
    user = PersonaFactory().account
    with pytest.raises(ValidationError):
        actions.panel_join(user=user, consent=False)
    assert not PanelMember.objects.exists()
    member = actions.panel_join(user=user, consent=True, age_band="25_34", usage="phone")
    assert member.consent_version and member.consented_at and member.withdrawn_at is None
    assert (member.age_band, member.area, member.usage) == ("25_34", "", "phone")
    assert Consent.objects.get(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS).granted


def test_anonymous_people_cannot_join():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        actions.panel_join(user=AnonymousUser(), consent=True)


def test_allocation_is_equal_and_re_deals_the_places_a_small_stratum_cannot_fill():
    rng = random.Random(3)
    assert allocate({"a": 10, "b": 10, "c": 10}, 6, rng) == {"a": 2, "b": 2, "c": 2}
    assert allocate({"a": 1, "b": 10, "c": 10}, 9, rng) == {"a": 1, "b": 4, "c": 4}
    assert sum(allocate({"a": 2, "b": 3}, 10, rng).values()) == 5
    got = allocate({"a": 5, "b": 5, "c": 5}, 7, rng)
    assert sorted(got.values()) == [2, 2, 3]


def test_a_planted_panel_is_sampled_balanced_by_the_chosen_segment():
    agency = OrganisationFactory()
    user, _p = designer(agency)
    # 20 older people, 4 young, 6 middle-aged, 5 who did not share their age.
    for band, n in (("65_plus", 20), ("18_24", 4), ("35_49", 6), ("", 5)):
        for _ in range(n):
            panel_member(age_band=band)
    recruitment = recruit(agency, user, wanted=12)
    strata = Counter(recruitment.invitations.values_list("stratum", flat=True))
    assert strata == {"65_plus": 3, "18_24": 3, "35_49": 3, "": 3}
    people = Counter(
        PanelMember.objects.filter(user__research_invitations__recruitment=recruitment).values_list(
            "age_band", flat=True
        )
    )
    assert people == strata
    assert Notification.objects.filter(category="research").count() == 12


def test_sampling_never_invites_the_same_person_twice_to_one_request():
    pairs = [(i, "x" if i % 2 else "y") for i in range(40)]
    chosen = stratified_sample(pairs, 40, random.Random(5))
    assert len({uid for uid, _s in chosen}) == 40


def test_designer_pages_show_counts_and_accepted_replies_never_the_panel(client):
    agency = OrganisationFactory()
    user, _p = designer(agency)
    members = [panel_member(age_band="25_34", display_name=f"Panel person {i}") for i in range(8)]
    recruitment = recruit(agency, user, wanted=5)
    invited = list(recruitment.invitations.select_related("user"))
    actions.invitation_reply(invitation=invited[0], accept=True)
    actions.invitation_reply(invitation=invited[1], accept=False)
    client.force_login(user)
    page = client.get(f"/research/recruitment/{recruitment.pk}/").content.decode()
    accepted_name = invited[0].user.personas.get().display_name
    assert accepted_name in page
    others = [m.personas.get().display_name for m in members if m.pk != invited[0].user_id]
    assert not any(name in page for name in others)
    assert 'data-count="invited">5<' in page and 'data-count="accepted">1<' in page
    assert 'data-count="declined">1<' in page and 'data-count="waiting">3<' in page


@pytest.mark.parametrize("who", ["anonymous", "citizen", "editor", "designer_elsewhere"])
def test_non_designers_get_404_or_sign_in_for_recruitment_pages(client, who):
    agency = OrganisationFactory()
    user, _p = designer(agency)
    panel_member()
    recruitment = recruit(agency, user, wanted=1)
    people = {
        "citizen": PersonaFactory().account,
        "editor": staff(Role.EDITOR, agency),
        "designer_elsewhere": designer(OrganisationFactory())[0],
    }
    if who != "anonymous":
        client.force_login(people[who])
    for url in (
        f"/research/recruitment/{recruitment.pk}/",
        f"/research/recruitment/new/{agency.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 404)
        assert b"Panel person" not in response.content
    with pytest.raises(PermissionDenied):
        recruit(agency, people["editor"], wanted=1)


def test_withdrawn_consent_removes_a_person_from_the_next_sample_and_pending_invites():
    agency = OrganisationFactory()
    user, _p = designer(agency)
    leaving = panel_member(age_band="25_34")
    staying = panel_member(age_band="25_34")
    first = recruit(agency, user, wanted=2)
    assert set(first.invitations.values_list("user_id", flat=True)) == {leaving.pk, staying.pk}
    # Withdrawn on the privacy page (community's consent form), not on the panel page.
    consent_set(user=leaving, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=False)
    pending = Invitation.objects.get(recruitment=first, user=leaving)
    assert pending.status == Invitation.Status.CANCELLED
    with pytest.raises(ValidationError, match="left the research panel"):
        actions.invitation_reply(invitation=pending, accept=True)
    second = recruit(agency, user, wanted=2)
    assert list(second.invitations.values_list("user_id", flat=True)) == [staying.pk]
    member = PanelMember.objects.get(user=leaving)
    assert member.withdrawn_at is not None and member.age_band == ""


def test_leaving_from_the_panel_page_withdraws_the_consent(client):
    user = panel_member()
    client.force_login(user)
    assert client.post("/research/panel/leave/").status_code == 302
    assert not Consent.objects.get(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS).granted
    assert not selectors.in_panel(user)


def test_accepting_by_the_signed_link_joins_the_session_without_signing_in(client):
    agency = OrganisationFactory()
    user, _p = designer(agency)
    invitee = panel_member()
    recruitment = recruit(agency, user, wanted=1)
    invitation = recruitment.invitations.get()
    url = actions.invitation_url(invitation)
    assert client.get(url).status_code == 200
    assert client.post(url, {"reply": "accept"}).status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert Participant.objects.filter(session=recruitment.session, account=invitee).exists()
    again = client.post(url, {"reply": "decline"})
    assert again.status_code == 400 and b"already replied" in again.content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED


def test_a_tampered_invitation_link_is_not_found(client):
    assert client.get("/research/invitations/1:abc:def/").status_code == 404


def test_reminders_go_once_to_those_who_have_not_replied():
    agency = OrganisationFactory()
    user, _p = designer(agency)
    for _ in range(4):
        panel_member()
    recruitment = recruit(agency, user, wanted=4)
    invitations = list(recruitment.invitations.all())
    actions.invitation_reply(invitation=invitations[0], accept=True)
    actions.invitation_reply(invitation=invitations[1], accept=False)
    consent_set(
        user=invitations[2].user, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=False
    )
    assert actions.reminders_send() == 0  # too early
    later = timezone.now() + timedelta(days=3)
    assert actions.reminders_send(now=later) == 1
    assert actions.reminders_send(now=later + timedelta(hours=1)) == 0
    reminders = Notification.objects.filter(title__startswith="Reminder")
    assert list(reminders.values_list("recipient_id", flat=True)) == [invitations[3].user_id]


def test_no_reminder_once_the_session_has_started():
    agency = OrganisationFactory()
    user, _p = designer(agency)
    panel_member()
    recruitment = recruit(agency, user, wanted=1)
    assert actions.reminders_send(now=recruitment.starts_at + timedelta(minutes=1)) == 0


def test_recruitment_refuses_bad_requests_and_writes_nothing():
    agency = OrganisationFactory()
    user, _p = designer(agency)
    with pytest.raises(ValidationError) as exc:
        actions.recruitment_create(
            user=user,
            agency=agency,
            title="X",
            starts_at=timezone.now() - timedelta(hours=1),
            wanted=0,
            balance_by="shoe_size",
            session=SessionFactory(agency=OrganisationFactory()),
        )
    assert {"starts_at", "wanted", "balance_by", "session"} <= set(exc.value.error_dict)
    assert not Recruitment.objects.exists()


def test_the_export_holds_panel_invitations_and_answers_and_deletion_erases_them():
    from community.privacy import build_export
    from ideas.research.tests.factories import SurveyResponseFactory

    agency = OrganisationFactory()
    user, _p = designer(agency)
    member = panel_member(age_band="50_64")
    recruit(agency, user, wanted=1)
    response = SurveyResponseFactory(account=member, persona=member.personas.get())
    data = {k: v["items"] for k, v in build_export(member)["sections"].items()}
    assert data["research_panel"][0]["age_band"] == "50_64"
    assert len(data["research_invitations"]) == 1
    assert data["survey_answers"][0]["answers"]["why_not"] == "The form timed out"
    from community.actions import account_delete

    account_delete(user=member)
    assert not PanelMember.objects.filter(user=member).exists()
    assert not Invitation.objects.filter(user=member).exists()
    response.refresh_from_db()
    assert response.account is None and response.persona is None
    assert "why_not" not in response.answers and response.answers["got_it"] == "No"
    assert response.respondent == f"erased:{response.pk}"


def test_a_citizen_with_no_account_cannot_see_the_panel_page(client):
    assert client.get("/research/panel/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/research/panel/").status_code == 200


def test_the_scheduler_round_reminds_invitees_who_have_not_replied():
    from django.core.management import call_command

    agency = OrganisationFactory()
    user, _p = designer(agency)
    panel_member()
    recruitment = recruit(agency, user, wanted=1)
    invitation = recruitment.invitations.get()
    type(invitation).objects.filter(pk=invitation.pk).update(
        invited_at=timezone.now() - timedelta(days=3)
    )
    call_command("open_data_scheduler", "--once")
    invitation.refresh_from_db()
    assert invitation.reminded_at is not None
    assert Notification.objects.filter(
        recipient=invitation.user, title__startswith="Reminder"
    ).exists()

"""Account pages: personas, public persona pages, privacy dashboard, exports, deletion,
notifications and follows — and that no page reveals a second persona of an account."""

import csv
import io
import json

import pytest
from django.urls import reverse

from community import privacy, profiles
from community.actions import (
    account_access_record,
    consent_set,
    follow,
    notify,
    persona_create,
)
from community.models import AccountAccess, ConsentPurpose, Notification, Persona, Role, User
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen():
    user = UserFactory(email="amara@example.org", first_name="Amara", last_name="Okafor")
    persona_create(account=user, display_name="Amara O.", description="Lives by the river.")
    persona_create(account=user, display_name="Riverside parent")
    return user


@pytest.fixture
def contributions():
    """A stand-in for the ideas app: one contributions source, one export section."""

    def source(persona, limit):
        return [
            {"title": f"Idea by {persona.display_name}", "url": "/ideas/1/", "created_at": None}
        ][:limit]

    def export(user):
        return [
            {"persona": p.slug, "title": f'=HYPERLINK("x") idea of {p.display_name}'}
            for p in user.personas.filter(is_anonymised=False)
        ]

    profiles.register_contributions("test-ideas", "Ideas", source)
    privacy.register_export("test-ideas", "Ideas you posted", export, contributions=True)
    yield
    profiles.unregister_contributions("test-ideas")
    privacy._exports.pop("test-ideas", None)


def _persona(user, name):
    return Persona.objects.get(account=user, display_name=name)


# -- persona separation -----------------------------------------------------------------


def test_public_persona_page_never_reveals_the_accounts_other_persona(
    client, citizen, contributions
):
    page = client.get(_persona(citizen, "Amara O.").get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "Amara O." in html
    assert "Idea by Amara O." in html
    assert "Riverside parent" not in html
    assert _persona(citizen, "Riverside parent").slug not in html
    assert "amara@example.org" not in html and "Okafor" not in html


def test_persona_page_seen_by_another_signed_in_citizen_reveals_nothing_more(
    client, citizen, contributions
):
    client.force_login(UserFactory())
    html = client.get(_persona(citizen, "Riverside parent").get_absolute_url()).content.decode()
    assert "Riverside parent" in html
    assert "Amara O." not in html
    assert "Follow" in html


def test_follow_json_reply_names_no_persona(client, citizen):
    client.force_login(UserFactory())
    target = _persona(citizen, "Amara O.")
    response = client.post(
        reverse("community:follow"),
        {"target_type": "community.persona", "target_id": target.pk},
        HTTP_ACCEPT="application/json",
    )
    body = response.json()
    assert body == {"following": True, "followers": 1, "target": f"community.persona:{target.pk}"}
    assert "Riverside" not in response.content.decode()


def test_anonymised_persona_has_no_public_page(client):
    gone = PersonaFactory(is_anonymised=True, display_name="")
    assert client.get(reverse("community:persona_detail", args=[gone.slug])).status_code == 404


def test_persona_page_query_count_is_constant(client, citizen, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(_persona(citizen, "Amara O.").get_absolute_url())


# -- managing personas ------------------------------------------------------------------


def test_creating_a_persona_with_a_taken_name_shows_the_form_again_with_a_message(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("community:personas"), {"display_name": "AMARA O"})
    assert response.status_code == 400
    assert b"looks like it" in response.content
    assert citizen.personas.count() == 2


def test_html_in_a_persona_description_is_refused_with_a_message(client, citizen):
    client.force_login(citizen)
    persona = _persona(citizen, "Amara O.")
    response = client.post(
        reverse("community:persona_edit", args=[persona.slug]),
        {"display_name": "Amara O.", "description": "<img src=x onerror=alert(1)>"},
    )
    assert response.status_code == 400
    assert b"remove the HTML" in response.content
    persona.refresh_from_db()
    assert persona.description == "Lives by the river."


def test_oversized_description_is_refused_with_a_message(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("community:personas"), {"display_name": "Long talker", "description": "x" * 1200}
    )
    assert response.status_code == 400
    assert (
        "Keep “About this persona (optional)” to 1000 characters or fewer (you wrote 1200).".encode()
        in response.content
    )


def test_someone_elses_persona_cannot_be_edited(client, citizen):
    client.force_login(UserFactory())
    persona = _persona(citizen, "Amara O.")
    response = client.post(
        reverse("community:persona_edit", args=[persona.slug]), {"display_name": "Hijacked"}
    )
    assert response.status_code == 404


def test_making_a_persona_primary(client, citizen):
    client.force_login(citizen)
    parent = _persona(citizen, "Riverside parent")
    client.post(reverse("community:persona_make_primary", args=[parent.slug]))
    parent.refresh_from_db()
    assert parent.is_primary
    assert not _persona(citizen, "Amara O.").is_primary


# -- privacy dashboard, export, consents ------------------------------------------------


def test_privacy_dashboard_shows_holdings_per_persona_consents_and_staff_access(
    client, citizen, contributions
):
    transport = OrganisationFactory(name="Northvale Transport", slug="nt")
    moderator = staff(Role.MODERATOR, transport)
    account_access_record(
        staff=moderator, account=citizen, reason="Checked a report", organisation=transport
    )
    consent_set(user=citizen, purpose=ConsentPurpose.INSIGHT_STATISTICS, granted=True)
    client.force_login(citizen)
    html = client.get(reverse("community:privacy")).content.decode()
    assert "As Amara O." in html and "As Riverside parent" in html
    assert "Ideas you posted: 1" in html
    assert "Include me in insight statistics" in html and "Given on" in html
    assert "Moderator, Northvale Transport" in html and "Checked a report" in html
    assert moderator.email not in html


def test_json_export_contains_everything_held(client, citizen, contributions):
    notify(recipients=[citizen], category="account", title="Welcome")
    consent_set(user=citizen, purpose=ConsentPurpose.CONTACT_ABOUT_IDEAS, granted=True)
    client.force_login(citizen)
    response = client.get(reverse("community:export_json"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "amara@example.org"
    sections = data["sections"]
    assert {p["display_name"] for p in sections["personas"]["items"]} == {
        "Amara O.",
        "Riverside parent",
    }
    assert sections["email_addresses"]["items"][0]["email"] == "amara@example.org"
    assert sections["notifications"]["items"][0]["title"] == "Welcome"
    given = {c["purpose"]: c["given"] for c in sections["consents"]["items"]}
    assert given[ConsentPurpose.CONTACT_ABOUT_IDEAS] is True
    assert len(sections["test-ideas"]["items"]) == 2


def test_export_holds_only_the_requesters_data(client, citizen, contributions):
    other = UserFactory(email="other@example.org")
    persona_create(account=other, display_name="Someone Else")
    client.force_login(other)
    text = client.get(reverse("community:export_json")).content.decode()
    assert "Amara" not in text and "amara@example.org" not in text


def test_contributions_csv_lists_contributions_and_defuses_formulas(client, citizen, contributions):
    client.force_login(citizen)
    response = client.get(reverse("community:contributions_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert {r["section"] for r in rows} == {"test-ideas"}
    assert all(r["title"].startswith("'=") for r in rows)


def test_withdrawing_a_consent_through_the_form_records_when(client, citizen):
    client.force_login(citizen)
    client.post(
        reverse("community:consents_update"),
        {"purposes": [ConsentPurpose.INSIGHT_STATISTICS, ConsentPurpose.CONTACT_ABOUT_IDEAS]},
    )
    assert citizen.consents.filter(granted=True).count() == 2
    client.post(
        reverse("community:consents_update"), {"purposes": [ConsentPurpose.CONTACT_ABOUT_IDEAS]}
    )
    insight = citizen.consents.get(purpose=ConsentPurpose.INSIGHT_STATISTICS)
    assert not insight.granted and insight.withdrawn_at and insight.granted_at
    html = client.get(reverse("community:privacy")).content.decode()
    assert "Withdrawn on" in html


def test_unknown_consent_in_the_form_changes_nothing(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("community:consents_update"), {"purposes": ["sell_my_data"]})
    assert response.status_code == 302
    assert not citizen.consents.exists()


def test_privacy_pages_need_sign_in(client):
    for name in ("privacy", "export_json", "contributions_csv", "account_delete"):
        response = client.get(reverse(f"community:{name}"))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


# -- deletion ---------------------------------------------------------------------------


def test_deleting_the_account_needs_the_password_and_confirmation(client, citizen):
    client.force_login(citizen)
    response = client.post(
        reverse("community:account_delete"), {"password": "wrong", "confirm": "on"}
    )
    assert response.status_code == 400
    assert b"not your password" in response.content
    assert User.objects.get(pk=citizen.pk).is_active


def test_deleting_the_account_signs_out_and_leaves_former_participant(client, citizen):
    client.force_login(citizen)
    amara = _persona(citizen, "Amara O.")
    response = client.post(
        reverse("community:account_delete"),
        {"password": "correct-horse-battery", "confirm": "on"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    amara.refresh_from_db()
    assert amara.public_name == "Former participant"
    assert not User.objects.get(pk=citizen.pk).is_active


# -- notifications and follows ----------------------------------------------------------


def test_header_badge_shows_the_unread_count(client, citizen):
    notify(recipients=[citizen], category="account", title="One")
    notify(recipients=[citizen], category="account", title="Two")
    client.force_login(citizen)
    html = client.get(reverse("community:account")).content.decode()
    assert "data-badge-count>2<" in html
    assert 'data-live-path="/ws/notifications/"' in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(client, citizen):
    note = notify(recipients=[citizen], category="account", title="Look", url="/people/x/")[0]
    client.force_login(citizen)
    response = client.post(reverse("community:notification_open", args=[note.pk]))
    assert response["Location"] == "/people/x/"
    assert Notification.objects.get(pk=note.pk).read_at is not None


def test_someone_elses_notification_cannot_be_opened(client, citizen):
    note = notify(recipients=[citizen], category="account", title="Private")[0]
    client.force_login(UserFactory())
    assert client.post(reverse("community:notification_open", args=[note.pk])).status_code == 404


def test_notification_list_query_count_is_constant(client, citizen, django_assert_max_num_queries):
    for i in range(30):
        notify(recipients=[citizen], category="account", title=f"Note {i}")
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("community:notifications"))
    assert response.status_code == 200
    assert b"Note 29" in response.content


def test_email_preferences_form_saves_choices(client, citizen):
    client.force_login(citizen)
    client.post(reverse("community:notification_preferences"), {"email_categories": ["following"]})
    saved = dict(citizen.notification_preferences.values_list("category", "email"))
    assert saved["following"] is True
    assert saved["account"] is False
    assert {key for key, email in saved.items() if email} == {"following"}


def test_follow_and_unfollow_without_javascript(client, citizen):
    client.force_login(UserFactory())
    target = _persona(citizen, "Amara O.")
    data = {"target_type": "community.persona", "target_id": target.pk, "next": "/following/"}
    response = client.post(reverse("community:follow"), data)
    assert response.status_code == 302 and response["Location"] == "/following/"
    html = client.get(reverse("community:following")).content.decode()
    assert "Amara O." in html and "Riverside parent" not in html
    client.post(reverse("community:follow"), {**data, "action": "unfollow"})
    html = client.get(reverse("community:following")).content.decode()
    assert "You no longer follow Amara O." in html
    assert "You do not follow anything yet" in html


def test_following_an_unregistered_model_or_missing_object_gets_a_message(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("community:follow"), {"target_type": "community.user", "target_id": 1}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("community:follow"),
        {"target_type": "community.persona", "target_id": "abc"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400


def test_follow_redirect_ignores_offsite_next(client, citizen):
    client.force_login(UserFactory())
    target = _persona(citizen, "Amara O.")
    response = client.post(
        reverse("community:follow"),
        {
            "target_type": "community.persona",
            "target_id": target.pk,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == target.get_absolute_url()


def test_following_list_query_count_is_constant(client, django_assert_max_num_queries):
    user = UserFactory()
    for _ in range(10):
        follow(user=user, target=PersonaFactory())
    client.force_login(user)
    with django_assert_max_num_queries(8 + 10 * 3):
        client.get(reverse("community:following"))


def test_account_pages_render_for_a_signed_in_citizen(client, citizen):
    client.force_login(citizen)
    for name in (
        "account",
        "personas",
        "privacy",
        "account_delete",
        "notifications",
        "notification_preferences",
        "following",
    ):
        response = client.get(reverse(f"community:{name}"))
        html = response.content.decode()
        assert response.status_code == 200, name
        assert html.count("<h1") == 1, name
        assert "style=" not in html, name


def test_access_entries_are_read_only_in_the_admin(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/django-admin/community/accountaccess/add/").status_code == 403
    assert AccountAccess.objects.count() == 0


def test_the_account_page_links_each_public_servant_to_the_tools_of_their_roles(client):
    from community.models import Role
    from community.tests.factories import OrganisationFactory, UserFactory, staff

    agency = OrganisationFactory()
    moderator = staff(Role.MODERATOR, agency)
    client.force_login(moderator)
    page = client.get("/accounts/").content.decode()
    assert "Your work" in page and 'href="/moderation/"' in page
    assert 'href="/insight/"' in page and 'href="/backlog/"' in page
    assert "Co-design sessions you can run" not in page  # not a service designer
    designer = staff(Role.SERVICE_DESIGNER, agency)
    client.force_login(designer)
    page = client.get("/accounts/").content.decode()
    assert "Co-design sessions you can run" in page and 'href="/moderation/"' not in page
    client.force_login(UserFactory())
    assert "Your work" not in client.get("/accounts/").content.decode()

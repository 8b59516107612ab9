"""Persona, notification, consent, follow, access-log and deletion services."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from community import privacy
from community.actions import (
    account_access_record,
    account_delete,
    consent_set,
    follow,
    notification_preferences_set,
    notifications_mark_read,
    notify,
    persona_account_reveal,
    persona_create,
    persona_make_primary,
    persona_update,
    unfollow,
)
from community.models import (
    AccountAccess,
    Consent,
    ConsentPurpose,
    Follow,
    Membership,
    Notification,
    NotificationPreference,
    Persona,
    Role,
    User,
)
from community.names import name_key
from community.notifications import categories
from community.selectors import consenting_users, followers_of, has_consent
from community.tests.factories import (
    IntermediaryFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonaFactory,
    UserFactory,
    staff,
)

pytestmark = pytest.mark.django_db


# -- personas ---------------------------------------------------------------------------


def test_first_persona_is_primary_and_later_ones_are_not():
    user = UserFactory()
    first = persona_create(account=user, display_name="Amara O.")
    second = persona_create(account=user, display_name="Riverside parent")
    assert first.is_primary and not second.is_primary
    persona_make_primary(user=user, persona=second)
    first.refresh_from_db()
    assert not first.is_primary
    assert Persona.objects.get(pk=second.pk).is_primary


@pytest.mark.parametrize(
    "name",
    [
        "amara o",
        "AMARA  O",
        "Amara 0",
        "Ámara O.",
        "\uff21\uff4d\uff41\uff52\uff41 \uff2f",  # full-width
        "\u0410mara O.",  # Cyrillic A
        "Am\u0430r\u0430 \u039f.",  # Cyrillic a twice, Greek O
        "Arnara O.",  # "rn" passes for "m"
    ],
)
def test_a_name_that_looks_like_another_persona_is_refused(name):
    PersonaFactory(display_name="Amara O.")
    with pytest.raises(ValidationError) as exc:
        persona_create(account=UserFactory(), display_name=name)
    assert "looks like it" in exc.value.message_dict["display_name"][0]


@pytest.mark.parametrize(
    "name",
    [
        "Site Admin",
        "The Moderator",
        "Northvale Transport news",
        "St4ff",
        "Mayor Jo",
        "\u0410dmin",  # Cyrillic A
        "Adm\u0456n",  # Ukrainian i
        "\u039coderator",  # Greek M
        "\uff23\uff49\uff56\uff49\uff43 Commons",  # full-width
    ],
)
def test_a_name_that_impersonates_staff_or_an_agency_is_refused(name):
    OrganisationFactory(name="Northvale Transport", slug="northvale-transport")
    with pytest.raises(ValidationError) as exc:
        persona_create(account=UserFactory(), display_name=name)
    assert "mistaken" in exc.value.message_dict["display_name"][0]


@pytest.mark.parametrize("name", ["مريم الحسن", "王小明", "Ngũgĩ", "Σοφία Π.", "Ольга"])
def test_names_written_in_any_script_are_accepted(name):
    persona = persona_create(account=UserFactory(), display_name=name)
    assert persona.display_name == name
    assert persona.name_key


def test_names_in_other_scripts_still_collide_with_their_look_alikes():
    PersonaFactory(display_name="王小明")
    with pytest.raises(ValidationError):
        persona_create(account=UserFactory(), display_name="王 小 明")


def test_staff_may_name_a_persona_for_their_own_agency():
    transport = OrganisationFactory(name="Northvale Transport", slug="northvale-transport")
    moderator = staff(Role.MODERATOR, transport)
    persona = persona_create(
        account=moderator, display_name="Northvale Transport moderator", organisation=transport
    )
    assert persona.organisation == transport


def test_html_and_oversized_profile_text_get_clear_messages():
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        persona_create(account=user, display_name="Plain", description="<script>x</script>hi")
    assert "remove the HTML" in exc.value.message_dict["description"][0]
    with pytest.raises(ValidationError) as exc:
        persona_create(account=user, display_name="Plain", description="x" * 1001)
    assert "under 1000" in exc.value.message_dict["description"][0]
    with pytest.raises(ValidationError):
        persona_create(account=user, display_name="x" * 61)
    assert not Persona.objects.filter(account=user).exists()


def test_speaking_for_an_organisation_needs_membership():
    group = IntermediaryFactory()
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        persona_create(account=user, display_name="Helper", organisation=group)
    MembershipFactory(user=user, organisation=group)
    user = User.objects.get(pk=user.pk)  # roles are cached per request, like a new request
    assert persona_create(account=user, display_name="Helper", organisation=group).organisation


def test_only_the_owner_can_update_a_persona_and_renaming_checks_look_alikes():
    owner = UserFactory()
    persona = persona_create(account=owner, display_name="Green Thumb")
    PersonaFactory(display_name="Taken Name")
    with pytest.raises(PermissionDenied):
        persona_update(user=UserFactory(), persona=persona, display_name="Mine now")
    with pytest.raises(ValidationError):
        persona_update(user=owner, persona=persona, display_name="taken-name")
    persona_update(user=owner, persona=persona, display_name="Green Thumbs", description="Hi")
    persona.refresh_from_db()
    assert persona.display_name == "Green Thumbs"
    assert persona.name_key == name_key("green thumbs")


# -- notifications ----------------------------------------------------------------------


def test_notify_writes_once_per_recipient_skips_the_actor_and_mails_only_who_wants_it(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    actor, wants, quiet = UserFactory(), UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=quiet, category="account", email=False)
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(5),  # 3 + savepoint and release
    ):
        notes = notify(
            recipients=[actor, wants, wants, quiet],
            category="account",
            title="<b>Your idea</b> was accepted",
            url="/ideas/1/",
            exclude=actor,
        )
    assert sorted(n.recipient_id for n in notes) == sorted([wants.pk, quiet.pk])
    assert notes[0].title == "Your idea was accepted"
    assert [m.to for m in mail.outbox] == [[wants.email]]
    assert "/ideas/1/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=wants).emailed_at is not None
    assert Notification.objects.get(recipient=quiet).emailed_at is None


def test_notify_query_count_does_not_grow_with_recipients(django_assert_num_queries):
    people = [UserFactory() for _ in range(12)]
    with django_assert_num_queries(5):  # 3 + savepoint and release
        notify(recipients=people, category="following", title="Something changed")


def test_notify_drops_offsite_links():
    note = notify(recipients=[UserFactory()], category="account", title="t", url="//evil.example")[
        0
    ]
    assert note.url == ""


def test_a_rolled_back_write_sends_no_notification_email(django_capture_on_commit_callbacks):
    from django.db import transaction

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipients=[user], category="account", title="Never")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_mark_read_counts_what_is_left():
    user = UserFactory()
    notes = notify(recipients=[user], category="account", title="One")
    notify(recipients=[user], category="account", title="Two")
    assert notifications_mark_read(user=user, notification_ids=[notes[0].pk]) == 1
    assert notifications_mark_read(user=user) == 0


def test_mark_read_cannot_touch_someone_elses_notifications():
    owner, other = UserFactory(), UserFactory()
    note = notify(recipients=[owner], category="account", title="Mine")[0]
    notifications_mark_read(user=other, notification_ids=[note.pk])
    note.refresh_from_db()
    assert note.read_at is None


def test_preferences_only_accept_known_categories():
    user = UserFactory()
    notification_preferences_set(user=user, email_categories=["following"])
    saved = dict(user.notification_preferences.values_list("category", "email"))
    assert set(saved) == {c.key for c in categories()}
    assert {key for key, email in saved.items() if email} == {"following"}
    with pytest.raises(ValidationError):
        notification_preferences_set(user=user, email_categories=["nonsense"])


# -- consents ---------------------------------------------------------------------------


def test_consent_given_then_withdrawn_keeps_both_times():
    user = UserFactory()
    given = consent_set(user=user, purpose=ConsentPurpose.INSIGHT_STATISTICS, granted=True)
    assert has_consent(user, ConsentPurpose.INSIGHT_STATISTICS)
    assert user in consenting_users(ConsentPurpose.INSIGHT_STATISTICS)
    withdrawn = consent_set(user=user, purpose=ConsentPurpose.INSIGHT_STATISTICS, granted=False)
    assert not has_consent(user, ConsentPurpose.INSIGHT_STATISTICS)
    assert user not in consenting_users(ConsentPurpose.INSIGHT_STATISTICS)
    assert withdrawn.granted_at == given.granted_at
    assert withdrawn.withdrawn_at >= given.granted_at
    assert Consent.objects.filter(user=user).count() == 1


def test_unknown_consent_is_refused():
    with pytest.raises(ValidationError):
        consent_set(user=UserFactory(), purpose="sell_my_data", granted=True)


# -- follows ----------------------------------------------------------------------------


def test_follow_is_idempotent_and_unfollow_removes_it():
    user = UserFactory()
    persona = PersonaFactory()
    follow(user=user, target=persona)
    follow(user=user, target=persona)
    assert list(followers_of(persona)) == [user]
    unfollow(user=user, target=persona)
    assert not followers_of(persona).exists()


def test_only_registered_models_can_be_followed():
    with pytest.raises(ValidationError):
        follow(user=UserFactory(), target=OrganisationFactory())


def test_you_cannot_follow_your_own_persona_or_an_anonymised_one():
    persona = PersonaFactory()
    with pytest.raises(ValidationError):
        follow(user=persona.account, target=persona)
    gone = PersonaFactory(is_anonymised=True)
    with pytest.raises(ValidationError):
        follow(user=UserFactory(), target=gone)


# -- staff access -----------------------------------------------------------------------


def test_moderator_sees_the_account_behind_a_persona_and_the_look_is_logged():
    transport = OrganisationFactory()
    moderator = staff(Role.MODERATOR, transport)
    persona = PersonaFactory()
    account = persona_account_reveal(
        staff=moderator, persona=persona, organisation=transport, reason="Report #12: spam"
    )
    assert account == persona.account
    entry = AccountAccess.objects.get(account=account)
    assert (entry.role, entry.organisation, entry.reason) == (
        Role.MODERATOR,
        transport,
        "Report #12: spam",
    )


def test_looking_needs_the_role_in_that_agency_and_a_reason():
    transport, housing = OrganisationFactory(), OrganisationFactory()
    moderator = staff(Role.MODERATOR, housing)
    persona = PersonaFactory()
    with pytest.raises(PermissionDenied):
        persona_account_reveal(staff=moderator, persona=persona, organisation=transport, reason="x")
    with pytest.raises(PermissionDenied):
        persona_account_reveal(
            staff=UserFactory(), persona=persona, organisation=transport, reason="x"
        )
    with pytest.raises(ValidationError):
        account_access_record(
            staff=moderator, account=persona.account, reason="  ", organisation=housing
        )
    assert not AccountAccess.objects.exists()


# -- deletion ---------------------------------------------------------------------------


@pytest.fixture
def erased():
    calls = []
    privacy.register_erasure("test", calls.append)
    yield calls
    privacy._erasers.pop("test", None)


def test_account_deletion_scrubs_personal_data_and_keeps_contributions_readable(erased):
    transport = OrganisationFactory()
    user = UserFactory(first_name="Amara", last_name="Okafor")
    MembershipFactory(user=user, organisation=transport, role=Role.MEMBER)
    persona = persona_create(account=user, display_name="Amara O.", description="Riverside")
    second = persona_create(account=user, display_name="Riverside parent")
    SocialAccount.objects.create(user=user, provider="govid", uid="42")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    consent_set(user=user, purpose=ConsentPurpose.CONTACT_ABOUT_IDEAS, granted=True)
    notify(recipients=[user], category="account", title="Hello")
    follower = UserFactory()
    follow(user=follower, target=persona)
    follow(user=user, target=PersonaFactory())
    neighbour = PersonaFactory(display_name="Neighbour")
    moderator = staff(Role.MODERATOR, transport)
    account_access_record(staff=moderator, account=user, reason="Report", organisation=transport)

    account_delete(user=user)

    user = User.objects.get(pk=user.pk)
    assert user.username == f"deleted-{user.pk}"
    assert (user.email, user.first_name, user.last_name) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not Consent.objects.filter(user=user).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Follow.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not user.groups.exists()
    assert erased == [user]
    for p in Persona.objects.filter(pk__in=[persona.pk, second.pk]):
        assert p.is_anonymised and p.display_name == "" and p.description == ""
        assert p.public_name == "Former participant"
        assert p.account_id == user.pk  # contributions keep their author row
    assert not followers_of(persona).exists()
    # Other people are untouched.
    neighbour.refresh_from_db()
    assert neighbour.display_name == "Neighbour" and not neighbour.is_anonymised
    assert User.objects.get(pk=follower.pk).is_active
    assert AccountAccess.objects.filter(account=user).count() == 1  # the audit trail stays


def test_deleted_account_cannot_sign_in(client):
    user = UserFactory(email="gone@example.org")
    account_delete(user=user)
    response = client.post(
        "/accounts/login/", {"login": "gone@example.org", "password": "correct-horse-battery"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_the_name_of_a_deleted_persona_becomes_free_again():
    user = UserFactory()
    persona_create(account=user, display_name="Amara O.")
    account_delete(user=user)
    assert persona_create(account=UserFactory(), display_name="Amara O.")


def test_nobody_else_can_delete_an_account():
    with pytest.raises(PermissionDenied):
        account_delete(user=UserFactory(), actor=UserFactory())


def test_a_failing_eraser_rolls_back_the_whole_deletion():
    def boom(user):
        raise RuntimeError("eraser failed")

    user = UserFactory()
    persona = persona_create(account=user, display_name="Careful")
    privacy.register_erasure("boom", boom)
    try:
        with pytest.raises(RuntimeError):
            account_delete(user=user)
    finally:
        privacy._erasers.pop("boom", None)
    user.refresh_from_db()
    persona.refresh_from_db()
    assert user.is_active and user.email
    assert persona.display_name == "Careful"

"""Sign-up, email verification, sign-in and password reset through allauth, in the site layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from community.models import Persona, User
from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-42"


def _sign_up(client, email="new@example.org", display_name="Riverside Reader", **extra):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": display_name,
            **extra,
        },
    )


def _link(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", message.body).group(0)


def test_sign_up_verify_then_sign_in_creates_a_verified_account_with_its_first_persona(client):
    response = _sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.org")
    persona = Persona.objects.get(account=user)
    assert persona.display_name == "Riverside Reader" and persona.is_primary
    assert user.groups.filter(name="Citizen").exists()
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0]).split("testserver", 1)[-1]
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm" in page.content
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    client.logout()
    signed_in = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    home = client.get(reverse("community:account"))
    assert home.status_code == 200
    assert b"Riverside Reader" in home.content


def test_unverified_address_cannot_sign_in_and_is_asked_to_check_email(client):
    _sign_up(client)
    client.logout()
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert b"Check your email" in page.content


def test_duplicate_email_creates_no_second_account_and_tells_the_owner_by_email(client):
    UserFactory(email="taken@example.org")
    response = _sign_up(client, email="Taken@example.org", display_name="Someone New")
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    assert not Persona.objects.filter(display_name="Someone New").exists()
    assert len(mail.outbox) == 1
    assert "already" in mail.outbox[0].body.lower()
    page = client.get(response["Location"])
    assert b"already has an account" in page.content


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Council Moderator", b"mistaken for a member of staff"),
        ("Adm1n Team", b"mistaken for a member of staff"),
        ("<b>Loud</b>", b"cannot contain HTML"),
        ("amara o", b"looks like it"),
        ("", "Fill in “Public name”: it cannot be empty.".encode()),
    ],
)
def test_sign_up_refuses_impersonating_or_html_names_with_a_clear_message(client, name, message):
    PersonaFactory(display_name="Amara O.")
    response = _sign_up(client, display_name=name)
    assert response.status_code == 200
    assert message in response.content
    assert not User.objects.filter(email="new@example.org").exists()


def test_invalid_or_expired_confirmation_link_explains_and_changes_nothing(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert b"expired or is invalid" in response.content


def test_reused_confirmation_link_explains_it_no_longer_works(client):
    _sign_up(client)
    link = _link(mail.outbox[0]).split("testserver", 1)[-1]
    client.post(link)
    client.logout()
    again = client.get(link)
    assert again.status_code == 200
    assert b"expired or is invalid" in again.content
    assert EmailAddress.objects.filter(email="new@example.org", verified=True).count() == 1


def test_password_reset_link_works_once(client):
    UserFactory(email="forgetful@example.org")
    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://testserver(/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body
    )
    path = link.group(1)
    page = client.get(path, follow=True)
    assert page.status_code == 200
    form_path = page.redirect_chain[-1][0] if page.redirect_chain else path
    changed = client.post(
        form_path,
        {"password1": "another-fine-passphrase-7", "password2": "another-fine-passphrase-7"},
    )
    assert changed.status_code == 302
    reused = client.get(path, follow=True)
    assert b"invalid" in reused.content.lower()


def test_unknown_address_for_password_reset_reveals_nothing_on_screen(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_sign_in_page_uses_the_site_layout_with_labelled_fields(client):
    response = client.get(reverse("account_login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in html
    assert html.count("<h1") == 1
    for field_id in re.findall(r'<input[^>]+type="(?:email|password|text)"[^>]*id="([^"]+)"', html):
        assert f'for="{field_id}"' in html
    assert "style=" not in html


def test_wrong_password_gets_a_message_not_an_error_page(client):
    UserFactory(email="someone@example.org")
    response = client.post(
        reverse("account_login"), {"login": "someone@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content or b"not correct" in response.content


def test_the_confirmation_email_greets_the_public_name_and_names_the_site(client):
    _sign_up(client, email="greeted@example.org", display_name="Harbour Walker")

    (message,) = mail.outbox
    user = User.objects.get(email="greeted@example.org")
    assert "Hello from" not in message.body
    assert user.username not in message.body
    assert message.body.startswith("Hello Harbour Walker,")
    assert "Civic Commons" in message.body
    assert message.subject == "[Civic Commons] Confirm your email address"
    assert "http://testserver/accounts/confirm-email/" in message.body


def test_the_password_reset_email_greets_the_public_name_not_the_username(client):
    persona = PersonaFactory(display_name="Old Town Baker")
    account = persona.account
    EmailAddress.objects.update_or_create(
        user=account, email=account.email, defaults={"verified": True, "primary": True}
    )

    client.post(reverse("account_reset_password"), {"email": account.email})

    (message,) = mail.outbox
    assert message.body.startswith("Hello Old Town Baker,")
    assert account.username not in message.body
    assert "/accounts/password/reset/key/" in message.body


class _Work:
    """Counts what a request does that takes time: password hashes and email tasks."""

    def __init__(self):
        self.hashes = 0
        self.emails = 0


@pytest.fixture
def work(monkeypatch):
    from django.contrib.auth.hashers import get_hasher
    from django.tasks.signals import task_enqueued

    seen = _Work()
    hasher = type(get_hasher())
    encode = hasher.encode

    def counting_encode(self, *args, **kwargs):
        seen.hashes += 1
        return encode(self, *args, **kwargs)

    def on_enqueued(sender, task_result, **kwargs):
        if task_result.task.name == "send_email":
            seen.emails += 1

    monkeypatch.setattr(hasher, "encode", counting_encode)
    task_enqueued.connect(on_enqueued, dispatch_uid="test-work")
    yield seen
    task_enqueued.disconnect(dispatch_uid="test-work")


def test_sign_up_does_the_same_work_for_a_registered_and_a_new_address(client, work):
    """Same response, same number of password hashes and email tasks: the time a sign-up
    takes does not tell whether an address has an account (bench: account_timing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserFactory(email="taken@example.org")
    users, personas = User.objects.count(), Persona.objects.count()
    work.hashes = work.emails = 0
    with CaptureQueriesContext(connection) as existing_queries:
        existing = _sign_up(client, email="taken@example.org", display_name="Someone Else")
    existing_work = (work.hashes, work.emails)
    # the rehearsal left nothing behind: no user, persona or email address for it
    assert (User.objects.count(), Persona.objects.count()) == (users, personas)
    assert not Persona.objects.filter(display_name="Someone Else").exists()
    client.cookies.clear()
    work.hashes = work.emails = 0
    with CaptureQueriesContext(connection) as new_queries:
        new = _sign_up(client, email="fresh@example.org", display_name="Fresh Face")
    new_work = (work.hashes, work.emails)
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"]
    assert existing_work == new_work == (1, 1)
    assert "already" in mail.outbox[0].body.lower()  # the owner learns someone tried

    def inserts(queries):
        found = (
            re.match(r'\s*INSERT (?:OR IGNORE )?INTO "?(\w+)', q["sql"], re.IGNORECASE)
            for q in queries.captured_queries
        )
        return sorted(m.group(1) for m in found if m)

    assert inserts(existing_queries) == inserts(new_queries)  # the same rows written


def test_password_reset_does_the_same_work_for_a_known_and_an_unknown_address(client, work):
    UserFactory(email="known@example.org")
    work.hashes = work.emails = 0
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    known_work = (work.hashes, work.emails)
    work.hashes = work.emails = 0
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    unknown_work = (work.hashes, work.emails)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert known_work == unknown_work == (0, 1)


def test_password_reset_runs_as_many_queries_for_an_unknown_address_as_for_a_known_one(client):
    """The lookups a known address costs (verified?, its addresses, its public name) are made
    for an unknown one too, so the answer takes as long (bench: account_timing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    UserFactory(email="known@example.org")
    url = reverse("account_reset_password")
    client.post(url, {"email": "known@example.org"})  # first time: allauth records the address
    with CaptureQueriesContext(connection) as known:
        client.post(url, {"email": "known@example.org"})
    with CaptureQueriesContext(connection) as unknown:
        client.post(url, {"email": "nobody@example.org"})
    assert len(known.captured_queries) == len(unknown.captured_queries)
    for captured in (known, unknown):
        assert any('FROM "community_persona"' in q["sql"] for q in captured.captured_queries)

"""Who may vote: the register import (bad lines reported, nothing half-imported, only keyed
hashes stored), verifying online and at a counter, and phones — one voter per person."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.sms.tests.factories import PhoneNumberFactory
from community.tests.factories import UserFactory
from ideas.budgeting import actions
from ideas.budgeting.models import Phase, ResidentRegisterEntry, VerifiedBy, Voter
from ideas.budgeting.tests.factories import (
    BudgetFactory,
    ProcessFactory,
    ProjectFactory,
    counter_staff,
    designer,
    set_phase,
)

pytestmark = pytest.mark.django_db

REGISTER = """document_number,postcode,birth_year,name
X1234567A,NV1 2AB,1980,Ana García
Y7654321B,NV3 9ZZ,2015,Ben Child
Z1111111C,nv1 2ab,1990,Carla Díaz
"""


@pytest.fixture
def process():
    process = ProcessFactory(min_age=16)
    actions.register_import(user=designer(process), process=process, text=REGISTER)
    return process


def test_the_register_stores_keyed_hashes_and_birth_years_never_the_fields(process):
    entries = list(ResidentRegisterEntry.objects.filter(process=process))
    assert len(entries) == 3
    stored = " ".join(f"{e.key} {e.birth_year}" for e in entries)
    for secret in ("X1234567A", "NV1", "García", "Ana"):
        assert secret.lower() not in stored.lower()
    assert all(len(e.key) == 64 for e in entries)


def test_a_register_with_bad_lines_names_each_line_and_imports_nothing():
    process = ProcessFactory(min_age=16)
    text = (
        "document_number,postcode,birth_year\n"
        "A1,NV1,1980\n"
        ",NV2,1981\n"  # line 3: empty document
        "B2,NV3,nineteen\n"  # line 4: not a year
        "C3,NV4,\n"  # line 5: birth year needed (minimum age)
        "A1,nv1,1980\n"  # line 6: same resident as line 2
    )
    with pytest.raises(ValidationError) as exc:
        actions.register_import(user=designer(process), process=process, text=text)
    messages = exc.value.messages
    assert [m.split(":")[0] for m in messages] == ["Line 3", "Line 4", "Line 5", "Line 6"]
    assert "document_number" in messages[0]
    assert "line 2" in messages[3]
    assert not ResidentRegisterEntry.objects.exists()


def test_a_register_without_a_chosen_column_is_refused_on_line_one():
    process = ProcessFactory()
    with pytest.raises(ValidationError, match=r"Line 1.*postcode"):
        actions.register_import(
            user=designer(process), process=process, text="document_number\nA1\n"
        )


def test_importing_again_replaces_the_register(process):
    result = actions.register_import(
        user=designer(process),
        process=process,
        text="document_number,postcode,birth_year\nQ9,NV9,1970\n",
    )
    assert (result.imported, result.replaced) == (1, 3)
    assert ResidentRegisterEntry.objects.filter(process=process).count() == 1


def test_only_the_agencys_designers_import_the_register(process):
    with pytest.raises(PermissionDenied):
        actions.register_import(user=counter_staff(process), process=process, text=REGISTER)


def test_a_resident_verifies_online_with_details_typed_differently(process):
    user = UserFactory()
    voter = actions.voter_verify_web(
        user=user, process=process, values={"document_number": " x1234567a", "postcode": "nv12ab"}
    )
    assert voter.user == user
    assert voter.verified_by == VerifiedBy.REGISTER
    assert voter.birth_year == 1980
    assert voter.key.startswith("reg:")


def test_details_not_in_the_register_are_refused_and_tries_are_limited(process):
    user = UserFactory()
    for _ in range(actions.voters.VERIFY_ATTEMPTS_PER_HOUR):
        with pytest.raises(ValidationError, match="could not find"):
            actions.voter_verify_web(
                user=user, process=process, values={"document_number": "nope", "postcode": "x"}
            )
    with pytest.raises(PermissionDenied, match="Too many"):
        actions.voter_verify_web(
            user=user,
            process=process,
            values={"document_number": "X1234567A", "postcode": "NV1 2AB"},
        )
    assert not Voter.objects.exists()


def test_a_resident_under_the_minimum_age_is_refused(process):
    with pytest.raises(ValidationError, match="16"):
        actions.voter_verify_web(
            user=UserFactory(),
            process=process,
            values={"document_number": "Y7654321B", "postcode": "NV3 9ZZ"},
        )
    assert not Voter.objects.exists()


def test_the_same_details_cannot_verify_a_second_account(process):
    values = {"document_number": "X1234567A", "postcode": "NV1 2AB"}
    actions.voter_verify_web(user=UserFactory(), process=process, values=values)
    with pytest.raises(ValidationError, match="another account"):
        actions.voter_verify_web(user=UserFactory(), process=process, values=values)
    assert Voter.objects.count() == 1


def test_counter_and_online_verification_of_one_resident_make_one_voter(process):
    values = {"document_number": "X1234567A", "postcode": "NV1 2AB"}
    at_counter = actions.voter_verify_counter(
        staff=counter_staff(process),
        process=process,
        consent_given=True,
        consent_method="in_person",
        values=values,
    )
    assert at_counter.user is None
    assert at_counter.consent_method == "in_person"
    assert at_counter.verified_by_staff is not None
    user = UserFactory()
    online = actions.voter_verify_web(user=user, process=process, values=values)
    assert online.pk == at_counter.pk
    assert online.user == user


def test_counter_verification_needs_consent_and_counter_staff(process):
    values = {"document_number": "X1234567A", "postcode": "NV1 2AB"}
    with pytest.raises(ValidationError):
        actions.voter_verify_counter(
            staff=counter_staff(process),
            process=process,
            consent_given=False,
            consent_method="in_person",
            values=values,
        )
    with pytest.raises(PermissionDenied):
        actions.voter_verify_counter(
            staff=UserFactory(),
            process=process,
            consent_given=True,
            consent_method="in_person",
            values=values,
        )
    assert not Voter.objects.exists()


def test_without_a_register_the_counter_verifies_by_document_and_birth_year():
    process = ProcessFactory(verify_by_register=False, register_fields=[], min_age=16)
    staff_member = counter_staff(process)
    citizen = UserFactory()
    voter = actions.voter_verify_counter(
        staff=staff_member,
        process=process,
        consent_given=True,
        consent_method="in_person",
        document="DNI 123",
        birth_year=1970,
        citizen=citizen,
    )
    assert voter.key.startswith("doc:") and "123" not in voter.key
    with pytest.raises(ValidationError, match="16"):
        actions.voter_verify_counter(
            staff=staff_member,
            process=process,
            consent_given=True,
            consent_method="in_person",
            document="DNI 999",
            birth_year=process.voting_close.year - 5,
        )


def test_verification_is_closed_once_voting_closes(process):
    set_phase(process, Phase.COUNTING)
    with pytest.raises(ValidationError, match="closes"):
        actions.voter_verify_web(
            user=UserFactory(),
            process=process,
            values={"document_number": "X1234567A", "postcode": "NV1 2AB"},
        )


def test_a_verified_phone_votes_when_the_process_accepts_phones():
    process = ProcessFactory(verify_by_phone=True)
    budget = BudgetFactory(process=process)
    ProjectFactory(budget=budget)
    phone = PhoneNumberFactory()
    ballot = actions.ballot_cast(budget=budget, choices=[1], user=phone.user, channel="sms")
    assert ballot.voter.verified_by == VerifiedBy.PHONE
    assert phone.number not in ballot.voter.key


def test_a_phone_alone_is_not_enough_when_the_process_has_a_minimum_age():
    process = ProcessFactory(verify_by_phone=True, min_age=16)
    budget = BudgetFactory(process=process)
    ProjectFactory(budget=budget)
    phone = PhoneNumberFactory()
    with pytest.raises(ValidationError, match="16"):
        actions.ballot_cast(budget=budget, choices=[1], user=phone.user, channel="sms")
    assert not Voter.objects.exists()


def test_a_phone_voter_who_later_proves_who_they_are_keeps_one_voter_and_ballot():
    process = ProcessFactory(verify_by_phone=True)
    actions.register_import(user=designer(process), process=process, text=REGISTER)
    budget = BudgetFactory(process=process)
    ProjectFactory(budget=budget)
    ProjectFactory(budget=budget)
    phone = PhoneNumberFactory()
    actions.ballot_cast(budget=budget, choices=[1], user=phone.user, channel="sms")
    voter = actions.voter_verify_web(
        user=phone.user,
        process=process,
        values={"document_number": "X1234567A", "postcode": "NV1 2AB"},
    )
    assert voter.key.startswith("reg:")
    assert Voter.objects.count() == 1
    actions.ballot_cast(budget=budget, choices=[2], user=phone.user)
    assert voter.ballots.get().choices == {"2": 1}

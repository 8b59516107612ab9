"""Who may vote: importing the register and verifying residents (online, at a counter, by a
verified phone). Every path ends in one ``Voter`` per person and process (UNIQUE(process,
key) and UNIQUE(process, user)); see ``ideas.budgeting.eligibility`` for the keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.actions.assisted import assisted_consent_check
from community.models import User
from community.permissions import can_contribute
from community.places.models import District
from community.sms.models import PhoneNumber
from ideas.budgeting import eligibility, permissions
from ideas.budgeting.models import (
    BudgetProcess,
    Phase,
    ResidentRegisterEntry,
    VerifiedBy,
    Voter,
)
from ideas.budgeting.registers import parse_register

#: Wrong register details an account may type per process and hour (guessing someone's
#: details is the attack this slows down).
VERIFY_ATTEMPTS_PER_HOUR = 10
COUNTER_CONSENT_TEXT = "Check my details against the resident register and let me vote."


@dataclass(frozen=True)
class RegisterImport:
    imported: int
    replaced: int


def register_import(*, user: User, process: BudgetProcess, text: str) -> RegisterImport:
    """Replace ``process``'s resident register with the CSV ``text`` (see ``registers``).

    All or nothing: any bad line raises ``ValidationError`` listing every bad line by number
    (up to 50, then how many more) and nothing is imported. Only keys, birth years and
    districts are stored. Voters already verified stay verified.
    """
    if not permissions.can_manage_process(user, process):
        raise PermissionDenied(_("Only the agency's service designers manage this budget."))
    if not process.verify_by_register:
        raise ValidationError(_("This budget does not use a resident register."))
    if process.phase in (Phase.COUNTING, Phase.RESULTS):
        raise ValidationError(_("Voting has closed: the register can no longer change."))
    districts: dict[str, int] = {}
    for pk, slug, name in District.objects.values_list("pk", "slug", "name"):
        districts[eligibility.normalise(slug)] = pk
        districts[eligibility.normalise(name)] = pk
    parsed = parse_register(process, text, districts, timezone.now().year)
    if parsed.errors:
        messages = list(parsed.errors)
        if parsed.more_errors:
            messages.append(_("…and %(n)d more lines with problems.") % {"n": parsed.more_errors})
        raise ValidationError(messages)
    now = timezone.now()
    with transaction.atomic():
        replaced, _deleted = ResidentRegisterEntry.objects.filter(process=process).delete()
        ResidentRegisterEntry.objects.bulk_create(
            [
                ResidentRegisterEntry(
                    process=process,
                    key=row.key,
                    birth_year=row.birth_year,
                    district_id=row.district_id,
                    imported_at=now,
                )
                for row in parsed.rows
            ],
            batch_size=2000,
        )
    return RegisterImport(imported=len(parsed.rows), replaced=replaced)


def _verification_open(process: BudgetProcess) -> None:
    if process.phase not in (Phase.REVIEW, Phase.VOTING):
        raise ValidationError(
            _("Residents can be verified only from the technical review until voting closes.")
        )


def _check_age(process: BudgetProcess, birth_year: int | None) -> None:
    if not eligibility.age_ok(process, birth_year):
        raise ValidationError(
            _("Only residents aged %(age)d or over may vote in this budget.")
            % {"age": process.min_age}
        )


def _check_district(process: BudgetProcess, district_id: int | None) -> None:
    if process.district_id is not None and district_id != process.district_id:
        raise ValidationError(
            _("Only residents of %(district)s may vote in this budget.")
            % {"district": process.district}
        )


def _claim(
    *,
    process: BudgetProcess,
    key: str,
    user: User | None,
    defaults: dict[str, object],
) -> Voter:
    """The voter with ``key`` in ``process``, created or linked to ``user``; refused when the
    key or the account already belongs to someone else. Call inside a transaction."""
    mine = (
        Voter.objects.select_for_update().filter(process=process, user=user).first()
        if user is not None
        else None
    )
    theirs = Voter.objects.select_for_update().filter(process=process, key=key).first()
    if theirs is not None:
        if mine is not None and mine.pk != theirs.pk:
            raise ValidationError(
                _("Your account is already verified as a different resident in this budget.")
            )
        if user is not None and theirs.user_id not in (None, user.pk):
            raise ValidationError(
                _(
                    "These details were already used to verify another account. If that was "
                    "not you, ask at a service counter."
                )
            )
        if user is not None and theirs.user_id is None:
            theirs.user = user
            theirs.save(update_fields=["user"])
        return theirs
    if mine is not None:
        if not mine.key.startswith("phone:"):
            raise ValidationError(
                _("Your account is already verified as a different resident in this budget.")
            )
        # A phone-verified account proving who they are: the same voter, now with the
        # register's key, birth year and district (their ballots stay theirs).
        mine.key = key
        for name, value in defaults.items():
            setattr(mine, name, value)
        mine.save()
        return mine
    try:
        with transaction.atomic():
            return Voter.objects.create(process=process, key=key, user=user, **defaults)
    except IntegrityError:
        # Someone verified the same person (or account) at the same moment: theirs stands.
        raise ValidationError(
            _("This resident was verified a moment ago. Reload and try again.")
        ) from None


def voter_verify_web(*, user: User, process: BudgetProcess, values: Mapping[str, str]) -> Voter:
    """A signed-in resident proves who they are by typing the register fields.

    Matched by key only; wrong details are counted per account and process and refused after
    ``VERIFY_ATTEMPTS_PER_HOUR``. Returns the (new or existing) voter linked to ``user``.
    """
    if not can_contribute(user):
        raise PermissionDenied(_("Sign in to vote."))
    if not process.verify_by_register:
        raise ValidationError(_("This budget does not check residents online."))
    _verification_open(process)
    attempts_key = f"budgeting:verify:{process.pk}:{user.pk}"
    if (cache.get(attempts_key) or 0) >= VERIFY_ATTEMPTS_PER_HOUR:
        raise PermissionDenied(
            _("Too many tries. Wait an hour, or ask at a service counter to be verified.")
        )
    missing = [n for n in process.register_fields if not eligibility.normalise(values.get(n, ""))]
    if missing:
        raise ValidationError({name: _("Fill this in.") for name in missing})
    key = eligibility.register_key(process, values)
    entry = ResidentRegisterEntry.objects.filter(process=process, key=key).first()
    if entry is None:
        cache.add(attempts_key, 0, 3600)
        try:
            cache.incr(attempts_key)
        except ValueError:
            cache.set(attempts_key, 1, 3600)
        raise ValidationError(
            _(
                "We could not find these details in the resident register. Check them, or ask "
                "at a service counter."
            )
        )
    _check_age(process, entry.birth_year)
    _check_district(process, entry.district_id)
    with transaction.atomic():
        return _claim(
            process=process,
            key=eligibility.voter_key_for_register(key),
            user=user,
            defaults={
                "verified_by": VerifiedBy.REGISTER,
                "birth_year": entry.birth_year,
                "district_id": entry.district_id,
            },
        )


def voter_verify_counter(
    *,
    staff: User,
    process: BudgetProcess,
    consent_given: bool,
    consent_method: str,
    values: Mapping[str, str] | None = None,
    document: str = "",
    birth_year: int | None = None,
    district: District | None = None,
    citizen: User | None = None,
) -> Voter:
    """Counter staff verify a resident in person, with their consent recorded.

    With a register, staff type the register fields (``values``) and the register decides
    birth year and district. Without one, staff type the identity document's number
    (``document``; only its keyed hash is kept) and the birth year and district they saw.
    ``citizen``, when the resident has an account, links it so they can vote online or by text.
    """
    reason = permissions.why_not_verify_voter(staff, process)
    if reason:
        raise PermissionDenied(reason)
    assisted_consent_check(consent_given=consent_given, consent_method=consent_method)
    if process.verify_by_register:
        values = values or {}
        missing = [
            n for n in process.register_fields if not eligibility.normalise(values.get(n, ""))
        ]
        if missing:
            raise ValidationError({name: _("Fill this in.") for name in missing})
        register = eligibility.register_key(process, values)
        entry = ResidentRegisterEntry.objects.filter(process=process, key=register).first()
        if entry is None:
            raise ValidationError(
                _("These details are not in the resident register: this person cannot vote here.")
            )
        key = eligibility.voter_key_for_register(register)
        birth_year, district_id = entry.birth_year, entry.district_id
    else:
        if not eligibility.normalise(document):
            raise ValidationError({"document": _("Type the identity document's number.")})
        key = eligibility.voter_key_for_document(process, document)
        district_id = district.pk if district is not None else None
    _check_age(process, birth_year)
    _check_district(process, district_id)
    with transaction.atomic():
        return _claim(
            process=process,
            key=key,
            user=citizen,
            defaults={
                "verified_by": VerifiedBy.COUNTER,
                "verified_by_staff": staff,
                "birth_year": birth_year,
                "district_id": district_id,
                "consent_method": consent_method,
                "consent_text": COUNTER_CONSENT_TEXT,
            },
        )


def voter_for_account(*, user: User, process: BudgetProcess) -> Voter:
    """The voter ``user`` votes as in ``process``: their verified record, else (when the
    process accepts verified phones) one keyed by their verified phone number. Raises
    ``PermissionDenied`` saying how to get verified otherwise."""
    if not can_contribute(user):
        raise PermissionDenied(_("Sign in to vote."))
    voter = Voter.objects.filter(process=process, user=user).select_related("district").first()
    if voter is not None:
        return voter
    phone = PhoneNumber.objects.filter(user=user, verified_at__isnull=False).first()
    if process.verify_by_phone and phone is not None:
        _check_age(process, None)
        _check_district(process, None)
        with transaction.atomic():
            return _claim(
                process=process,
                key=eligibility.voter_key_for_phone(process, phone.number),
                user=user,
                defaults={"verified_by": VerifiedBy.PHONE},
            )
    ways = []
    if process.verify_by_register:
        ways.append(_("confirm your details against the resident register on this site"))
    if process.verify_at_counter:
        ways.append(_("be verified at a service counter"))
    if process.verify_by_phone:
        ways.append(_("verify your mobile number in your account"))
    raise PermissionDenied(
        _("Before you vote, %(ways)s.") % {"ways": _(" or ").join(str(w) for w in ways)}
    )

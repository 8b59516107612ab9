"""Demo people for the fictional City of Northvale: agencies, one account per role, citizens.

Idempotent: every row is found by its natural key first, so seeding twice changes nothing.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType

from community.models import (
    AccountAccess,
    Consent,
    ConsentPurpose,
    Follow,
    Membership,
    Notification,
    NotificationPreference,
    Organisation,
    Persona,
    Role,
    User,
)
from community.roles import sync_role_groups

ORDER = 10  # seed_demo runs demo modules by ORDER: people, then pages (20), then ideas (30)

DEMO_PASSWORD = "northvale-demo"  # noqa: S105 - published demo sign-in

AGENCIES = [
    (
        "northvale-transport",
        "Northvale Transport",
        "Buses, trams, cycling lanes, school transport and the city's roads.",
        "transport@northvale.example",
        "0300 555 0101",
    ),
    (
        "housing-planning",
        "Housing and Planning",
        "Council homes, housing advice, planning applications and building consents.",
        "housing@northvale.example",
        "0300 555 0102",
    ),
    (
        "health-wellbeing",
        "Health and Wellbeing",
        "Community clinics, public health, adult social care and carers' support.",
        "health@northvale.example",
        "0300 555 0103",
    ),
    (
        "parks-environment",
        "Parks and Environment",
        "Parks, street trees, bins and recycling, air quality and flood defence.",
        "parks@northvale.example",
        "0300 555 0104",
    ),
    (
        "business-licensing",
        "Business and Licensing",
        "Business rates, licences for trading, food hygiene and support for new businesses.",
        "business@northvale.example",
        "0300 555 0105",
    ),
]

INTERMEDIARIES = [
    (
        "riverside-neighbours",
        "Riverside Neighbours Association",
        "Volunteers helping neighbours in Riverside with forms, lifts and digital skills.",
    ),
    (
        "northvale-digital-buddies",
        "Northvale Digital Buddies",
        "A charity pairing people who are new to the internet with a patient helper.",
    ),
]

# email, first, last, [(organisation slug, role)], [persona names], is_superuser
PEOPLE = [
    ("citizen@northvale.example", "Amara", "Okafor", [], ["Amara O.", "Riverside parent"], False),
    ("sam@northvale.example", "Sam", "Whitfield", [], ["Sam W.", "Corner shop owner"], False),
    (
        "li@northvale.example",
        "Li",
        "Chen",
        [("riverside-neighbours", Role.MEMBER)],
        ["Li Chen"],
        False,
    ),
    ("joe@northvale.example", "Joe", "Barnes", [], ["Joe B."], False),
    ("priya@northvale.example", "Priya", "Nair", [], ["Priya N."], False),
    (
        "moderator@northvale.example",
        "Morgan",
        "Reyes",
        [("northvale-transport", Role.MODERATOR), ("housing-planning", Role.MODERATOR)],
        ["Morgan (Transport team)"],
        False,
    ),
    (
        "designer@northvale.example",
        "Dana",
        "Kowalski",
        [("northvale-transport", Role.SERVICE_DESIGNER)],
        ["Dana, service designer"],
        False,
    ),
    (
        "editor@northvale.example",
        "Eli",
        "Grant",
        [("health-wellbeing", Role.EDITOR)],
        ["Eli G."],
        False,
    ),
    (
        "agency-admin@northvale.example",
        "Ayesha",
        "Begum",
        [("northvale-transport", Role.AGENCY_ADMIN)],
        ["Ayesha, Northvale Transport"],
        False,
    ),
    (
        "counter@northvale.example",
        "Carmen",
        "Ruiz",
        [("housing-planning", Role.COUNTER_STAFF)],
        ["Carmen, City Hall desk"],
        False,
    ),
    ("rosa@northvale.example", "Rosa", "Martínez", [], ["Rosa M."], False),
    ("admin@northvale.example", "Platform", "Administrator", [], ["Platform team"], True),
]

# email → the language pages, emails and texts use for that person (others: the default)
LANGUAGE_OF = {"rosa@northvale.example": "es", "counter@northvale.example": "es"}

# email → consents given (the rest never asked), and categories emailed (others in-app only)
CONSENTS = {
    "citizen@northvale.example": [
        ConsentPurpose.CONTACT_ABOUT_IDEAS,
        ConsentPurpose.INSIGHT_STATISTICS,
    ],
    "sam@northvale.example": [ConsentPurpose.INSIGHT_STATISTICS],
    "li@northvale.example": [ConsentPurpose.RESEARCH_INVITATIONS],
}
EMAIL_PREFERENCES = {
    "citizen@northvale.example": {"account": True, "following": True},
    "sam@northvale.example": {"account": True, "following": False},
}
WELCOME = "Welcome to Northvale Commons"


def seed(context: dict) -> dict:
    agencies = {}
    for slug, name, description, email, phone in AGENCIES:
        agencies[slug], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Organisation.Kind.AGENCY,
                "description": description,
                "contact_email": email,
                "phone": phone,
            },
        )
    intermediaries = {}
    for slug, name, description in INTERMEDIARIES:
        intermediaries[slug], _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": Organisation.Kind.INTERMEDIARY,
                "description": description,
            },
        )
    organisations = {**agencies, **intermediaries}

    users = {}
    for email, first, last, roles, persona_names, superuser in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(username=email.split("@")[0], email=email, first_name=first, last_name=last)
            user.is_superuser = superuser
            user.is_staff = superuser or any(
                r in {Role.EDITOR, Role.AGENCY_ADMIN} for _, r in roles
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if email in LANGUAGE_OF and not user.language:
            user.language = LANGUAGE_OF[email]
            user.save(update_fields=["language"])
        for org_slug, role in roles:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[org_slug], role=role
            )
        sync_role_groups(user)
        for index, name in enumerate(persona_names):
            Persona.objects.get_or_create(
                display_name=name,
                defaults={
                    "account": user,
                    "slug": _slug(name),
                    "is_primary": index == 0,
                },
            )
        users[email] = user
    _seed_privacy(users, agencies)
    return {"agencies": agencies, "intermediaries": intermediaries, "users": users}


def _seed_privacy(users: dict[str, User], agencies: dict[str, Organisation]) -> None:
    """Consents, email preferences, a follow, a welcome notification and one staff look."""
    from django.utils import timezone

    now = timezone.now()
    for email, purposes in CONSENTS.items():
        for purpose in purposes:
            Consent.objects.get_or_create(
                user=users[email],
                purpose=purpose,
                defaults={"granted": True, "granted_at": now},
            )
    for email, choices in EMAIL_PREFERENCES.items():
        for category, wanted in choices.items():
            NotificationPreference.objects.get_or_create(
                user=users[email], category=category, defaults={"email": wanted}
            )
    for user in users.values():
        Notification.objects.get_or_create(
            recipient=user,
            category="account",
            title=WELCOME,
            defaults={
                "body": "Choose how you appear under Personas, and what you share under Privacy.",
                "url": "/accounts/",
                "emailed_at": now,  # demo data: never mail it
            },
        )
    # Sam follows the persona "Li Chen" (a different account).
    li = Persona.objects.filter(display_name="Li Chen").first()
    if li is not None:
        Follow.objects.get_or_create(
            user=users["sam@northvale.example"],
            content_type=ContentType.objects.get_for_model(Persona),
            object_id=li.pk,
        )
    AccountAccess.objects.get_or_create(
        account=users["citizen@northvale.example"],
        role=Role.MODERATOR,
        organisation=agencies["northvale-transport"],
        defaults={
            "staff": users["moderator@northvale.example"],
            "reason": "Checked a report about a comment on the bus timetable challenge.",
        },
    )


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:60]


def sign_ins() -> list[tuple[str, str]]:
    """(role description, email) pairs printed by ``make run``."""
    return [
        ("citizen (two personas)", "citizen@northvale.example"),
        ("moderator (Transport, Housing)", "moderator@northvale.example"),
        ("service designer (Transport)", "designer@northvale.example"),
        ("editor (Health)", "editor@northvale.example"),
        ("agency admin (Transport)", "agency-admin@northvale.example"),
        ("service counter (Housing, Spanish)", "counter@northvale.example"),
        ("citizen who texts (Spanish)", "rosa@northvale.example"),
        ("platform administrator", "admin@northvale.example"),
    ]

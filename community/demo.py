"""Demo people for the fictional City of Northvale: agencies, one account per role, citizens.

Idempotent: every row is found by its natural key first, so seeding twice changes nothing.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from community.models import Membership, Organisation, Persona, Role, User

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
    ("admin@northvale.example", "Platform", "Administrator", [], ["Platform team"], True),
]

ROLE_GROUPS = {
    Role.EDITOR: "Editors",
    Role.AGENCY_ADMIN: "Moderators",
}


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
        for org_slug, role in roles:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[org_slug], role=role
            )
            group_name = ROLE_GROUPS.get(role)
            if group_name:
                group = Group.objects.filter(name=group_name).first()
                if group:
                    user.groups.add(group)
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
    return {"agencies": agencies, "intermediaries": intermediaries, "users": users}


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
        ("platform administrator", "admin@northvale.example"),
    ]

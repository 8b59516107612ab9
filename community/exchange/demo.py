"""Demo exchange for Northvale: two dozen offers and requests, completed exchanges with thanks.

Runs after the people (community, ORDER 10). Everything goes through the services, so the
ledger is balanced exactly as in real use; rows are found by natural keys first (post title +
persona, exchange post + responder), so seeding twice changes nothing.
"""

from __future__ import annotations

from community.exchange import actions
from community.exchange.models import Exchange, Post
from community.models import Persona
from community.selectors import primary_persona

ORDER = 15

CITIZEN = "citizen@northvale.example"
SAM = "sam@northvale.example"
LI = "li@northvale.example"
JOE = "joe@northvale.example"
PRIYA = "priya@northvale.example"

# (poster email, kind, title, description, category, area, mode, availability)
POSTS = [
    (
        CITIZEN,
        "offer",
        "I can help fill in a benefits form",
        "I used to volunteer at the advice centre. I can sit with you and go through Universal "
        "Credit, PIP or council tax reduction forms step by step.",
        "forms",
        "riverside",
        "either",
        "Weekday evenings",
    ),
    (
        JOE,
        "request",
        "Lift to the Riverside clinic on Tuesday",
        "My knee operation means I cannot drive for six weeks. Appointment at 10:30, about an "
        "hour there including the wait.",
        "lifts",
        "riverside",
        "in_person",
        "Tuesday morning",
    ),
    (
        PRIYA,
        "offer",
        "Basic phone skills for beginners",
        "Patient help with smartphones: messages, video calls with family, the NHS app and "
        "keeping safe from scam texts.",
        "digital",
        "old-town",
        "in_person",
        "Saturday mornings at the library",
    ),
    (
        SAM,
        "offer",
        "Help writing a CV or a cover letter",
        "I run a shop and have hired plenty of people. Happy to look over your CV and suggest "
        "improvements.",
        "skills",
        "old-town",
        "remote",
        "Evenings, by video or phone",
    ),
    (
        CITIZEN,
        "request",
        "Someone to read with my eight-year-old",
        "Half an hour of reading practice once a week would really help; I work late on Thursdays.",
        "families",
        "riverside",
        "in_person",
        "Thursdays after school",
    ),
    (
        JOE,
        "offer",
        "Small repairs: shelves, curtain rails, flat-pack",
        "Retired joiner with my own tools. Nothing electrical or gas, please.",
        "home",
        "northfield",
        "in_person",
        "Most weekdays",
    ),
    (
        PRIYA,
        "request",
        "Practise English conversation over coffee",
        "My mother has moved here from Kerala and would love to practise everyday English.",
        "languages",
        "old-town",
        "in_person",
        "Weekday afternoons",
    ),
    (
        SAM,
        "request",
        "Help setting up online banking",
        "Not confident with the bank's app; I need someone to sit with me while I set it up. "
        "(I will type my own passwords!)",
        "digital",
        "harbour",
        "in_person",
        "Mondays",
    ),
    (
        CITIZEN,
        "offer",
        "Weekly shop for a neighbour",
        "I do a big shop on Fridays and can pick up things for someone who cannot get out.",
        "errands",
        "riverside",
        "in_person",
        "Fridays",
    ),
    (
        JOE,
        "request",
        "Help with the garden before winter",
        "Leaves, a bit of pruning and moving some pots into the shed.",
        "home",
        "northfield",
        "in_person",
        "Any dry weekend",
    ),
    (
        PRIYA,
        "offer",
        "Tamil and Malayalam translation for letters",
        "I can help read and reply to official letters in Tamil or Malayalam.",
        "languages",
        "citywide",
        "remote",
        "Flexible",
    ),
    (
        SAM,
        "offer",
        "Friendly phone chat for someone on their own",
        "I enjoy a natter. A weekly call for anyone who would like some company.",
        "company",
        "citywide",
        "remote",
        "Weekday afternoons",
    ),
    (
        CITIZEN,
        "request",
        "Lift to the Northvale recycling centre",
        "I have an old armchair and some boxes; no car.",
        "lifts",
        "riverside",
        "in_person",
        "Any Saturday",
    ),
    (
        JOE,
        "offer",
        "Walking buddy for the riverside path",
        "I walk every morning and would welcome company, any pace.",
        "company",
        "riverside",
        "in_person",
        "Mornings around 9",
    ),
    (
        PRIYA,
        "request",
        "Help understanding a planning letter",
        "We got a letter about an extension next door and I do not understand the deadlines.",
        "forms",
        "old-town",
        "either",
        "This week",
    ),
    (
        SAM,
        "offer",
        "Basic bookkeeping help for a new small business",
        "Spreadsheets, receipts and getting ready for the tax return.",
        "skills",
        "harbour",
        "either",
        "Sunday afternoons",
    ),
    (
        CITIZEN,
        "offer",
        "Babysitting swap for parents",
        "Two evenings a month; happy to swap with another Riverside parent.",
        "families",
        "riverside",
        "in_person",
        "Evenings",
    ),
    (
        JOE,
        "request",
        "Video call set-up so I can see my grandchildren",
        "I have a tablet but cannot get video calls working.",
        "digital",
        "northfield",
        "in_person",
        "Any afternoon",
    ),
    (
        PRIYA,
        "offer",
        "Cooking lessons: simple healthy meals",
        "Learn five cheap, healthy dinners. I can come to you or we cook at the community kitchen.",
        "skills",
        "eastgate",
        "in_person",
        "Wednesday evenings",
    ),
    (
        SAM,
        "request",
        "Someone to collect a prescription on Thursdays",
        "I am at the shop all day Thursday and the pharmacy closes at 6.",
        "errands",
        "harbour",
        "in_person",
        "Thursdays before 6pm",
    ),
    (
        CITIZEN,
        "request",
        "Help choosing a secondary school",
        "Would love to talk to a parent who has been through the admissions process.",
        "families",
        "riverside",
        "either",
        "Weekends",
    ),
]

# Posted by Li for the Riverside Neighbours Association, on behalf of people without internet.
INTERMEDIARY_POSTS = [
    (
        "Mrs K., a Riverside neighbour",
        "request",
        "Lift to the Riverside clinic for Mrs K.",
        "Mrs K. is 84 and needs a lift and an arm to lean on to her eye appointment.",
        "lifts",
        "riverside",
        "in_person",
        "Wednesday 2pm",
    ),
    (
        "Mr T., a Riverside neighbour",
        "request",
        "Help reading letters from the council",
        "Mr T.'s eyesight is poor; he would like someone to read his post with him monthly.",
        "forms",
        "riverside",
        "in_person",
        "First Monday of the month",
    ),
    (
        "",
        "offer",
        "Digital drop-in: bring your phone or laptop",
        "Volunteers from Riverside Neighbours help with anything digital, every Tuesday at "
        "the community centre.",
        "digital",
        "riverside",
        "in_person",
        "Tuesdays 10am to 12pm",
    ),
]

# (post title, responder email, hours, thanks from owner, thanks from responder)
COMPLETED = [
    (
        "I can help fill in a benefits form",
        JOE,
        "2",
        "Joe was so easy to help and brought all his papers. Good luck!",
        "Amara made the form make sense. I would never have finished it alone.",
    ),
    (
        "Lift to the Riverside clinic on Tuesday",
        PRIYA,
        "1.5",
        "Priya waited with me the whole time. Thank you!",
        "Happy to help, Joe.",
    ),
    (
        "Basic phone skills for beginners",
        SAM,
        "1",
        "Sam is a quick learner!",
        "I can now video call my sister. Thank you Priya.",
    ),
    (
        "Lift to the Riverside clinic for Mrs K.",
        JOE,
        "1.5",
        "Mrs K. says thank you, and that Joe's driving was very smooth.",
        "Lovely to meet Mrs K. Glad to help the Riverside Neighbours.",
    ),
]

# (post title, responder email, hours) — agreed and in progress, not yet done.
IN_PROGRESS = [
    ("Help with the garden before winter", CITIZEN, "3"),
]


def _persona(user) -> Persona:
    persona = primary_persona(user)
    if persona is None:
        raise RuntimeError(f"demo user {user} has no persona")
    return persona


def _post(user, persona, spec, organisation=None, on_behalf_of="") -> Post:
    kind, title, description, category, area, mode, availability = spec
    existing = Post.objects.filter(title=title, persona=persona).first()
    if existing:
        return existing
    return actions.post_create(
        user=user,
        persona=persona,
        organisation=organisation,
        on_behalf_of=on_behalf_of,
        kind=kind,
        title=title,
        description=description,
        category=category,
        area=area,
        mode=mode,
        availability=availability,
    )


def _owner_user(post: Post, li_user):
    return li_user if post.organisation_id else post.persona.account


def _agree(post: Post, responder_user, hours: str, li_user) -> Exchange | None:
    responder = _persona(responder_user)
    if Exchange.objects.filter(post=post, responder=responder).exists():
        return None
    exchange = actions.exchange_respond(
        user=responder_user,
        post=post,
        persona=responder,
        message="Hello! I would be glad to help with this. When suits you?",
        safety_acknowledged=True,
    )
    owner = _owner_user(post, li_user)
    actions.message_send(
        user=owner, exchange=exchange, body="Thank you! Could we meet at the library first?"
    )
    actions.exchange_propose(user=responder_user, exchange=exchange, hours=hours)
    return actions.exchange_accept(user=owner, exchange=exchange)


def seed(context: dict) -> dict:
    users = context["users"]
    riverside = context["intermediaries"]["riverside-neighbours"]
    li_user = users[LI]
    posts: dict[str, Post] = {}
    for email, *spec in POSTS:
        user = users[email]
        post = _post(user, _persona(user), spec)
        posts[post.title] = post
    for behalf, *spec in INTERMEDIARY_POSTS:
        post = _post(li_user, _persona(li_user), spec, organisation=riverside, on_behalf_of=behalf)
        posts[post.title] = post

    for title, email, hours, owner_thanks, responder_thanks in COMPLETED:
        post = posts[title]
        exchange = _agree(post, users[email], hours, li_user)
        if exchange is None:
            continue
        owner = _owner_user(post, li_user)
        actions.exchange_confirm_done(user=users[email], exchange=exchange)
        exchange = actions.exchange_confirm_done(user=owner, exchange=exchange)
        actions.thanks_give(user=owner, exchange=exchange, body=owner_thanks)
        actions.thanks_give(user=users[email], exchange=exchange, body=responder_thanks)

    for title, email, hours in IN_PROGRESS:
        _agree(posts[title], users[email], hours, li_user)

    return {"exchange_posts": posts}

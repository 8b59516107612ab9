"""Demo idea boards for Northvale: open challenges across agencies with ideas, support,
comments and agency responses. Idempotent: rows are found by natural keys first, and counts
are recomputed from rows, so seeding twice changes nothing.
"""

from __future__ import annotations

import random
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from community import actions as community_actions
from community.models import Persona
from community.places import geometry
from community.places.actions import place_assign
from community.places.models import District
from ideas.models import Challenge, Comment, Idea, Status, StatusChange, Vote

ORDER = 30

CITIZENS = [
    "citizen@northvale.example",
    "sam@northvale.example",
    "li@northvale.example",
    "joe@northvale.example",
    "priya@northvale.example",
]

# (agency slug, question, cover text, background, tags, (opens, ideas close, closes) in days
#  from first seeding, service keywords, ideas). Each idea: (persona, title, body, tags,
#  days ago, [(persona, comment, [(persona, reply)])], (status, response) or None).
CHALLENGES = [
    (
        "northvale-transport",
        "How might we make the buses feel reliable even when the timetable slips?",
        "Late buses we can live with; not knowing is what hurts. Tell us what would help.",
        "Punctuality on Northvale's core routes is 81%. Roadworks on the ring road will last "
        "until next spring, so delays will not disappear soon. We want to hear how we could "
        "keep you informed and make waiting less of a gamble.\n\nIdeas will be reviewed by the "
        "Transport service design team in a co-design workshop.",
        ["buses", "real-time information"],
        (-18, 24, 60),
        ["bus", "transport", "travel"],
        [
            (
                "Amara O.",
                "Live arrival screens at the ten busiest stops",
                "The 14 and 22 stops on Market Street have no screen at all. A simple screen that "
                "shows the next three buses would stop people giving up and driving.",
                ["real-time information", "stops"],
                15,
                [
                    (
                        "Sam W.",
                        "Yes — and make them readable in sunlight, the one at the station isn't.",
                        [("Amara O.", "Good point, the station one is unreadable after 2pm.")],
                    ),
                    (
                        "Priya N.",
                        "Could they also announce the next bus out loud for people who can't see the screen?",
                        [],
                    ),
                ],
                (
                    "under_review",
                    "Thank you. We are costing screens for the ten busiest stops and will share the numbers at the next workshop.",
                ),
            ),
            (
                "Sam W.",
                "Text a stop code, get the next bus back",
                "Not everyone has a smartphone or data. Put a short code on every stop sign: text it "
                "and get the next arrivals by SMS, free.",
                ["sms", "accessibility"],
                12,
                [("Joe B.", "My mum would actually use this. She won't install apps.", [])],
                None,
            ),
            (
                "Joe B.",
                "Tell us when a bus is cancelled, not just late",
                "The app shows a cancelled bus as 'due' until it silently vanishes. Show cancellations "
                "clearly so we can make other plans.",
                ["real-time information"],
                9,
                [],
                None,
            ),
            (
                "Li Chen",
                "Shelters with seats on the hospital route",
                "The 31 serves the hospital; many riders are older or unwell and there is nowhere to "
                "sit at four of the stops.",
                ["stops", "accessibility"],
                7,
                [("Riverside parent", "Also somewhere dry for buggies please.", [])],
                None,
            ),
            (
                "Priya N.",
                "Publish a weekly punctuality league table per route",
                "Being open about which routes run late would build trust and show where the "
                "roadworks hurt most.",
                ["open data"],
                6,
                [],
                None,
            ),
            (
                "Riverside parent",
                "Hold the school bus for five minutes when the 22 is late",
                "Kids from Riverside connect from the 22 to the school bus. When the 22 is late they "
                "miss it and walk along the ring road.",
                ["school transport"],
                4,
                [("Li Chen", "This happened to my neighbour's son twice last week.", [])],
                None,
            ),
            (
                "Corner shop owner",
                "Let shops show the live times on a screen in the window",
                "I'd happily put a small screen in my window facing the stop if the council gave "
                "us a simple web page to show.",
                ["real-time information", "local business"],
                2,
                [],
                None,
            ),
            (
                "Joe B.",
                "Screens showing live bus times at busy stops",
                "Put screens with the live arrival times at the busiest bus stops, starting with "
                "Market Street.",
                ["real-time information"],
                1,
                [],
                None,
            ),
        ],
    ),
    (
        "housing-planning",
        "How might we cut the wait for a building consent?",
        "Home extensions wait eleven weeks on average for a decision. Help us find the delays.",
        "Most applications are for small home extensions and loft conversions. About a third "
        "are sent back at least once because something is missing, which restarts the clock.",
        ["planning", "building consent"],
        (-25, 20, 55),
        ["planning", "consent", "building", "housing"],
        [
            (
                "Sam W.",
                "A checklist that tells you what's missing before you submit",
                "Let me upload my drawings and answer a few questions, then tell me straight away "
                "if anything is missing, instead of three weeks later.",
                ["online forms"],
                20,
                [
                    (
                        "Priya N.",
                        "This alone would save weeks. Ours bounced twice for a missing site plan.",
                        [],
                    ),
                    (
                        "Amara O.",
                        "Please keep a paper route too, for people who can't scan drawings.",
                        [("Sam W.", "Agreed, the library could scan them for free.")],
                    ),
                ],
                (
                    "accepted",
                    "We agree. A pre-submission checker is now in our plan for next quarter; we will test early versions with people from this board.",
                ),
            ),
            (
                "Priya N.",
                "Show where my application is, like a parcel tracker",
                "Received, checked, with the officer, consultation, decision. Just show me the "
                "stage and the expected date.",
                ["transparency"],
                16,
                [],
                (
                    "in_backlog",
                    "Added to the Housing and Planning backlog. We will update this idea when work starts.",
                ),
            ),
            (
                "Li Chen",
                "Fast track for standard single-storey extensions",
                "Most rear extensions look alike. A fast track with pre-approved designs could "
                "decide these in two weeks.",
                ["fast track"],
                14,
                [],
                None,
            ),
            (
                "Joe B.",
                "Fifteen-minute video calls with a planning officer before you apply",
                "A short call would catch most problems early. Bookable online, evenings too.",
                ["advice"],
                10,
                [("Corner shop owner", "Evenings please, I can't leave the shop in the day.", [])],
                None,
            ),
            (
                "Amara O.",
                "Plain English decision letters",
                "Our letter quoted three policies and I still don't know what we have to change.",
                ["plain english"],
                8,
                [],
                None,
            ),
            (
                "Corner shop owner",
                "Let neighbours comment online instead of by post",
                "Consultation by letter adds weeks. An online comment form with a deadline would be "
                "quicker for everyone.",
                ["consultation", "online forms"],
                3,
                [],
                None,
            ),
        ],
    ),
    (
        "parks-environment",
        "How might we get more households recycling their food waste?",
        "Only one household in four uses the food caddy. What would make it easy?",
        "Food waste in black bins costs Northvale £1.2m a year in landfill tax. Flats and "
        "shared houses recycle the least.",
        ["recycling", "food waste"],
        (-10, 35, 70),
        ["bins", "recycling", "waste", "environment"],
        [
            (
                "Li Chen",
                "Communal food waste bins for blocks of flats",
                "We have nowhere to keep a caddy on a balcony. A locked communal bin by the main "
                "door would be used.",
                ["flats"],
                9,
                [
                    (
                        "Joe B.",
                        "Our block has one and it works well, though it needs emptying twice a week.",
                        [],
                    )
                ],
                None,
            ),
            (
                "Amara O.",
                "Free compostable liners delivered with the caddy",
                "The liners are the thing people stop buying. Deliver a roll every few months.",
                ["caddy"],
                8,
                [],
                None,
            ),
            (
                "Priya N.",
                "Show each street how much food waste it recycled",
                "A friendly monthly card through the door: 'Your street recycled 120 kg'. People "
                "like to beat the next street.",
                ["nudges"],
                6,
                [],
                None,
            ),
            (
                "Sam W.",
                "Food waste collection from small shops",
                "Small shops pay for trade waste and throw food in general waste because it's "
                "cheaper. A low-cost food collection would change that.",
                ["local business"],
                5,
                [],
                None,
            ),
            (
                "Riverside parent",
                "Teach it in primary schools with a class caddy",
                "My daughter made us start recycling after a school project. Kids nag better than "
                "leaflets.",
                ["schools"],
                3,
                [],
                None,
            ),
            (
                "Joe B.",
                "Collect food waste weekly even when bins are fortnightly",
                "Nobody wants a caddy sitting for two weeks in summer.",
                ["collections"],
                1,
                [],
                None,
            ),
        ],
    ),
    (
        "health-wellbeing",
        "How might we help unpaid carers find support before they reach crisis point?",
        "Most carers first contact us when things have already gone wrong.",
        "There are about 14,000 unpaid carers in Northvale; 2,100 are known to us. Support "
        "exists — breaks, training, money advice — but carers tell us they never heard of it.",
        ["carers", "social care"],
        (-12, 30, 65),
        ["carer", "health", "care"],
        [
            (
                "Priya N.",
                "Ask 'do you look after someone?' at every GP appointment",
                "GPs see carers all the time but don't ask. One question and a leaflet would reach "
                "thousands.",
                ["gp", "outreach"],
                11,
                [("Amara O.", "And pharmacies — carers collect prescriptions every week.", [])],
                None,
            ),
            (
                "Joe B.",
                "A carers' card that gets you recognised",
                "A card to show at the hospital or the pharmacy so staff know you're the carer and "
                "can talk to you.",
                ["recognition"],
                9,
                [],
                None,
            ),
            (
                "Amara O.",
                "One phone number for every kind of carer support",
                "I was passed between four teams. One number, one person who follows it up.",
                ["phone"],
                7,
                [],
                None,
            ),
            (
                "Li Chen",
                "Peer support in other languages",
                "Many carers in Riverside speak Cantonese or Polish first. Peer groups in their "
                "language would reach people leaflets don't.",
                ["languages", "peer support"],
                4,
                [],
                None,
            ),
            (
                "Sam W.",
                "Sitting service so carers can get to their own appointments",
                "I missed my own hospital appointment twice because nobody could sit with Dad.",
                ["breaks"],
                2,
                [],
                None,
            ),
        ],
    ),
    (
        "business-licensing",
        "How might we make it easier to start a market stall?",
        "Twelve forms and six weeks stand between a good idea and Saturday's market.",
        "We are now reviewing the ideas below with traders and will publish what changes.",
        ["markets", "licensing"],
        (-45, -3, 40),
        ["licen", "business", "market", "trading"],
        [
            (
                "Corner shop owner",
                "One form for the pitch, the food licence and the trading licence",
                "Make it one application with one payment, and let the council route it internally.",
                ["online forms"],
                40,
                [("Sam W.", "This. I filled the same address in nine times.", [])],
                (
                    "under_review",
                    "We are mapping which of the twelve forms can be combined; the first findings will be posted here.",
                ),
            ),
            (
                "Joe B.",
                "A try-out pitch for a single Saturday",
                "Let new traders rent a pitch for one day with a simple permit before committing "
                "to the full licence.",
                ["new traders"],
                35,
                [],
                None,
            ),
            (
                "Priya N.",
                "Publish free pitches online each week",
                "Show which pitches are free this weekend and let us book online.",
                ["open data"],
                30,
                [],
                None,
            ),
            (
                "Amara O.",
                "Mentoring from established traders",
                "Pair new stallholders with an experienced trader for their first month.",
                ["new traders"],
                20,
                [],
                None,
            ),
        ],
    ),
]

# More discussion, keyed by idea title: (persona, comment).
MORE_COMMENTS = {
    "Text a stop code, get the next bus back": [
        ("Li Chen", "Leeds did this years ago and it still works."),
        ("Corner shop owner", "Please make the code short enough to remember — four digits."),
    ],
    "Tell us when a bus is cancelled, not just late": [
        ("Amara O.", "The worst is waiting 20 minutes for a bus that was never coming."),
        ("Sam W.", "Even a red line through the time on the screen would do."),
    ],
    "Publish a weekly punctuality league table per route": [
        ("Joe B.", "As open data too, so people can build their own tools."),
    ],
    "Screens showing live bus times at busy stops": [
        ("Priya N.", "This looks like the same idea as the live arrival screens one."),
    ],
    "Show where my application is, like a parcel tracker": [
        ("Joe B.", "With a text when it moves stage, please."),
        ("Li Chen", "Knowing the expected date matters more than anything else."),
    ],
    "Fast track for standard single-storey extensions": [
        ("Amara O.", "Would the neighbours still get a say on the fast track?"),
    ],
    "Plain English decision letters": [
        ("Priya N.", "And tell us what to do next, not only what's wrong."),
    ],
    "Communal food waste bins for blocks of flats": [
        ("Riverside parent", "Ours would need a lid that foxes can't open."),
    ],
    "Show each street how much food waste it recycled": [
        ("Sam W.", "Friendly competition works — our street's litter pick proved it."),
        ("Li Chen", "Keep it positive though; no naming and shaming."),
    ],
    "Collect food waste weekly even when bins are fortnightly": [
        ("Amara O.", "Yes. The smell in August is the main reason we stopped."),
    ],
    "One phone number for every kind of carer support": [
        ("Joe B.", "Same experience. I gave up after the third transfer."),
        ("Priya N.", "Evenings matter — most carers work or care during the day."),
    ],
    "Sitting service so carers can get to their own appointments": [
        ("Li Chen", "Volunteers from our association would be glad to help with this."),
    ],
    "A try-out pitch for a single Saturday": [
        ("Corner shop owner", "That's how I started in another town. It made all the difference."),
    ],
    "Publish free pitches online each week": [
        ("Sam W.", "And let us swap pitches with each other online."),
    ],
}


def _personas(context: dict) -> dict[str, Persona]:
    users = context.get("users") or {}
    accounts = [users[e] for e in CITIZENS if e in users]
    return {p.display_name: p for p in Persona.objects.filter(account__in=accounts)}


def _service_pages(context: dict) -> list:
    pages = context.get("service_pages")
    if not pages:
        return []
    if isinstance(pages, dict):
        return list(pages.values())
    return list(pages)


_places_rng = random.Random(25)  # where demo ideas are: apart from the support patterns


def _place_demo_idea(idea: Idea, district: District) -> None:
    """A point near the district's middle, rounded like any citizen's (place_assign)."""
    lat, lng = district.centre
    for _attempt in range(5):
        candidate = (
            float(lat) + _places_rng.uniform(-0.004, 0.004),
            float(lng) + _places_rng.uniform(-0.006, 0.006),
        )
        if geometry.contains(district.boundary, *candidate):
            lat, lng = geometry.parse_point(*candidate)
            break
    place_assign(idea, latitude=lat, longitude=lng, precise=False)
    Idea.objects.filter(pk=idea.pk).update(
        latitude=idea.latitude, longitude=idea.longitude, district=idea.district
    )


def seed(context: dict) -> dict:
    agencies = context.get("agencies") or {}
    personas = _personas(context)
    if not agencies or not personas:
        return {}
    rng = random.Random(5)  # deterministic support patterns
    now = timezone.now()
    pages = _service_pages(context)
    challenges = []
    districts = list((context.get("districts") or {}).values())
    voters = [context["users"][e] for e in CITIZENS if e in context["users"]]
    for agency_slug, question, cover, background, tags, days, keywords, ideas in CHALLENGES:
        agency = agencies.get(agency_slug)
        if agency is None:
            continue
        opens, ideas_close, closes = (now + timedelta(days=d) for d in days)
        challenge, created = Challenge.objects.get_or_create(
            slug=slugify(question)[:200],
            defaults={
                "agency": agency,
                "question": question,
                "cover_text": cover,
                "background": background,
                "opens_at": opens,
                "ideas_close_at": ideas_close,
                "closes_at": closes,
            },
        )
        if created:
            challenge.tags.set(tags)
        if not challenge.sms_code:
            # People can text "<code> <idea>" (community.sms); codes come from the first tag.
            code = re.sub(r"[^A-Z0-9]", "", tags[0].upper())[:10] or "IDEA"
            taken = Challenge.objects.exclude(pk=challenge.pk).filter(sms_code__iexact=code)
            challenge.sms_code = f"{code}{challenge.pk}" if taken.exists() else code
            challenge.save(update_fields=["sms_code"])
        for page in pages:
            text = f"{getattr(page, 'slug', '')} {getattr(page, 'title', '')}".lower()
            if any(word in text for word in keywords):
                challenge.service_pages.add(page)
        challenges.append(challenge)
        for position, (
            persona_name,
            title,
            body,
            idea_tags,
            days_ago,
            comments,
            status,
        ) in enumerate(ideas):
            persona = personas.get(persona_name)
            if persona is None:
                continue
            idea, created = Idea.objects.get_or_create(
                challenge=challenge,
                title=title,
                defaults={
                    "persona": persona,
                    "body": body,
                    "created_at": now - timedelta(days=days_ago, hours=position),
                },
            )
            if created:
                idea.tags.set(idea_tags)
                community_actions.follow(user=persona.account, target=idea)
                # Earlier ideas gather more support; nobody supports their own idea.
                others = [u for u in voters if u.pk != persona.account_id]
                count = max(0, min(len(others), len(others) - position // 2 + rng.randint(-1, 1)))
                for supporter in rng.sample(others, count):
                    Vote.objects.get_or_create(
                        idea=idea,
                        account=supporter,
                        defaults={
                            "persona": supporter.personas.order_by("-is_primary").first(),
                            "created_at": idea.created_at
                            + timedelta(hours=rng.randint(1, 24 * max(1, days_ago))),
                        },
                    )
            more = [(name, text, []) for name, text in MORE_COMMENTS.get(title, [])]
            for offset, (author_name, text, replies) in enumerate(comments + more):
                author = personas.get(author_name)
                if author is None:
                    continue
                comment, _ = Comment.objects.get_or_create(
                    idea=idea,
                    persona=author,
                    body=text,
                    parent=None,
                    defaults={"created_at": idea.created_at + timedelta(hours=3 + offset * 5)},
                )
                for r_offset, (reply_name, reply_text) in enumerate(replies):
                    replier = personas.get(reply_name)
                    if replier is not None:
                        Comment.objects.get_or_create(
                            idea=idea,
                            persona=replier,
                            body=reply_text,
                            parent=comment,
                            defaults={
                                "created_at": comment.created_at + timedelta(hours=2 + r_offset)
                            },
                        )
            if status and not StatusChange.objects.filter(idea=idea).exists():
                to_status, response = status
                StatusChange.objects.create(
                    idea=idea,
                    from_status=Status.SUBMITTED,
                    to_status=to_status,
                    response=response,
                    agency=agency,
                    created_at=now - timedelta(days=max(0, days_ago - 3)),
                )
                Idea.objects.filter(pk=idea.pk).update(
                    status=to_status, status_changed_at=now - timedelta(days=max(0, days_ago - 3))
                )
            if idea.latitude is None and districts:
                _place_demo_idea(idea, districts[(len(challenges) + position) % len(districts)])
            # Counts from rows: exact however often this runs.
            Idea.objects.filter(pk=idea.pk).update(
                support_count=Vote.objects.filter(idea=idea).count(),
                comment_count=Comment.objects.filter(idea=idea).count(),
            )
    return {"challenges": challenges}

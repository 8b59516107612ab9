"""Demo pages for the City of Northvale: home, services, life events, brand values, news.

Idempotent: every page is found by its slug under its parent and every snippet by its natural
key before anything is created, so seeding twice changes nothing. Returns ``home``,
``service_index`` and ``service_pages`` (slug → ServicePage) so the ideas demo can attach
challenges to services.
"""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.db import transaction
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from cms.demo_es import es
from cms.models import (
    BrandValue,
    CampaignPage,
    HomePage,
    HomePageFeaturedService,
    LifeEvent,
    NewsIndexPage,
    NewsPage,
    ServiceIndexPage,
    ServicePage,
    ServicePageRelatedService,
    StandardPage,
)

ORDER = 20

HOME = {
    "title": "Northvale Commons",
    "slug": "home",
    "hero_title": "Make Northvale's services work for you",
    "hero_text": (
        "Find a council service, tell us how to improve it, back other people's ideas and "
        "join the workshops where services are redesigned — with the people who run them."
    ),
    "body": (
        "<p>Every service page is also a way in to improving that service. When an agency "
        "asks a question, you can post ideas and support the ones you like; designers take "
        "the best into live co-design sessions, and you hear back when anything changes.</p>"
    ),
}

HOME_ES = {
    "title": "Northvale Commons",
    "hero_title": "Haz que los servicios de Northvale funcionen para ti",
    "hero_text": (
        "Encuentra un servicio municipal, dinos cómo mejorarlo, apoya las ideas de otras "
        "personas y únete a los talleres donde se rediseñan los servicios, con quienes los "
        "gestionan."
    ),
    "body": (
        "<p>Cada página de servicio es también una puerta para mejorarlo. Cuando un organismo "
        "hace una pregunta, puedes publicar ideas y apoyar las que te gusten; los diseñadores "
        "llevan las mejores a sesiones de codiseño y te avisamos cuando algo cambia. También "
        "puedes participar por mensaje de texto o con la ayuda del personal de atención al "
        "público.</p>"
    ),
}

LIFE_EVENTS = [
    ("having-a-baby", "Having a baby", "Registering a birth, health visits and childcare."),
    ("starting-a-business", "Starting a business", "Licences, registration and business rates."),
    ("moving-home", "Moving home", "Housing, parking, bins and getting settled."),
    ("getting-older", "Getting older", "Travel, care and staying independent."),
]

BRAND_VALUES = [
    (
        "One visit, not three",
        "If you come to us in person, we sort it out in that visit or tell you exactly "
        "what happens next.",
    ),
    ("Plain words", "Every letter, form and page is written so anyone can understand it."),
    (
        "We call you back",
        "If we cannot answer on the phone straight away, we call you back within one working day.",
    ),
    (
        "Help in your language",
        "Interpreters are free on the phone and in person, in over 100 languages.",
    ),
]

CITY_HALL = "Northvale City Hall\n1 Market Square\nNorthvale NV1 1AA"
RIVERSIDE_HUB = "Riverside Community Hub\n40 Mill Lane\nNorthvale NV3 2BD"
WEEKDAYS = "Monday to Friday, 9am to 5pm"


def _online(url: str, text: str, details: str = "", hours: str = "Any time") -> tuple:
    return ("online", {"url": url, "link_text": text, "details": details, "hours": hours})


def _phone(number: str, details: str = "", hours: str = WEEKDAYS) -> tuple:
    return ("phone", {"number": number, "details": details, "hours": hours})


def _in_person(place: str, address: str, details: str = "", hours: str = WEEKDAYS) -> tuple:
    return (
        "in_person",
        {
            "place": place,
            "address": address,
            "access": "Step-free entrance, hearing loop at every desk.",
            "details": details,
            "hours": hours,
        },
    )


def _sms(number: str, keyword: str, details: str = "") -> tuple:
    return (
        "sms",
        {"number": number, "keyword": keyword, "details": details, "hours": "Any time"},
    )


def _intermediary(name: str, contact: str, details: str) -> tuple:
    return (
        "intermediary",
        {"organisation": name, "contact": contact, "url": "", "details": details, "hours": ""},
    )


def _steps(*titles: str) -> list:
    return [("step", {"title": title, "detail": RichText("")}) for title in titles]


# slug, title, agency, partners, life events, brand values (by index), summary, body,
# audience, eligibility, steps, channels
SERVICES = [
    {
        "slug": "bus-pass-older-people",
        "title": "Get a free bus pass if you are 66 or over",
        "agency": "northvale-transport",
        "partners": [],
        "life_events": ["getting-older"],
        "brand_values": [0, 3],
        "summary": "Free off-peak travel on every bus and tram in Northvale once you reach "
        "state pension age.",
        "body": "<p>The pass lets you travel free after 9:30am on weekdays and all day at "
        "weekends. It also works on trams and the Riverside ferry.</p>",
        "audience": "<p>People who live in Northvale and have reached state pension age.</p>",
        "eligibility": "<p>You need proof of age and an address in Northvale. A recent photo "
        "is taken at the desk if you apply in person.</p>",
        "steps": _steps(
            "Check your age and address", "Apply online or at City Hall", "Get your pass"
        ),
        "channels": [
            _online("https://northvale.example/bus-pass", "Apply for a bus pass online"),
            _phone("0300 555 0101", "Ask for the concessionary travel team."),
            _in_person("City Hall, travel desk", CITY_HALL, "Bring proof of age."),
            _intermediary(
                "Northvale Digital Buddies",
                "0300 555 0199",
                "A volunteer can fill in the online form with you.",
            ),
        ],
    },
    {
        "slug": "school-transport",
        "title": "Apply for free school transport",
        "agency": "northvale-transport",
        "partners": [],
        "life_events": ["moving-home"],
        "brand_values": [1],
        "summary": "Free travel to school for children who live far from their nearest "
        "suitable school.",
        "body": "<p>We provide a bus pass or a seat on a school bus. Children with special "
        "educational needs may get a taxi or minibus.</p>",
        "audience": "<p>Parents and carers of children aged 5 to 16.</p>",
        "eligibility": "<p>Your child must live more than 2 miles (under 8) or 3 miles "
        "(8 and over) from their nearest suitable school.</p>",
        "steps": _steps("Check the distance", "Apply by 31 May", "We write to you in July"),
        "channels": [
            _online("https://northvale.example/school-transport", "Apply online"),
            _phone("0300 555 0101"),
        ],
    },
    {
        "slug": "report-a-pothole",
        "title": "Report a pothole or damaged road",
        "agency": "northvale-transport",
        "partners": [],
        "life_events": [],
        "brand_values": [2],
        "summary": "Tell us about potholes, broken paving or damaged road signs so we can "
        "fix them.",
        "body": "<p>We inspect dangerous potholes within 24 hours and fix them within "
        "5 working days.</p>",
        "audience": "<p>Anyone who uses Northvale's roads and pavements.</p>",
        "eligibility": "",
        "steps": _steps(
            "Note where it is", "Report it with a photo if you can", "Track the repair"
        ),
        "channels": [
            _online("https://northvale.example/report-road", "Report a road problem"),
            _sms("60777", "ROAD", "Add the street name and nearest house number."),
            _phone("0300 555 0101", "Out of hours for dangerous potholes.", "24 hours"),
        ],
    },
    {
        "slug": "blue-badge",
        "title": "Apply for a Blue Badge parking permit",
        "agency": "northvale-transport",
        "partners": ["health-wellbeing"],
        "life_events": ["getting-older"],
        "brand_values": [0, 1],
        "summary": "Park closer to where you need to go if you have a disability or health "
        "condition that affects your mobility.",
        "body": "<p>A Blue Badge lets you park on yellow lines and in disabled bays.</p>",
        "audience": "<p>Drivers and passengers with mobility problems, and parents of "
        "young children with medical equipment.</p>",
        "eligibility": "<p>Some people qualify automatically; others have a short "
        "assessment with a Health and Wellbeing occupational therapist.</p>",
        "steps": _steps("Apply", "Have an assessment if needed", "Receive your badge"),
        "channels": [
            _online("https://northvale.example/blue-badge", "Apply for a Blue Badge"),
            _phone("0300 555 0101"),
            _in_person("City Hall, customer service centre", CITY_HALL),
        ],
    },
    {
        "slug": "council-housing",
        "title": "Apply for council housing",
        "agency": "housing-planning",
        "partners": [],
        "life_events": ["moving-home"],
        "brand_values": [0, 1, 3],
        "summary": "Join the housing register to bid for council and housing association homes.",
        "body": "<p>Homes are offered through Northvale Homefinder. Bidding opens every "
        "Thursday.</p>",
        "audience": "<p>People who need a secure, affordable home in Northvale.</p>",
        "eligibility": "<p>You must have lived in Northvale for two years, unless you are "
        "homeless or fleeing violence.</p>",
        "steps": _steps("Register", "Get your band", "Bid for homes each week"),
        "channels": [
            _online("https://northvale.example/homefinder", "Register with Homefinder"),
            _phone("0300 555 0102"),
            _in_person("Riverside Community Hub", RIVERSIDE_HUB),
            _intermediary(
                "Riverside Neighbours Association",
                "Drop in on Tuesdays, 10am to 1pm",
                "Volunteers help with the form and bidding.",
            ),
        ],
    },
    {
        "slug": "homeless-help",
        "title": "Get help if you are homeless or about to lose your home",
        "agency": "housing-planning",
        "partners": ["health-wellbeing"],
        "life_events": ["moving-home"],
        "brand_values": [2, 3],
        "summary": "Urgent advice and somewhere safe to stay tonight if you have nowhere to go.",
        "body": "<p>Contact us as soon as you know you may lose your home — the earlier, "
        "the more we can do.</p>",
        "audience": "<p>Anyone who is homeless or may be within the next 8 weeks.</p>",
        "eligibility": "",
        "steps": [],
        "channels": [
            _phone("0300 555 0999", "If you have nowhere to stay tonight.", "24 hours"),
            _in_person("City Hall, housing options", CITY_HALL),
            _sms("60777", "HOME", "We call you back within the hour."),
        ],
    },
    {
        "slug": "planning-permission",
        "title": "Apply for planning permission",
        "agency": "housing-planning",
        "partners": [],
        "life_events": [],
        "brand_values": [1],
        "summary": "Find out if you need planning permission, and apply for extensions, "
        "new buildings and changes of use.",
        "body": "<p>Most householder applications are decided within 8 weeks.</p>",
        "audience": "<p>Homeowners, landlords, businesses and developers.</p>",
        "eligibility": "",
        "steps": _steps(
            "Check if you need permission", "Get pre-application advice", "Apply and pay"
        ),
        "channels": [
            _online("https://northvale.example/planning", "Apply through the planning portal"),
            _phone("0300 555 0102", "Duty planning officer."),
        ],
    },
    {
        "slug": "register-a-birth",
        "title": "Register a birth",
        "agency": "health-wellbeing",
        "partners": [],
        "life_events": ["having-a-baby"],
        "brand_values": [0, 3],
        "summary": "Register your baby's birth within 42 days and get their birth certificate.",
        "body": "<p>Registration takes about 30 minutes. You can register at the hospital "
        "on weekday mornings.</p>",
        "audience": "<p>Parents of babies born in Northvale.</p>",
        "eligibility": "",
        "steps": _steps(
            "Book an appointment", "Come with your baby's details", "Get the certificate"
        ),
        "channels": [
            _online("https://northvale.example/register-birth", "Book an appointment"),
            _phone("0300 555 0103"),
            _in_person(
                "Northvale General Hospital, maternity ward",
                "Northvale General Hospital\nHill Road\nNorthvale NV2 4HR",
                hours="Monday to Friday, 9am to 12pm",
            ),
        ],
    },
    {
        "slug": "health-visitor",
        "title": "See a health visitor after your baby is born",
        "agency": "health-wellbeing",
        "partners": [],
        "life_events": ["having-a-baby"],
        "brand_values": [2],
        "summary": "Home visits and baby clinics for advice on feeding, sleep and your "
        "baby's development.",
        "body": "<p>A health visitor comes to your home 10 to 14 days after the birth.</p>",
        "audience": "<p>Families with children under 5.</p>",
        "eligibility": "",
        "steps": [],
        "channels": [
            _phone("0300 555 0103", "Ask for your local health visiting team."),
            _in_person("Riverside baby clinic", RIVERSIDE_HUB, hours="Wednesdays, 1pm to 4pm"),
            _sms("60777", "BABY", "Text us a question; a health visitor replies the same day."),
        ],
    },
    {
        "slug": "carers-support",
        "title": "Get support as an unpaid carer",
        "agency": "health-wellbeing",
        "partners": ["housing-planning"],
        "life_events": ["getting-older"],
        "brand_values": [2, 3],
        "summary": "A carer's assessment, breaks from caring and advice on money and work.",
        "body": "<p>If you look after someone, you can ask for a carer's assessment even "
        "if the person you care for does not get help from us.</p>",
        "audience": "<p>Anyone aged 16 or over who looks after a relative, partner or friend.</p>",
        "eligibility": "",
        "steps": _steps("Ask for an assessment", "Talk through what you need", "Get a plan"),
        "channels": [
            _phone("0300 555 0103"),
            _online("https://northvale.example/carers", "Ask for a carer's assessment"),
            _intermediary(
                "Riverside Neighbours Association",
                "0300 555 0188",
                "Carers' coffee mornings and help with the assessment form.",
            ),
        ],
    },
    {
        "slug": "missed-bin",
        "title": "Report a missed bin collection",
        "agency": "parks-environment",
        "partners": [],
        "life_events": ["moving-home"],
        "brand_values": [2],
        "summary": "Tell us if your bin was not emptied on collection day and we will come "
        "back within 2 working days.",
        "body": "<p>Please report it after 5pm on your collection day and no later than "
        "2 days after.</p>",
        "audience": "<p>Households in Northvale.</p>",
        "eligibility": "",
        "steps": _steps("Check your collection day", "Report the missed bin"),
        "channels": [
            _online("https://northvale.example/missed-bin", "Report a missed bin"),
            _sms("60777", "BIN", "Add your postcode and house number."),
            _phone("0300 555 0104"),
        ],
    },
    {
        "slug": "bulky-waste",
        "title": "Book a bulky waste collection",
        "agency": "parks-environment",
        "partners": ["housing-planning"],
        "life_events": ["moving-home"],
        "brand_values": [1],
        "summary": "We collect furniture, fridges and other large items from your home "
        "for a small fee.",
        "body": "<p>Up to 5 items for £25. Council tenants get one free collection a year.</p>",
        "audience": "<p>Households in Northvale.</p>",
        "eligibility": "",
        "steps": _steps("List your items", "Book and pay", "Put items out on the day"),
        "channels": [
            _online("https://northvale.example/bulky-waste", "Book a collection"),
            _phone("0300 555 0104"),
        ],
    },
    {
        "slug": "register-food-business",
        "title": "Register a food business",
        "agency": "business-licensing",
        "partners": ["health-wellbeing"],
        "life_events": ["starting-a-business"],
        "brand_values": [0, 1],
        "summary": "Register at least 28 days before you start selling food, including "
        "from home or a market stall.",
        "body": "<p>Registration is free. A food safety officer will visit to check your "
        "kitchen.</p>",
        "audience": "<p>Restaurants, cafés, caterers, home bakers and market traders.</p>",
        "eligibility": "",
        "steps": _steps("Register", "Prepare for your inspection", "Get your hygiene rating"),
        "channels": [
            _online("https://northvale.example/food-business", "Register your food business"),
            _phone("0300 555 0105"),
            _in_person("Business Hub, City Hall", CITY_HALL),
        ],
    },
    {
        "slug": "street-trading-licence",
        "title": "Apply for a street trading licence",
        "agency": "business-licensing",
        "partners": ["northvale-transport"],
        "life_events": ["starting-a-business"],
        "brand_values": [1],
        "summary": "Sell goods or food from a pitch on a Northvale street or market.",
        "body": "<p>Licences last up to a year. Pitches near bus stops need Transport's "
        "agreement, which we ask for on your behalf.</p>",
        "audience": "<p>Market traders and mobile food sellers.</p>",
        "eligibility": "<p>You must be 17 or over and have the right to work in the UK.</p>",
        "steps": _steps("Choose a pitch", "Apply and pay", "Display your licence"),
        "channels": [
            _online("https://northvale.example/street-trading", "Apply for a licence"),
            _in_person("Business Hub, City Hall", CITY_HALL),
        ],
    },
]

RELATED = {
    "bus-pass-older-people": ["blue-badge", "carers-support"],
    "register-a-birth": ["health-visitor"],
    "health-visitor": ["register-a-birth"],
    "council-housing": ["homeless-help", "bulky-waste"],
    "homeless-help": ["council-housing"],
    "register-food-business": ["street-trading-licence"],
    "street-trading-licence": ["register-food-business"],
}

FEATURED = ["bus-pass-older-people", "missed-bin", "council-housing", "register-food-business"]

NEWS = [
    {
        "slug": "bin-reminders-by-text",
        "title": "You said bin days were confusing — now we text you the night before",
        "date": datetime.date(2026, 9, 14),
        "summary": "After 240 ideas and comments, bin collection reminders now come by text.",
        "you_said": "<p>Collection days changed after the new rounds and many of you missed "
        "them. You asked for a reminder that does not need an app.</p>",
        "we_did": "<p>Text BIN and your postcode to 60777 and we send a reminder the evening "
        "before every collection.</p>",
        "services": ["missed-bin"],
    },
    {
        "slug": "bus-pass-one-visit",
        "title": "You said the bus pass took three visits — now it takes one",
        "date": datetime.date(2026, 10, 2),
        "summary": "Photos are now taken at the desk and passes printed on the spot.",
        "you_said": "<p>Older residents told us they had to come back to City Hall to bring "
        "a photo and again to collect the pass.</p>",
        "we_did": "<p>The travel desk now takes your photo and prints your pass while you "
        "wait.</p>",
        "services": ["bus-pass-older-people"],
    },
]


def _child(parent: Page, slug: str) -> Page | None:
    page = parent.get_children().filter(slug=slug).first()
    return page.specific if page is not None else None


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def _home() -> HomePage:
    default_locale = Locale.get_default()
    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a plain welcome page at the site root: replace it.
        for page in root.get_children().exact_type(Page):
            if page.slug == "home":
                page.delete()
        home = _publish(root.add_child(instance=HomePage(**HOME)))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=8000,
            root_page=home,
            is_default_site=True,
            site_name="Northvale Commons",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Northvale Commons"
        site.save()
    return home


def _snippets(locale: Locale) -> tuple[dict, list]:
    events = {}
    for slug, name, summary in LIFE_EVENTS:
        events[slug], _ = LifeEvent.objects.get_or_create(
            slug=slug, locale=locale, defaults={"name": name, "summary": summary}
        )
    values = []
    for statement, explanation in BRAND_VALUES:
        value, _ = BrandValue.objects.get_or_create(
            statement=statement, locale=locale, defaults={"explanation": explanation}
        )
        values.append(value)
    return events, values


def _services(index: ServiceIndexPage, agencies: dict, events: dict, values: list) -> dict:
    pages = {}
    for spec in SERVICES:
        page = _child(index, spec["slug"])
        if page is None:
            page = ServicePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                body=spec["body"],
                audience=spec["audience"],
                eligibility=spec["eligibility"],
                steps=spec["steps"],
                channels=spec["channels"],
                responsible_agency=agencies[spec["agency"]],
            )
            page.partner_agencies = [agencies[slug] for slug in spec["partners"]]
            page.life_events = [events[slug] for slug in spec["life_events"]]
            page.brand_values = [values[i] for i in spec["brand_values"]]
            page = _publish(index.add_child(instance=page))
        pages[spec["slug"]] = page
    for slug, related in RELATED.items():
        page = pages[slug]
        if not page.related_service_links.exists():
            # Through the revision, so editors see (and keep) the links when they next edit.
            page.related_service_links = [
                ServicePageRelatedService(service=pages[other], sort_order=order)
                for order, other in enumerate(related)
            ]
            _publish(page)
    return pages


def _spanish_home(home: HomePage) -> None:
    """A published Spanish home page; every other page falls back to English."""
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    if home.has_translation(spanish):
        return
    translation = home.copy_for_translation(spanish)
    for field, value in HOME_ES.items():
        setattr(translation, field, value)
    _publish(translation)


_KEEP = {"type", "id", "url", "number", "keyword", "organisation", "contact", "address"}
_TEXT_FIELDS = (
    "title",
    "summary",
    "body",
    "audience",
    "eligibility",
    "intro",
    "you_said",
    "we_did",
    "hero_title",
    "hero_text",
    "call_to_action",
)


def _es_value(value):
    """Demo text inside a StreamField's raw data, in Spanish (keys in _KEEP untouched)."""
    if isinstance(value, str):
        return es(value)
    if isinstance(value, dict):
        return {k: (v if k in _KEEP else _es_value(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_es_value(v) for v in value]
    return value


def _spanish_page(page: Page, spanish: Locale) -> None:
    """Publish a Spanish translation of ``page`` (once: an existing one is left alone)."""
    if page.has_translation(spanish):
        return
    translation = page.specific.copy_for_translation(spanish, copy_parents=True)
    for name in _TEXT_FIELDS:
        value = getattr(translation, name, None)
        if isinstance(value, str):
            setattr(translation, name, es(value))
    for field in translation._meta.get_fields():
        if isinstance(field, StreamField):
            raw = [dict(item) for item in getattr(translation, field.name).raw_data]
            setattr(
                translation,
                field.name,
                StreamValue(field.stream_block, _es_value(raw), is_lazy=True),
            )
    _publish(translation)


def _spanish_content(home: HomePage, events: dict, values: list) -> None:
    """Service pages, news, the about and campaign pages and the snippets, in Spanish."""
    spanish, _ = Locale.objects.get_or_create(language_code="es")
    for snippet in [*events.values(), *values]:
        if snippet.has_translation(spanish):
            continue
        copy = snippet.copy_for_translation(spanish)
        for name in ("name", "summary", "statement", "explanation"):
            value = getattr(copy, name, None)
            if isinstance(value, str):
                setattr(copy, name, es(value))
        copy.save()
    for page in home.get_descendants().filter(locale=home.locale).order_by("path"):
        _spanish_page(page, spanish)


def _rebuild_indexes() -> None:
    call_command("wagtail_update_index", verbosity=0)
    call_command("rebuild_references_index", verbosity=0)


def seed(context: dict) -> dict:
    home = _home()
    agencies = context["agencies"]
    events, values = _snippets(home.locale)

    index = _child(home, "services")
    if index is None:
        index = _publish(
            home.add_child(
                instance=ServiceIndexPage(
                    title="Services",
                    slug="services",
                    intro="<p>Every service the city offers, whichever agency runs it. "
                    "Search, or browse by what is happening in your life.</p>",
                )
            )
        )
    service_pages = _services(index, agencies, events, values)

    if not home.featured_services.exists():
        home.featured_services = [
            HomePageFeaturedService(service=service_pages[slug], sort_order=order)
            for order, slug in enumerate(FEATURED)
        ]
        _publish(home)

    news_index = _child(home, "you-said-we-did")
    if news_index is None:
        news_index = _publish(
            home.add_child(
                instance=NewsIndexPage(
                    title="You said, we did",
                    slug="you-said-we-did",
                    intro="<p>What changed in Northvale's services because people took part.</p>",
                )
            )
        )
    for spec in NEWS:
        if _child(news_index, spec["slug"]) is None:
            linked = [service_pages[slug] for slug in spec["services"]]
            story = NewsPage(
                title=spec["title"],
                slug=spec["slug"],
                date=spec["date"],
                summary=spec["summary"],
                you_said=spec["you_said"],
                we_did=spec["we_did"],
                changes=[
                    (
                        "link",
                        {
                            "title": f"The updated service: {page.title}",
                            "url": page.full_url or f"/services/{page.slug}/",
                            "description": "",
                        },
                    )
                    for page in linked
                ],
            )
            story.services = linked
            _publish(news_index.add_child(instance=story))

    if _child(home, "free-bus-travel") is None:
        campaign = CampaignPage(
            title="Free bus travel from 66",
            slug="free-bus-travel",
            hero_title="Your city. Your ride. Free from 66.",
            hero_text="Every bus and tram in Northvale, free after 9:30am — and your pass is "
            "printed while you wait.",
            service=service_pages["bus-pass-older-people"],
            call_to_action="Get your free bus pass",
            body=[
                (
                    "paragraph",
                    RichText(
                        "<h2>One visit, not three</h2><p>Bring proof of age to City Hall; "
                        "we take your photo and print your pass on the spot.</p>"
                    ),
                ),
                (
                    "quote",
                    {
                        "quote": "I was in and out in fifteen minutes with my pass.",
                        "attribution": "Joan, Riverside",
                    },
                ),
            ],
        )
        campaign.brand_values = [values[0], values[3]]
        _publish(home.add_child(instance=campaign))

    if _child(home, "about") is None:
        _publish(
            home.add_child(
                instance=StandardPage(
                    title="About Northvale Commons",
                    slug="about",
                    intro="How the city designs services with the people who use them.",
                    body="<p>Northvale Commons is where residents, community groups and the "
                    "city's agencies improve public services together.</p>",
                )
            )
        )

    _spanish_home(home)
    _spanish_content(home, events, values)
    # Wagtail updates its search and reference indexes in background tasks; the demo is
    # served straight after seeding, often without a worker, so index it here.
    transaction.on_commit(_rebuild_indexes)
    return {
        "home": home,
        "service_index": index,
        "service_pages": service_pages,
        "life_events": events,
    }

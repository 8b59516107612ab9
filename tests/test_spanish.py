"""The second language: a complete Spanish catalogue, and every main page really in Spanish.

``test_the_spanish_catalogue_is_complete`` fails on any untranslated or fuzzy entry, or a
translation that drops or invents a placeholder. ``test_every_string_in_the_code_is_in_the_
catalogue`` runs ``makemessages`` on a copy of the tree, so a new ``{% translate %}`` nobody
translated fails too. The page tests render each main page in Spanish and fail if any English
interface string from the catalogue is still visible.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sd]|%[sd]")


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_the_spanish_catalogue_is_complete():
    po = _catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries() if not e.obsolete]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            wanted = set(PLACEHOLDER.findall(entry.msgid))
            assert set(PLACEHOLDER.findall(entry.msgstr)) == wanted, entry.msgid
            continue
        one = set(PLACEHOLDER.findall(entry.msgid))
        many = set(PLACEHOLDER.findall(entry.msgid_plural))
        for index, target in sorted(entry.msgstr_plural.items()):
            assert target.strip(), f"empty plural form for {entry.msgid!r}"
            found = set(PLACEHOLDER.findall(target))
            assert found == many or (index == 0 and found == one), entry.msgid


def test_the_compiled_catalogue_matches_the_source():
    po = {(e.msgctxt, e.msgid): e.msgstr for e in _catalogue().translated_entries()}
    mo = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO))}
    assert po == mo, "run `make messages` (compilemessages) and commit the .mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "var", "staticfiles", "media", "node_modules", "__pycache__", "*.pyc"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--ignore=staticfiles"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "config.settings_test", "PATH": "/usr/bin:/bin"},
    )
    fresh = polib.pofile(str(copy / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"{len(missing)} strings need translating, e.g. {missing[:5]}"


# -- pages rendered in Spanish ------------------------------------------------------------


class _Visible(HTMLParser):
    """Text a person sees or hears: text nodes and labelling attributes, no scripts."""

    ATTRS = {"aria-label", "placeholder", "title", "alt"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template"}:
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRS and value:
                self.parts.append(value)
            if name.startswith("data-msg") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _english_ui_strings() -> list[str]:
    """Catalogue strings whose Spanish differs and that cannot be mistaken for data."""
    strings = []
    for entry in _catalogue().translated_entries():
        if entry.msgid_plural or entry.msgstr == entry.msgid:
            continue
        text = PLACEHOLDER.split(entry.msgid)[0]
        text = re.sub(r"<[^>]+>", "", text).strip()
        if len(text) >= 12 and " " in text:
            strings.append(text)
    return strings


ENGLISH = None


def assert_in_spanish(html: str, page: str) -> None:
    global ENGLISH
    if ENGLISH is None:
        ENGLISH = _english_ui_strings()
    text = visible_text(html)
    left = [s for s in ENGLISH if s in text]
    assert not left, f"{page} still shows English: {left[:5]}"
    assert 'lang="es"' in html


@pytest.fixture
def world(db):
    """One of each thing the main pages show."""
    from cms.tests.factories import make_home, make_index, make_service
    from community.exchange.tests.factories import PostFactory
    from community.models import Role
    from community.tests.factories import PersonaFactory, staff
    from ideas.backlog.tests.factories import BacklogItemFactory
    from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory

    home = make_home()
    index = make_index(home)
    service = make_service(index, title="Bins", slug="bins")
    challenge = ChallengeFactory(sms_code="BINS")
    idea = IdeaFactory(challenge=challenge, title="Bigger bins")
    CommentFactory(idea=idea)
    citizen = PersonaFactory(display_name="Ana G.").account
    citizen.language = "es"
    citizen.save()
    post = PostFactory()
    item = BacklogItemFactory(agency=challenge.agency, is_public=True, status="triaged")
    moderator = staff(Role.MODERATOR, challenge.agency, language="es")
    return {
        "service": service,
        "challenge": challenge,
        "idea": idea,
        "citizen": citizen,
        "post": post,
        "item": item,
        "moderator": moderator,
        "now": timezone.now(),
    }


PUBLIC_PAGES = [
    "/",
    "/services/",
    "/services/bins/",
    "/ideas/",
    "/ideas/challenges/{challenge.pk}/",
    "/ideas/{idea.pk}/",
    "/exchange/",
    "/exchange/{post.pk}/",
    "/exchange/safety/",
    "/exchange/stats/",
    "/roadmap/",
    "/roadmap/items/{item.pk}/",
    "/moderation/transparency/",
    "/accounts/login/",
    "/accounts/signup/",
]

ACCOUNT_PAGES = [
    "/accounts/",
    "/accounts/personas/",
    "/accounts/privacy/",
    "/accounts/phone/",
    "/notifications/",
    "/notifications/preferences/",
    "/following/",
    "/ideas/challenges/{challenge.pk}/ideas/new/",
    "/exchange/new/",
    "/exchange/conversations/",
    "/exchange/credits/",
]


def _url(template: str, world: dict) -> str:
    return template.format(**world)


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_public_pages_show_no_english_to_a_spanish_visitor(client, world, page):
    client.cookies["django_language"] = "es"
    response = client.get(_url(page, world), follow=True)
    assert response.status_code == 200, page
    assert_in_spanish(response.content.decode(), page)


OFFICIAL_PAGES = [
    "/ideas/",
    "/ideas/challenges/{challenge.pk}/",
    "/ideas/{idea.pk}/",
    "/roadmap/",
    "/roadmap/items/{item.pk}/",
]


def _translate_official_content(world: dict) -> dict[str, str]:
    """Give the world's agency, challenge and roadmap item Spanish; English → Spanish."""
    challenge, item = world["challenge"], world["item"]
    agency = challenge.agency
    texts = {
        (agency, "name"): ("Bins and Streets Agency", "Agencia de Basuras y Calles"),
        (challenge, "question"): (
            "How might we empty the bins on time?",
            "¿Cómo podríamos vaciar los contenedores a tiempo?",
        ),
        (challenge, "cover_text"): (
            "Tell us what would make collections reliable.",
            "Díganos qué haría fiable la recogida.",
        ),
        (item, "title"): ("Collection reminders by text", "Recordatorios de recogida por SMS"),
    }
    from ideas.models import Status, StatusChange

    change = StatusChange.objects.create(
        idea=world["idea"],
        from_status=Status.SUBMITTED,
        to_status=Status.UNDER_REVIEW,
        response="",
        agency=agency,
    )
    texts[(change, "response")] = (
        "We are costing this with the bin crews.",
        "Estamos calculando el coste con los equipos de recogida.",
    )
    for (obj, field), (english, spanish) in texts.items():
        setattr(obj, field, english)
        obj.translations = {"es": {**obj.translations.get("es", {}), field: spanish}}
    for obj in {agency, challenge, item, change}:
        obj.save()
    return dict(texts.values())


@pytest.mark.parametrize("page", OFFICIAL_PAGES)
def test_official_content_in_models_is_shown_in_spanish(client, world, page):
    """Agency names, challenge questions and roadmap cards follow the visitor's language."""
    pairs = _translate_official_content(world)
    client.cookies["django_language"] = "es"
    response = client.get(_url(page, world), follow=True)
    assert response.status_code == 200, page
    text = visible_text(response.content.decode())
    shown = [english for english in pairs if english in text]
    assert not shown, f"{page} shows official content in English: {shown}"
    assert any(spanish in text for spanish in pairs.values()), page


@pytest.mark.parametrize("page", ["/accounts/login/", "/accounts/signup/"])
def test_sign_in_pages_use_allauths_spanish(client, db, page):
    client.cookies["django_language"] = "es"
    text = visible_text(client.get(page).content.decode())
    for english in ("Sign In", "Sign Up", "Remember Me", "Forgot your password?"):
        assert english not in text, (page, english)


def test_open_data_descriptions_are_translated_and_plain(client, db):
    client.cookies["django_language"] = "es"
    html = client.get("/data/").content.decode()
    assert "``" not in html
    assert "Public comments on public ideas." not in visible_text(html)


@pytest.mark.parametrize("page", ACCOUNT_PAGES)
def test_account_pages_follow_the_language_saved_on_the_account(client, world, page):
    client.force_login(world["citizen"])  # no cookie: the account's language decides
    response = client.get(_url(page, world), follow=True)
    assert response.status_code == 200, page
    assert_in_spanish(response.content.decode(), page)


def test_the_moderation_queue_is_in_spanish_for_a_spanish_moderator(client, world):
    client.force_login(world["moderator"])
    response = client.get("/moderation/")
    assert response.status_code == 200
    assert_in_spanish(response.content.decode(), "/moderation/")


def test_switching_language_is_remembered_on_the_account(client, world):
    from community.models import User

    user = world["moderator"]
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert User.objects.get(pk=user.pk).language == "en"
    client.cookies.clear()
    client.force_login(user)
    assert 'lang="en"' in client.get("/ideas/").content.decode()


def test_a_decision_is_emailed_and_texted_in_each_recipients_language(
    world, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """The designer works in English; the Spanish-speaking author hears back in Spanish."""
    from community.models import Role
    from community.sms import gateways
    from community.sms.tests.factories import PhoneNumberFactory
    from community.tests.factories import PersonaFactory, staff
    from ideas import actions
    from ideas.tests.factories import IdeaFactory

    settings.SMS = {**settings.SMS, "PROVIDER": "console"}
    gateways.outbox.clear()
    author = PersonaFactory().account
    author.language = "es"
    author.save()
    PhoneNumberFactory(user=author, notify_by_text=True)
    idea = IdeaFactory(challenge=world["challenge"], persona=author.personas.get())
    designer = staff(Role.SERVICE_DESIGNER, world["challenge"].agency, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_set_status(
            user=designer, idea=idea, status="accepted", response="We will do it."
        )
    email = [m for m in mailoutbox if author.email in m.to][-1]
    assert "Tu idea" in email.subject
    assert "Aceptada" in email.subject
    assert "Tu idea" in gateways.outbox[-1]["body"]
    gateways.outbox.clear()

"""Demo research: one open survey of Northvale Transport with a few dozen answers (web and
text), a panel of 30 citizens with varied segments, and one recruitment of five testers for
the scheduled bus-stop co-design session, two of whom have accepted and one declined.

Synthetic respondents and panel members are accounts without a password
(``demo-panel-<n>``, with an address at northvale.example so invitations are emailed through
the console backend, where the browser journey reads them), like the insight demo's voters. Idempotent: the survey is found by its
slug, panel members by username, the recruitment by (agency, title).
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone
from wagtail.models import Locale

from community.actions import consent_set
from community.models import ConsentPurpose, Persona, User
from community.participation.models import AgeBand
from ideas.research import actions
from ideas.research.actions.panel import panel_consent_text
from ideas.research.models import (
    PanelMember,
    Recruitment,
    SurveyPage,
    SurveyResponse,
    Usage,
    consent_version,
)

ORDER = 50  # after co-design sessions (37) and insight (45)

AGENCY = "northvale-transport"
DESIGNER = "designer@northvale.example"
SESSION = "Bus stop information: first ideas"
SURVEY_SLUG = "bus-journeys-survey"
RECRUITMENT = "Bus stop information: testers for the first session"
PANEL = 30
RESPONSES = 36

QUESTIONS = [
    ("choice", {"key": "got_it", "text": "On your last bus journey, did you get where you needed on time?", "required": True, "options": ["Yes", "No"]}),
    ("choice", {"key": "why_not", "text": "What went wrong?", "required": True, "options": ["The bus was late", "The bus did not come", "I could not find the right stop", "Something else"], "only_if_question": "got_it", "only_if_answer": "No"}),
    ("scale", {"key": "simple", "text": "How simple was it to plan the journey?", "required": True, "low": 1, "high": 5, "low_label": "very hard", "high_label": "very simple"}),
    ("multiple_choice", {"key": "info", "text": "Where do you look for bus times?", "required": False, "options": ["The app", "Timetable at the stop", "Phone line", "I ask someone"]}),
    ("free_text", {"key": "change", "text": "What one change would help you most?", "required": False}),
]  # fmt: skip

CHANGES = [
    "Screens at the stop showing when the next bus comes",
    "Buses that keep to the timetable in the evening",
    "A text when my bus is cancelled",
    "",
    "Clearer maps at the bus station",
    "",
]


def _people(n: int) -> list[User]:
    people = []
    for i in range(1, n + 1):
        user, created = User.objects.get_or_create(
            username=f"demo-panel-{i}", defaults={"email": f"demo-panel-{i}@northvale.example"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Persona.objects.create(
                account=user,
                display_name=f"Panel member {i}",
                slug=f"panel-member-{i}",
                is_primary=True,
            )
        people.append(user)
    return people


def _survey(context: dict, agency) -> SurveyPage | None:
    existing = SurveyPage.objects.filter(slug=SURVEY_SLUG, locale=Locale.get_default()).first()
    if existing is not None:
        _spanish(existing)
        return existing
    parent = context.get("service_index") or context.get("home")
    if parent is None:
        return None
    now = timezone.now()
    page = SurveyPage(
        title="How are your bus journeys?",
        slug=SURVEY_SLUG,
        agency=agency,
        intro="Five short questions about your last bus journey. It takes two minutes.",
        consent_text=(
            "Northvale Transport's service designers read your answers to improve buses. "
            "Figures are published only for groups of five or more; your free text is "
            "never published. You can see your answers in your data export."
        ),
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=20),
        sms_code="BUS",
        ask_age_band=True,
        ask_usage=True,
        questions=QUESTIONS,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    _spanish(page)
    return SurveyPage.objects.get(pk=page.pk)


SPANISH = {
    "How are your bus journeys?": "¿Qué tal tus viajes en autobús?",
    "Five short questions about your last bus journey. It takes two minutes.": (
        "Cinco preguntas cortas sobre tu último viaje en autobús. Son dos minutos."
    ),
    "On your last bus journey, did you get where you needed on time?": (
        "En tu último viaje en autobús, ¿llegaste a tiempo a donde ibas?"
    ),
    "Yes": "Sí",
    "No": "No",
    "What went wrong?": "¿Qué falló?",
    "The bus was late": "El autobús llegó tarde",
    "The bus did not come": "El autobús no pasó",
    "I could not find the right stop": "No encontré la parada correcta",
    "Something else": "Otra cosa",
    "How simple was it to plan the journey?": "¿Qué tan sencillo fue planear el viaje?",
    "very hard": "muy difícil",
    "very simple": "muy sencillo",
    "Where do you look for bus times?": "¿Dónde miras los horarios de los autobuses?",
    "The app": "La aplicación",
    "Timetable at the stop": "El horario en la parada",
    "Phone line": "El teléfono",
    "I ask someone": "Le pregunto a alguien",
    "What one change would help you most?": "¿Qué cambio te ayudaría más?",
}
CONSENT_ES = (
    "El equipo de diseño de servicios de Transporte de Northvale lee tus respuestas para "
    "mejorar los autobuses. Solo se publican cifras de grupos de cinco o más; tu texto libre "
    "nunca se publica. Puedes ver tus respuestas en la exportación de tus datos."
)


def _spanish(page: SurveyPage) -> None:
    """The survey in Spanish, made here (as the CMS demo makes its pages' translations) so a
    second seed finds it translated instead of copying the English."""
    spanish = Locale.objects.filter(language_code="es").first()
    if spanish is None or page.has_translation(spanish):
        return
    copy = page.copy_for_translation(spanish, copy_parents=True)
    copy.title = SPANISH[page.title]
    copy.intro = SPANISH.get(page.intro, page.intro)
    copy.consent_text = CONSENT_ES
    questions = []
    for kind, value in QUESTIONS:
        value = dict(value)
        for name in ("text", "low_label", "high_label", "only_if_answer"):
            if name in value:
                value[name] = SPANISH.get(value[name], value[name])
        if "options" in value:
            value["options"] = [SPANISH.get(o, o) for o in value["options"]]
        questions.append((kind, value))
    copy.questions = questions
    copy.save_revision().publish()


def _answers(survey: SurveyPage, people: list[User]) -> None:
    if SurveyResponse.objects.filter(survey=survey).exists():
        return
    rng = random.Random(24)
    version = consent_version(survey.consent_text)
    bands = [b for b in AgeBand.values if b != "under_18"]
    rows = []
    for n in range(RESPONSES):
        on_time = rng.random() < 0.55
        answers: dict = {"got_it": "Yes" if on_time else "No"}
        if not on_time:
            answers["why_not"] = rng.choice(QUESTIONS[1][1]["options"][:3])
        answers["simple"] = rng.choice([4, 5, 4, 3]) if on_time else rng.choice([1, 2, 2, 3])
        answers["info"] = sorted(set(rng.sample(QUESTIONS[3][1]["options"], rng.randint(1, 2))))
        change = CHANGES[n % len(CHANGES)]
        if change:
            answers["change"] = change
        user = people[n] if n < len(people) else None
        rows.append(
            SurveyResponse(
                survey=survey,
                respondent=f"demo:{n}",
                account=user,
                channel="sms" if n % 7 == 0 else "web",
                answers=answers,
                age_band=rng.choice(bands) if n % 3 else "",
                usage=rng.choice(Usage.values) if n % 4 else "",
                consent_version=version,
                created_at=timezone.now()
                - timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 20)),
            )
        )
    SurveyResponse.objects.bulk_create(rows)


def _panel(people: list[User]) -> None:
    rng = random.Random(7)
    bands = [b for b in AgeBand.values if b != "under_18"]
    version = consent_version(panel_consent_text())
    for i, user in enumerate(people):
        if PanelMember.objects.filter(user=user).exists():
            continue
        consent_set(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=True)
        PanelMember.objects.create(
            user=user,
            consent_version=version,
            age_band=bands[i % len(bands)] if i % 6 else "",
            usage=rng.choice(Usage.values),
        )


def _recruit(agency, designer) -> None:
    from ideas.codesign.models import CodesignSession

    if Recruitment.objects.filter(agency=agency, title=RECRUITMENT).exists():
        return
    session = CodesignSession.objects.filter(agency=agency, title=SESSION).first()
    if session is None or designer is None:
        return
    recruitment = actions.recruitment_create(
        user=designer,
        agency=agency,
        title=RECRUITMENT,
        details="A 90-minute workshop at the central library, with tea. We will ask what you "
        "need to know while you wait for a bus.",
        starts_at=session.scheduled_at,
        wanted=5,
        balance_by=Recruitment.Balance.AGE_BAND,
        session=session,
        rng=random.Random(5),
    )
    invitations = list(recruitment.invitations.order_by("pk"))
    for invitation, accept in zip(invitations, (True, True, False), strict=False):
        actions.invitation_reply(invitation=invitation, accept=accept)


def seed(context: dict) -> dict:
    agency = (context.get("agencies") or {}).get(AGENCY)
    if agency is None:
        return {}
    people = _people(PANEL)
    survey = _survey(context, agency)
    if survey is not None:
        _answers(survey, people)
    _panel(people)
    _recruit(agency, (context.get("users") or {}).get(DESIGNER))
    return {"survey": survey}

"""Demo service experience: a quarter (13 weeks) of answers on every Northvale service, on
the web, by text and at the counter, with brand-value answers and comments.

"Apply for a Blue Badge parking permit" visibly fails its promise "Plain words" (the demo's
"simple" value): few say it kept it, satisfaction falls over the quarter, and comments about
jargon, in English and Spanish, form themes; the English one has been turned into a
challenge by the transport agency's service designer, linked both ways.

Answers are written directly (the figures need no events, and the quarter is back-dated);
comments are grouped with the same code as live answers. Idempotent: nothing is added once
the first demo answer exists.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from community.models import Organisation, User
from ideas.experience import catalogue, services, themes
from ideas.experience.models import BrandValueAnswer, Feedback, Theme
from ideas.models import Challenge

ORDER = 47
FAILING = "blue-badge"
FAILING_VALUE = "Plain words"
DESIGNER = "designer@northvale.example"
WEEKS = 13
COMMENTS = {
    "failing": [
        "The form is full of jargon",
        "Too much jargon on the form",
        "I could not understand the jargon on the form",
        "The jargon in the form confused me",
        "Jargon everywhere on the form, I needed help",
    ],
    "failing_es": [
        "El formulario usa palabras difíciles, no lo entendí",
        "Palabras muy difíciles en el formulario",
        "No entendí las palabras difíciles del formulario",
    ],
    "good": [
        "Staff were friendly and helpful",
        "Friendly helpful staff on the phone",
        "Quick and easy, thank you",
    ],
}


def seed(context: dict) -> dict:
    if Feedback.objects.filter(respondent__startswith="demo-").exists():
        return {}
    rng = random.Random(24)
    now = timezone.now()
    agencies = Organisation.objects.filter(kind=Organisation.Kind.AGENCY).order_by("pk")
    rows: list[tuple[Feedback, dict[int, tuple[str, bool]]]] = []
    failing_id = None
    n = 0
    for agency in agencies:
        for service in catalogue.agency_services(agency.pk):
            if not service.live:
                continue
            failing = service.url.rstrip("/").endswith(FAILING)
            if failing:
                failing_id = service.id
            for week in range(WEEKS):
                for _ in range(rng.randint(4, 9)):
                    n += 1
                    when = now - timedelta(weeks=WEEKS - 1 - week, days=rng.random() * 6)
                    channel = rng.choices(["web", "sms", "counter"], [6, 2, 2])[0]
                    # The failing service gets worse over the quarter.
                    mean = 2.6 - week * 0.08 if failing else 3.9
                    satisfaction = max(1, min(5, round(rng.gauss(mean, 0.9))))
                    got = None if channel == "sms" else rng.random() < (0.5 if failing else 0.85)
                    values = {}
                    if channel != "sms":
                        for value in service.brand_values:
                            if rng.random() < 0.8:
                                plain = failing and value.statement == FAILING_VALUE
                                values[value.id] = (
                                    value.statement,
                                    rng.random() < (0.2 if plain else 0.8),
                                )
                    rows.append(
                        (
                            Feedback(
                                service_page_id=service.id,
                                agency_id=agency.pk,
                                channel=channel,
                                satisfaction=satisfaction,
                                got_what_needed=got,
                                respondent=f"demo-{n}",
                                day=timezone.localtime(when).date(),
                                created_at=when,
                                language="en",
                            ),
                            values,
                        )
                    )
    Feedback.objects.bulk_create([f for f, _v in rows])
    BrandValueAnswer.objects.bulk_create(
        [
            BrandValueAnswer(feedback=f, brand_value_id=pk, statement=statement, kept=kept)
            for f, values in rows
            for pk, (statement, kept) in values.items()
        ]
    )
    if failing_id is not None:
        _comments(failing_id)
    return {}


def _comments(service_id: int) -> None:
    pool = list(
        Feedback.objects.filter(service_page_id=service_id, channel="web").order_by("created_at")
    )
    texts = COMMENTS["failing"] + COMMENTS["failing_es"] + COMMENTS["good"]
    chosen = pool[-len(texts) :]
    for feedback, text in zip(chosen, texts, strict=False):
        feedback.comment = text
        feedback.language = "es" if text in COMMENTS["failing_es"] else "en"
        feedback.save(update_fields=["comment", "language"])
        themes.theme_assign(feedback)
    theme = (
        Theme.objects.filter(service_page_id=service_id, label__icontains="jargon")
        .order_by("pk")
        .first()
    )
    designer = User.objects.filter(email=DESIGNER).first()
    if theme is not None and designer is not None:
        challenge = services.theme_promote(
            user=designer,
            theme=theme,
            question="How might we make the Blue Badge form easy to understand?",
        )
        # Promoted when the quarter's comments came in, weeks ago: its board is neither the
        # newest nor the soonest to close, so the demo opens on boards that have ideas.
        now = timezone.now()
        Challenge.objects.filter(pk=challenge.pk).update(
            opens_at=now - timedelta(days=60),
            ideas_close_at=now + timedelta(days=60),
            closes_at=now + timedelta(days=75),
        )
        _translate(challenge)


def _translate(challenge) -> None:
    """The promoted challenge in Spanish too, like every other demo challenge."""
    from ideas.demo_translations import translate

    comments = challenge.feedback_themes.first().feedback.filter(is_hidden=False).count()
    translate(
        Challenge,
        mapping={
            challenge.question: "¿Cómo podríamos hacer que el formulario de la tarjeta azul "
            "se entienda a la primera?",
            challenge.background: (
                "Este reto nació de lo que la gente nos contó sobre la tarjeta azul de "
                f"aparcamiento: {comments} comentarios decían algo parecido."
            ),
        },
    )

"""Factories for surveys, responses and the research panel."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import factory
from django.utils import timezone
from wagtail.models import Page, Site

from community.models import ConsentPurpose, Role
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas.research.models import PanelMember, SurveyPage, SurveyResponse

_n = count(1)

QUESTIONS = [
    (
        "choice",
        {
            "key": "got_it",
            "text": "Did you get what you needed?",
            "required": True,
            "options": ["Yes", "No"],
        },
    ),
    (
        "free_text",
        {
            "key": "why_not",
            "text": "What was missing?",
            "required": True,
            "only_if_question": "got_it",
            "only_if_answer": "No",
        },
    ),
    (
        "scale",
        {
            "key": "ease",
            "text": "How easy was it?",
            "required": True,
            "low": 1,
            "high": 5,
            "low_label": "hard",
            "high_label": "easy",
        },
    ),
    (
        "multiple_choice",
        {
            "key": "channels",
            "text": "How did you contact us?",
            "required": False,
            "options": ["Web", "Phone", "Counter"],
        },
    ),
]


def make_survey(*, agency=None, questions=None, parent=None, **kwargs) -> SurveyPage:
    """A live survey, open now for a week, added under ``parent`` (the default site's root
    page if None, so it has a URL)."""
    n = next(_n)
    fields = {
        "title": f"Survey {n}",
        "slug": f"survey-{n}",
        "agency": agency or OrganisationFactory(),
        "consent_text": "Your answers help the agency improve the service.",
        "opens_at": timezone.now() - timedelta(days=1),
        "closes_at": timezone.now() + timedelta(days=7),
        "questions": QUESTIONS if questions is None else questions,
    }
    fields.update(kwargs)
    if parent is None:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        parent = site.root_page if site else Page.get_first_root_node()
    page = parent.add_child(instance=SurveyPage(**fields))
    page.save_revision().publish()
    return SurveyPage.objects.get(pk=page.pk)


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """A signed-in citizen's answer with free text (what moderation may be asked to hide)."""

    class Meta:
        model = SurveyResponse

    survey = factory.LazyFunction(make_survey)
    persona = factory.SubFactory(PersonaFactory)
    account = factory.LazyAttribute(lambda r: r.persona.account)
    respondent = factory.Sequence(lambda n: f"respondent-{n}")
    answers = factory.LazyFunction(
        lambda: {"got_it": "No", "why_not": "The form timed out", "ease": 2}
    )
    consent_version = "abc"


MODERATION_REPORTERS = {
    "research.surveyresponse": lambda r: staff(Role.MODERATOR, r.survey.agency),
}


def panel_member(*, age_band: str = "", area: str = "", usage: str = "", **persona_kwargs):
    """A citizen (with a primary persona) in the research panel, consent given."""
    from community.actions import consent_set

    persona = PersonaFactory(**persona_kwargs)
    user = persona.account
    consent_set(user=user, purpose=ConsentPurpose.RESEARCH_INVITATIONS, granted=True)
    PanelMember.objects.create(
        user=user, consent_version="test", age_band=age_band, area=area, usage=usage
    )
    return user

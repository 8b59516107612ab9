"""Demo service experience: a quarter on every service, the Blue Badge failing "Plain
words", a jargon theme turned into a challenge; seeding twice changes nothing."""

import pytest

from cms import demo as cms_demo
from community import demo as community_demo
from community.models import Organisation
from ideas import demo as ideas_demo
from ideas.experience import demo, selectors
from ideas.experience.models import Feedback, Theme

pytestmark = pytest.mark.django_db


def test_demo_quarter_shows_a_service_failing_its_plain_words_promise_with_a_challenge():
    context = community_demo.seed({})
    context.update(cms_demo.seed(context) or {})
    context.update(ideas_demo.seed(context) or {})
    demo.seed(context)
    count = Feedback.objects.count()
    assert set(Feedback.objects.values_list("channel", flat=True)) == {"web", "sms", "counter"}
    transport = Organisation.objects.get(slug="northvale-transport")
    _total, rows = selectors.per_service(transport)
    badge = next(r for r in rows if r["service"].url.rstrip("/").endswith(demo.FAILING))
    plain = next(v for v in badge["brand_values"] if v["statement"] == demo.FAILING_VALUE)
    assert plain["failing"] and plain["kept_share"] < 40
    others = [v for r in rows if r is not badge for v in r["brand_values"]]
    assert others and not any(v["failing"] for v in others)
    theme = Theme.objects.get(label__icontains="jargon")
    assert theme.challenge is not None and theme.feedback.count() >= 4
    assert Theme.objects.filter(label__icontains="palabras").exists()  # the Spanish one
    demo.seed(context)
    assert Feedback.objects.count() == count

"""Pages: the feedback form on every service page (no JavaScript, anonymous or signed in),
the agency's dashboard and its CSV tables, the counter page, a theme into a challenge."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from community.models import Role
from community.tests.factories import OrganisationFactory, PersonaFactory, staff
from ideas.experience import services
from ideas.experience.models import Feedback, Theme
from ideas.experience.tests.factories import service_page

pytestmark = pytest.mark.django_db


def _form(page, **extra):
    values = {f"value_{v.pk}": "no" for v in page.brand_values.all()}
    return {"got_what_needed": "yes", "satisfaction": "2", **values, **extra}


def test_the_service_page_shows_the_feedback_form_with_a_question_per_brand_value(client):
    page = service_page(values=("Simple", "Quick"))
    html = client.get(page.url).content.decode()
    assert "Did you get what you needed?" in html
    assert "Did we keep our promise “Simple”?" in html and "“Quick”" in html
    assert reverse("experience:feedback", args=[page.pk]) in html
    assert 'name="csrfmiddlewaretoken"' in html and "csrf-token-slot" not in html


def test_an_anonymous_visitor_answers_without_javascript_and_a_second_answer_is_refused():
    client = Client(enforce_csrf_checks=False)
    page = service_page()
    url = reverse("experience:feedback", args=[page.pk])
    response = client.post(url, _form(page, comment="Too many steps"), follow=True)
    assert "Thank you for your feedback" in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.channel, feedback.account, feedback.satisfaction) == ("web", None, 2)
    assert feedback.answers.filter(kept=False).count() == 2
    assert client.cookies.get("sessionid"), "the visitor keeps one key: a session"
    again = client.post(url, _form(page, satisfaction="5"), REMOTE_ADDR="10.9.9.9")
    assert again.status_code == 400
    assert "already told us about this service today" in again.content.decode()
    assert Feedback.objects.get().satisfaction == 2


def test_a_missing_answer_reshows_the_form_with_the_reason_and_keeps_the_text(client):
    page = service_page()
    url = reverse("experience:feedback", args=[page.pk])
    response = client.post(url, {"comment": "Kept text", "satisfaction": "9"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Did you get what you needed?" in html and "Kept text" in html
    assert 'class="errorlist"' in html
    assert not Feedback.objects.exists()


def test_feedback_on_a_closed_service_is_refused_with_a_clear_page(client):
    page = service_page(publish=False)
    response = client.post(reverse("experience:feedback", args=[page.pk]), _form(page))
    assert response.status_code == 404
    assert "not taking feedback" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_signed_in_citizens_answer_is_theirs(client):
    page = service_page()
    citizen = PersonaFactory().account
    client.force_login(citizen)
    client.post(reverse("experience:feedback", args=[page.pk]), _form(page))
    assert Feedback.objects.get().account == citizen


def _answers(page, count, satisfaction=4, start=0):
    for i in range(count):
        services.feedback_submit(
            service_page_id=page.pk,
            channel="web",
            satisfaction=satisfaction,
            got_what_needed=True,
            respondent=f"r{page.pk}-{start + i}",
        )


def test_dashboard_shows_agency_staff_the_figures_and_query_count_stays_constant(
    client, django_assert_max_num_queries
):
    agency = OrganisationFactory()
    pages = [service_page(agency)]
    _answers(pages[0], 6)
    designer = staff(Role.SERVICE_DESIGNER, agency)
    client.force_login(designer)
    url = reverse("experience:dashboard", args=[agency.slug])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        html = client.get(url).content.decode()
    assert pages[0].title in html and "4.0" in html
    for _ in range(4):
        page = service_page(agency)
        _answers(page, 7, satisfaction=2)
        services.feedback_submit(
            service_page_id=page.pk,
            channel="web",
            satisfaction=1,
            got_what_needed=False,
            respondent=f"c{page.pk}",
            comment="The form was far too long and confusing",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(url).content.decode()
    assert "Themes in what people wrote" in html


def test_dashboard_and_csv_are_refused_to_citizens_and_other_agencies(client):
    agency = OrganisationFactory()
    url = reverse("experience:dashboard", args=[agency.slug])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(PersonaFactory().account)
    assert client.get(url).status_code == 403
    client.force_login(staff(Role.AGENCY_ADMIN, OrganisationFactory()))
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("experience:export", args=[agency.slug, "services"])).status_code == 403
    )


def test_csv_tables_keep_small_cells_suppressed(client):
    agency = OrganisationFactory()
    busy, quiet, other = service_page(agency), service_page(agency), service_page(agency)
    _answers(busy, 6)
    _answers(quiet, 2, satisfaction=1)
    _answers(other, 5)  # hidden too, so the quiet one cannot be worked out from the total
    client.force_login(staff(Role.MODERATOR, agency))
    body = client.get(reverse("experience:export", args=[agency.slug, "services"])).content.decode()
    lines = {line.split(",")[1]: line for line in body.strip().splitlines()[1:]}
    assert lines[quiet.title].endswith(",fewer than 5,,")
    assert lines[other.title].endswith(",not shown,,")
    assert lines[busy.title] == f"{busy.pk},{busy.title},6,4.0,100.0"
    for table in ("channels", "brand-values", "weeks"):
        response = client.get(reverse("experience:export", args=[agency.slug, table]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_counter_staff_record_an_answer_on_the_counter_page(client):
    agency = OrganisationFactory()
    page = service_page(agency)
    client.force_login(staff(Role.COUNTER_STAFF, agency))
    url = reverse("experience:counter")
    assert page.title in client.get(url).content.decode()
    assert "Did you get what you needed?" in client.get(f"{url}?service={page.pk}").content.decode()
    response = client.post(url, {"service": page.pk, **_form(page)}, follow=True)
    assert "The answer is recorded" in response.content.decode()
    assert Feedback.objects.get().channel == "counter"


def test_a_designer_turns_a_theme_into_a_challenge_from_its_page(client):
    agency = OrganisationFactory()
    page = service_page(agency)
    for i, text in enumerate(
        ["The form was far too long and confusing", "Confusing form, and too long"]
    ):
        services.feedback_submit(
            service_page_id=page.pk,
            channel="web",
            satisfaction=2,
            got_what_needed=False,
            respondent=f"t{i}",
            comment=text,
        )
    theme = Theme.objects.get()
    client.force_login(staff(Role.MODERATOR, agency))
    url = reverse("experience:theme", args=[theme.pk])
    assert "Start a challenge" not in client.get(url).content.decode()
    assert client.post(url, {"question": "How might we?"}).status_code == 403
    client.force_login(staff(Role.SERVICE_DESIGNER, agency))
    response = client.post(url, {"question": "How might we make the form shorter?"}, follow=True)
    theme.refresh_from_db()
    assert theme.challenge is not None
    html = response.content.decode()
    assert "How might we make the form shorter?" in html
    assert "started from what people told us about" in html  # the board says where from
    assert list(theme.challenge.feedback_themes.all()) == [theme]
    dashboard = client.get(reverse("experience:dashboard", args=[agency.slug])).content.decode()
    assert theme.challenge.get_absolute_url() in dashboard

"""Idea pages show what the permission predicates decide, for every kind of viewer.

The templates ask ``{% may %}`` (the rule itself), not ``user.has_perm`` (which says yes to
every superuser first): a superuser sees what the rules give them, no more.
"""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from community.moderation import actions as mod
from community.moderation.models import ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import UserFactory
from ideas.tests.factories import CommentFactory, IdeaFactory, close

pytestmark = pytest.mark.django_db


def _hide(obj, agency):
    mod.report_create(user=UserFactory(), obj=obj, reason="personal_data")
    case = ModerationCase.objects.get(object_id=obj.pk, content_type__model=obj._meta.model_name)
    staff = moderator(agency=agency)
    mod.case_decide(moderator=staff, case=case, version=1, action="hide", reason="personal_data")


def _page(client, user, idea):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    return client.get(idea.get_absolute_url()).content.decode()


def test_a_hidden_comment_shows_its_text_to_its_author_only(client):
    comment = CommentFactory(body="Jo lives at 12 Elm Road")
    _hide(comment, comment.idea.challenge.agency)
    idea = comment.idea
    assert "Elm Road" in _page(client, comment.persona.account, idea)
    for viewer in (None, UserFactory(), UserFactory(is_superuser=True), idea.persona.account):
        assert "Elm Road" not in _page(client, viewer, idea)


def test_a_hidden_idea_keeps_its_text_for_its_author_and_the_page_tells_the_script(client):
    idea = IdeaFactory(body="Call me on 0123 456 789 about the bus stop")
    _hide(idea, idea.challenge.agency)
    page = _page(client, idea.persona.account, idea)
    assert "bus stop" in page and 'data-reads-hidden="true"' in page
    page = _page(client, UserFactory(is_superuser=True), idea)
    assert "bus stop" not in page and 'data-reads-hidden="false"' in page


def test_the_report_links_are_for_signed_in_people_other_than_the_author(client):
    comment = CommentFactory()
    idea = comment.idea
    report_idea = reverse("moderation:report", args=["ideas.idea", idea.pk])
    report_comment = reverse("moderation:report", args=["ideas.comment", comment.pk])
    page = _page(client, UserFactory(), idea)
    assert report_idea in page and report_comment in page
    page = _page(client, idea.persona.account, idea)
    assert report_idea not in page and report_comment in page
    page = _page(client, comment.persona.account, idea)
    assert report_idea in page and report_comment not in page
    page = _page(client, None, idea)
    assert report_idea not in page and report_comment not in page


def test_a_closed_board_offers_no_support_controls_even_to_a_superuser(client):
    client.force_login(UserFactory(is_superuser=True))
    open_board = IdeaFactory().challenge.get_absolute_url()
    assert 'data-can-support="true"' in client.get(open_board).content.decode()
    idea = IdeaFactory()
    close(idea.challenge)
    page = client.get(idea.challenge.get_absolute_url()).content.decode()
    assert 'data-can-support="false"' in page and "data-support-form" not in page
    assert "data-support-form" not in client.get(idea.get_absolute_url()).content.decode()


def test_asking_an_unknown_permission_is_an_error_not_a_quiet_no():
    template = Template('{% load permission_tags %}{% may "ideas.suport_idea" user idea as ok %}')
    with pytest.raises(TemplateSyntaxError, match="suport_idea"):
        template.render(Context({"user": UserFactory(), "idea": None}))

"""The map partial and the board page's impressions: who may see a map, what it says
instead of a map, small groups suppressed, and reads that do not grow with the votes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.models import Idea
from ideas.opinion.models import BoardImpression, OpinionMap
from ideas.opinion.tests.factories import compute_now, planted_board
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _partial(challenge):
    return reverse("opinion:map_partial", args=["board", challenge.pk])


def test_only_the_agencys_staff_may_read_a_boards_map(client):
    challenge = ChallengeFactory()
    assert client.get(_partial(challenge)).status_code == 302  # sign in first
    for outsider in (UserFactory(), staff(Role.AGENCY_ADMIN, OrganisationFactory())):
        client.force_login(outsider)
        assert client.get(_partial(challenge)).status_code == 403
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    assert client.get(_partial(challenge)).status_code == 200


def test_an_unknown_kind_of_map_is_not_found(client):
    client.force_login(UserFactory())
    assert client.get(reverse("opinion:map_partial", args=["nothing", 1])).status_code == 404


def test_a_board_whose_impressions_are_unknown_says_so_instead_of_a_map(client):
    challenge = ChallengeFactory()
    IdeaFactory.create_batch(3, challenge=challenge)
    compute_now("board", challenge.pk)
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    assert "yet know which ideas people saw on this board, so there is no map yet" in page
    assert "<svg" not in page.split("<main", 1)[1]


def test_a_board_nobody_voted_on_yet_says_not_enough_votes(client):
    challenge = ChallengeFactory()
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    assert "Not enough votes yet" in page


def test_the_map_shows_groups_what_they_think_and_common_ground_naming_nobody(client):
    challenge, _ideas = planted_board([(6, [0, 1, 2, 5]), (6, [3, 4, 5])])
    compute_now("board", challenge.pk)
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    main = page.split("<main", 1)[1].split("</main>")[0]
    assert "Group 1" in main and "Group 2" in main
    assert "Common ground" in main and "Idea 5 — 100% of the 12 who saw it agree" in main
    assert "Idea 0 — 100% of the group agree" in main
    assert "<svg" in main and "<title" in main and "<desc" in main
    people = BoardImpression.objects.select_related("user")
    assert not any(p.user.email in page or p.user.username in main for p in people)


def test_a_group_smaller_than_the_minimum_cell_shows_neither_its_size_nor_its_views(client):
    challenge, _ideas = planted_board([(6, [0, 1, 2]), (6, [3, 4, 5])])
    row = compute_now("board", challenge.pk)
    # The stored map as the engine would store a group of three (Pol.is keeps small groups).
    small = row.result["groups"][1]
    assert small["representative"]
    small["size"] = 3
    OpinionMap.objects.filter(pk=row.pk).update(result=row.result)
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    page = client.get(_partial(challenge)).content.decode()
    assert "fewer than 5" in page
    assert "Too few people to show what they think." in page
    titles = dict(Idea.objects.values_list("pk", "title"))

    def lines(group):
        return [
            f"{titles[r['statement']]} — 100% of the group agree" for r in group["representative"]
        ]

    assert not any(line in page for line in lines(small))
    assert lines(row.result["groups"][0])
    assert all(line in page for line in lines(row.result["groups"][0])), page


def test_the_map_page_reads_a_stored_map_in_the_same_queries_however_many_voted(client):
    challenge, _ideas = planted_board([(5, [0, 1, 2]), (5, [3, 4, 5])])
    compute_now("board", challenge.pk)
    client.force_login(staff(Role.MODERATOR, challenge.agency))
    urls = [reverse("insight:opinion_map", args=[challenge.pk]), _partial(challenge)]
    for url in urls:
        client.get(url)
    few = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        few.append(len(queries))
    planted_board([(40, [0, 1, 2]), (40, [3, 4, 5, 1])], challenge=challenge)
    # 80 more people, on six more ideas: more groups, statements and labels to show
    compute_now("board", challenge.pk)
    for url, before in zip(urls, few, strict=True):
        with CaptureQueriesContext(connection) as queries:
            assert "Group 1" in client.get(url).content.decode()
        assert len(queries) == before, url


def test_the_board_page_records_what_a_signed_in_person_was_shown(client):
    challenge = ChallengeFactory()
    shown = IdeaFactory.create_batch(3, challenge=challenge)
    client.get(reverse("ideas:board", args=[challenge.pk]))
    assert not BoardImpression.objects.exists()  # anonymous visitors leave nothing
    user, _persona = citizen()
    client.force_login(user)
    client.get(reverse("ideas:board", args=[challenge.pk]))
    assert BoardImpression.objects.get(user=user).ideas == sorted(i.pk for i in shown)

"""Similar-idea search behind one interface."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Role
from community.tests.factories import staff
from ideas import actions
from ideas.similarity import similar_ideas, tokens
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


def test_tokens_drop_stop_words_and_stem_in_english_and_spanish():
    assert tokens("The buses and the bus stops!") == ["bus", "buse", "bus", "stop", "stops"]
    assert tokens("Los contenedores") == ["contenedor"]


def test_finds_similar_ideas_in_spanish_with_accents_and_plurals():
    board = ChallengeFactory()
    bins = IdeaFactory(
        challenge=board, title="Más contenedores de reciclaje", body="En cada calle del barrio."
    )
    IdeaFactory(challenge=board, title="Bancos en el parque", body="Para descansar.")
    assert similar_ideas(challenge=board, text="un contenedor de reciclaje") == [bins]


def test_finds_the_closest_ideas_on_the_same_board_only():
    board = ChallengeFactory()
    screens = IdeaFactory(
        challenge=board, title="Live arrival screens at bus stops", body="Show the next buses."
    )
    IdeaFactory(challenge=board, title="Cheaper evening parking", body="Lower charges after 6pm.")
    IdeaFactory(title="Live arrival screens at bus stops", body="Same text, other board")
    found = similar_ideas(challenge=board, text="screens showing live bus arrivals")
    assert found == [screens]
    assert 0 < found[0].similarity <= 1


def test_unrelated_or_empty_text_finds_nothing():
    board = ChallengeFactory()
    IdeaFactory(challenge=board, title="Food waste caddies", body="Weekly collection")
    assert similar_ideas(challenge=board, text="") == []
    assert similar_ideas(challenge=board, text="the and of") == []
    assert similar_ideas(challenge=board, text="library opening hours") == []


def test_limit_and_exclusion():
    board = ChallengeFactory()
    ideas = [
        IdeaFactory(challenge=board, title=f"Bench at bus stop {n}", body="Benches")
        for n in range(4)
    ]
    assert len(similar_ideas(challenge=board, text="bench bus stop", limit=2)) == 2
    found = similar_ideas(challenge=board, text="bench bus stop", exclude_id=ideas[0].pk)
    assert ideas[0] not in found


def test_index_notices_new_and_merged_ideas():
    board = ChallengeFactory()
    first = IdeaFactory(challenge=board, title="Recycling bins for flats", body="Communal bins")
    assert similar_ideas(challenge=board, text="recycling bins flats") == [first]
    second = IdeaFactory(challenge=board, title="Recycling bins in flats blocks", body="Bins")
    assert set(similar_ideas(challenge=board, text="recycling bins flats")) == {first, second}
    actions.idea_merge(user=staff(Role.MODERATOR, board.agency), duplicate=second, survivor=first)
    assert similar_ideas(challenge=board, text="recycling bins flats") == [first]


def test_query_count_does_not_grow_with_the_board():
    def count(n):
        board = ChallengeFactory()
        for i in range(n):
            IdeaFactory(challenge=board, title=f"Bus shelter number {i}", body="Shelter seats")
        with CaptureQueriesContext(connection) as queries:
            similar_ideas(challenge=board, text="bus shelter seats")
        return len(queries)

    assert count(3) == count(25) <= 3

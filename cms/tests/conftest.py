import pytest

from cms.tests.factories import make_home, make_index


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def index(home):
    return make_index(home)

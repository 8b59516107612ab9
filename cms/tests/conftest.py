import pytest

from cms.tests.factories import make_home, make_index
from community.tests.cache_calls import cache_calls  # noqa: F401 (a fixture for the tests here)


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def index(home):
    return make_index(home)

"""Who may do what on a board, per role (decisions documented in ideas/permissions.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas import permissions
from ideas.tests.factories import ChallengeFactory, IdeaFactory, close, move_to_review

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "citizen",
    "moderator",
    "editor",
    "designer",
    "agency_admin",
    "designer_elsewhere",
    "superuser",
]

# role → (run challenges, respond to ideas, merge, post, support)
EXPECTED = {
    "anonymous": (False, False, False, False, False),
    "citizen": (False, False, False, True, True),
    "moderator": (False, False, True, True, True),
    "editor": (False, False, False, True, True),
    "designer": (True, True, True, True, True),
    "agency_admin": (True, True, True, True, True),
    "designer_elsewhere": (False, False, False, True, True),
    "superuser": (True, True, True, True, True),
}


def _user(role, agency):
    if role == "anonymous":
        return AnonymousUser()
    if role == "citizen":
        return UserFactory()
    if role == "superuser":
        return UserFactory(is_superuser=True)
    if role == "designer_elsewhere":
        return staff(Role.SERVICE_DESIGNER, OrganisationFactory())
    return staff(
        {
            "moderator": Role.MODERATOR,
            "editor": Role.EDITOR,
            "designer": Role.SERVICE_DESIGNER,
            "agency_admin": Role.AGENCY_ADMIN,
        }[role],
        agency,
    )


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role):
    idea = IdeaFactory()
    agency = idea.challenge.agency
    user = _user(role, agency)
    got = (
        permissions.can_run_challenges(user, agency),
        permissions.can_respond(user, idea),
        permissions.can_merge(user, idea),
        permissions.can_post(user, idea.challenge),
        permissions.can_support(user, idea),
    )
    assert got == EXPECTED[role]


def test_unpublished_challenges_are_visible_to_their_agency_staff_only():
    challenge = ChallengeFactory(is_published=False)
    assert not permissions.can_view_challenge(UserFactory(), challenge)
    assert not permissions.can_post(UserFactory(), challenge)
    assert permissions.can_view_challenge(staff(Role.SERVICE_DESIGNER, challenge.agency), challenge)


def test_phases_decide_posting_supporting_and_commenting():
    idea = IdeaFactory()
    user = UserFactory()
    assert permissions.can_post(user, idea.challenge)
    move_to_review(idea.challenge)
    assert not permissions.can_post(user, idea.challenge)
    assert permissions.can_support(user, idea) and permissions.can_comment(user, idea)
    close(idea.challenge)
    assert not permissions.can_support(user, idea)
    assert not permissions.can_comment(user, idea)


def test_inactive_accounts_cannot_take_part():
    idea = IdeaFactory()
    user = UserFactory(is_active=False)
    assert not permissions.can_support(user, idea)
    assert not permissions.can_comment(user, idea)
    assert not permissions.can_post(user, idea.challenge)


def test_only_the_author_may_edit_and_only_while_submitted():
    idea = IdeaFactory()
    assert permissions.can_edit_idea(idea.persona.account, idea)
    assert not permissions.can_edit_idea(UserFactory(), idea)
    idea.status = "accepted"
    assert not permissions.can_edit_idea(idea.persona.account, idea)

"""Every write on idea boards, one module per concern. Views, the board consumer, the API, the
SMS handler (:mod:`ideas.sms`), the admin, ``ideas.backlog`` and the demo call these.

Each action is keyword-only and typed, and is a *check* then a *do*: it asks
:mod:`ideas.permissions`, validates (``ValidationError`` with a message people can act on;
nothing is written) and locks what it changes, then writes inside ``transaction.atomic``,
records what must be recorded (revisions, status changes, insight events, screening) and
publishes its board event with :func:`realtime.events.publish`, which sends only after commit.
Payloads are built in :mod:`ideas.events`.

=====================  ===============================================================
module                 actions
=====================  ===============================================================
``challenges``         :func:`challenge_create`
``ideas``              :func:`idea_create`, :func:`idea_update`, :func:`idea_follow`,
                       :func:`idea_unfollow`
``support``            :func:`vote_cast`, :func:`vote_withdraw`
``comments``           :func:`comment_create`, :func:`comment_update`
``status``             :func:`idea_set_status`, :func:`idea_status_follow_backlog`
``merge``              :func:`idea_merge`
``assisted``           :func:`idea_create_assisted`, :func:`vote_cast_assisted`
``checks``             validation, the acting persona and row locks shared by the above
=====================  ===============================================================

``from ideas import actions`` then ``actions.vote_cast(...)``: every action is importable
from the package itself.
"""

from ideas.actions.assisted import idea_create_assisted, vote_cast_assisted
from ideas.actions.challenges import challenge_create
from ideas.actions.comments import comment_create, comment_update
from ideas.actions.ideas import idea_create, idea_follow, idea_unfollow, idea_update
from ideas.actions.merge import idea_merge
from ideas.actions.status import idea_set_status, idea_status_follow_backlog
from ideas.actions.support import vote_cast, vote_withdraw

__all__ = [
    "challenge_create",
    "comment_create",
    "comment_update",
    "idea_create",
    "idea_create_assisted",
    "idea_follow",
    "idea_merge",
    "idea_set_status",
    "idea_status_follow_backlog",
    "idea_unfollow",
    "idea_update",
    "vote_cast",
    "vote_cast_assisted",
    "vote_withdraw",
]

"""Every write on backlogs, one module per concern. Views, the backlog board consumer, the
inbound tracker webhook, co-design outcomes and the demo call these.

Each action is keyword-only and a *check* then a *do*: it asks
:mod:`ideas.backlog.permissions`, validates (``ValidationError``; nothing is written) and
locks the items it moves, then writes inside ``transaction.atomic``, records a
:class:`~ideas.backlog.models.BacklogHistory` row per changed field, publishes the board event
after commit and queues a signed webhook delivery for the agency's tracker.

=================  ===================================================================
module             actions
=================  ===================================================================
``items``          :func:`item_create`, :func:`item_update`, :func:`promote_idea`,
                   :func:`item_link`
``transitions``    :func:`item_transition`, :func:`item_bulk_transition` (the roadmap)
``webhooks``       :func:`webhook_configure`, :func:`tracker_set_status`
``loop``           closing the loop: :func:`participants`, who hears of a change
``records``        history rows, board events, queued tracker deliveries
``checks``         permission and field checks shared by the above
=================  ===================================================================
"""

from ideas.backlog.actions.checks import EDITABLE, FACTORS
from ideas.backlog.actions.items import item_create, item_link, item_update, promote_idea
from ideas.backlog.actions.loop import IDEA_STATUS_FOR, participants
from ideas.backlog.actions.transitions import item_bulk_transition, item_transition
from ideas.backlog.actions.webhooks import tracker_set_status, webhook_configure

__all__ = [
    "EDITABLE",
    "FACTORS",
    "IDEA_STATUS_FOR",
    "item_bulk_transition",
    "item_create",
    "item_link",
    "item_transition",
    "item_update",
    "participants",
    "promote_idea",
    "tracker_set_status",
    "webhook_configure",
]

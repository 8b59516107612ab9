"""The service-experience stream: an agency's service figures, live (docs/realtime.md,
"Service experience"). Data is already suppressed: small cells travel as "fewer than 5"."""

from __future__ import annotations

from realtime.events import declare
from realtime.groups import stream
from realtime.schema import INT, STR, arr, null, obj

SERVICE_ROW = obj(
    id=INT,
    responses=STR,
    satisfaction=null(STR),
    got_share=null(STR),
)

FIGURES = declare(
    "experience.figures",
    "Feedback arrived on one of an agency's services; data is every service's new figures "
    "(suppressed, as shown on the dashboard).",
    schema=obj(service=INT, services=arr(SERVICE_ROW)),
)


def experience_stream(agency_id: int) -> str:
    return stream("experience", agency_id)

"""A board's map: its public ideas with a point, filtered by district and status, and the
same ideas as a list (the path for people who do not use maps)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from community.places import geojson
from community.places import selectors as place_selectors
from community.places.layers import LAYER_LIMIT
from ideas import permissions, selectors
from ideas.models import Challenge, Status
from ideas.places import idea_item, public_placed_ideas


def board_map(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        challenge = selectors.challenge_for_board(pk)
    except Challenge.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    districts = place_selectors.districts()
    district = next((d for d in districts if d.slug == request.GET.get("district")), None)
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    rows = public_placed_ideas(challenge=challenge, district=district, status=status)
    items = [idea_item(idea) for idea in rows[:LAYER_LIMIT]]
    return render(
        request,
        "ideas/board_map.html",
        {
            "challenge": challenge,
            "districts": districts,
            "district": district,
            "status": status,
            "statuses": Status.choices,
            "items": items,
            "limit": LAYER_LIMIT,
            "points": geojson.feature_collection(
                (i.latitude, i.longitude, i.properties()) for i in items
            ),
            "district_outlines": geojson.district_collection(districts),
        },
    )

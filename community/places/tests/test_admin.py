"""Districts in the Django admin: agency staff paste or upload GeoJSON, checked by the same
actions; other agencies' staff neither see nor change them."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.models import Role
from community.places.models import District
from community.places.tests.factories import DistrictFactory, square
from community.tests.factories import OrganisationFactory, staff

pytestmark = pytest.mark.django_db

ADD = "/django-admin/places/district/add/"
BOX = {"type": "Polygon", "coordinates": [square(-1.2, 53.2, -1.1, 53.3)]}


@pytest.fixture
def agency():
    return OrganisationFactory(name="Planning", slug="planning")


@pytest.fixture
def planner(agency):
    return staff(Role.AGENCY_ADMIN, agency, is_staff=True)


def _form(agency, **values):
    return {
        "organisation": agency.pk,
        "name": "Old Town",
        "slug": "old-town",
        "boundary": json.dumps(BOX),
        "translations": "{}",
        **values,
    }


def test_agency_staff_paste_a_boundary(client, agency, planner):
    client.force_login(planner)
    response = client.post(ADD, _form(agency))
    assert response.status_code == 302, response.content.decode()[:2000]
    district = District.objects.get(slug="old-town")
    assert district.boundary == BOX and district.organisation == agency
    assert str(district.min_latitude) == "53.200000"


def test_an_uploaded_file_is_used_and_a_broken_one_refused_with_the_reason(client, agency, planner):
    client.force_login(planner)
    feature = {"type": "Feature", "properties": {}, "geometry": BOX}
    upload = SimpleUploadedFile("d.geojson", json.dumps(feature).encode())
    response = client.post(ADD, _form(agency, boundary="", boundary_file=upload))
    assert response.status_code == 302
    broken = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}
    upload = SimpleUploadedFile("d.geojson", json.dumps(broken).encode())
    response = client.post(ADD, _form(agency, slug="broken", boundary="", boundary_file=upload))
    assert response.status_code == 200
    assert "is not closed" in response.content.decode()
    assert not District.objects.filter(slug="broken").exists()


def test_other_agencies_staff_do_not_see_or_change_it(client, agency):
    district = DistrictFactory(organisation=agency, name="Harbour", slug="harbour")
    other = staff(Role.AGENCY_ADMIN, OrganisationFactory(), is_staff=True)
    client.force_login(other)
    listing = client.get("/django-admin/places/district/")
    assert listing.status_code == 200 and "Harbour" not in listing.content.decode()
    change = client.get(f"/django-admin/places/district/{district.pk}/change/")
    assert change.status_code in (302, 403, 404)
    response = client.post(ADD, _form(agency, slug="sneaky"))
    assert response.status_code == 200  # the agency is not among their choices
    assert not District.objects.filter(slug="sneaky").exists()

"""The shape of community's writes: actions packages, no module over ~400 lines, no
``services`` module left, and the decisions they ask in ``community.permissions``."""

import importlib
from pathlib import Path

import pytest

from community import permissions
from community.models import Organisation, Role
from community.tests.factories import IntermediaryFactory, OrganisationFactory, staff

PACKAGES = ["community.actions", "community.moderation.actions", "community.exchange.actions"]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_action_module_grows_past_about_400_lines(package):
    folder = Path(importlib.import_module(package).__file__).parent
    sizes = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert sizes and all(n <= 420 for n in sizes.values()), sizes


@pytest.mark.parametrize("package", PACKAGES)
def test_every_exported_name_is_there(package):
    module = importlib.import_module(package)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert not missing


@pytest.mark.parametrize("app", ["community", "community.moderation", "community.exchange"])
def test_no_services_module_is_left_behind(app):
    folder = Path(importlib.import_module(app).__file__).parent
    assert (folder / "actions" / "__init__.py").exists()
    assert not (folder / "services.py").exists() and not (folder / "services").exists()


@pytest.mark.django_db
def test_only_staff_of_an_agency_speak_for_it():
    transport = OrganisationFactory(name="Northvale Transport", slug="northvale-transport")
    parks = OrganisationFactory(name="Northvale Parks", slug="northvale-parks")
    riverside = IntermediaryFactory()
    moderator = staff(Role.MODERATOR, transport)
    volunteer = staff(Role.MEMBER, riverside)
    assert transport.kind == Organisation.Kind.AGENCY
    assert permissions.speaks_for_agency(moderator, transport)
    assert not permissions.speaks_for_agency(moderator, parks)
    assert not permissions.speaks_for_agency(moderator, None)
    assert not permissions.speaks_for_agency(volunteer, riverside)  # not an agency

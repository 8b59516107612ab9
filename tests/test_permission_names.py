"""The named permissions: one scheme, no clash with Django's, asked the same way everywhere.

Every decision in the apps' ``permissions.py`` is registered with ``rules.add_perm`` as
``<app label>.<verb>_<noun>``. A name shaped like Django's own model permissions
(``add_/change_/delete_/view_<model>``) would be answered by our predicate wherever Django asks
for the model permission (the admin asks with no object), so none may be.
"""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from rules.permissions import permissions as registry

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.tests.factories import IdeaFactory, close

NAME = re.compile(r"^(?P<app>[a-z_]+)\.(?P<verb>[a-z]+)_(?P<noun>[a-z_]+)$")
DECISION_MODULES = (
    "community.permissions",
    "community.exchange.permissions",
    "community.moderation.permissions",
    "community.places.permissions",
    "ideas.permissions",
    "ideas.backlog.permissions",
    "ideas.insight.permissions",
)


def test_every_permission_name_follows_the_scheme_and_names_an_installed_app():
    labels = {config.label for config in apps.get_app_configs()}
    assert len(registry) >= 30
    for name in registry:
        match = NAME.match(name)
        assert match, name
        assert match["app"] in labels, name


def test_no_permission_name_is_a_django_model_permission():
    django_style = {
        f"{model._meta.app_label}.{action}_{model._meta.model_name}"
        for model in apps.get_models()
        for action in model._meta.default_permissions
    }
    assert not django_style & set(registry)


@pytest.mark.parametrize("module", DECISION_MODULES)
def test_each_decision_module_registers_names_for_its_own_app(module):
    from importlib import import_module

    label = apps.get_containing_app_config(module).label
    predicates = {id(value) for value in vars(import_module(module)).values()}
    own = [name for name in registry if name.startswith(f"{label}.")]
    assert own, module
    assert all(id(registry[name]) in predicates for name in own)


@pytest.mark.django_db
def test_user_has_perm_asks_the_same_predicates_for_scoped_staff():
    idea = IdeaFactory()
    agency = idea.challenge.agency
    designer = staff(Role.SERVICE_DESIGNER, agency)
    elsewhere = staff(Role.SERVICE_DESIGNER, OrganisationFactory())
    assert designer.has_perm("backlog.manage_backlog", agency)
    assert designer.has_perm("ideas.respond_to_idea", idea)
    assert not elsewhere.has_perm("backlog.manage_backlog", agency)
    assert not elsewhere.has_perm("ideas.respond_to_idea", idea)
    assert not AnonymousUser().has_perm("ideas.support_idea", idea)
    citizen = UserFactory()
    assert citizen.has_perm("ideas.support_idea", idea)
    close(idea.challenge)
    assert not citizen.has_perm("ideas.support_idea", idea)


@pytest.mark.django_db
def test_the_admin_still_reads_django_model_permissions():
    user = UserFactory(is_staff=True)
    assert not user.has_perm("ideas.view_challenge")
    assert not user.has_module_perms("ideas")

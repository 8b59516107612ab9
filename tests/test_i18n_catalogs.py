"""Merged translation catalogs (config.i18n) answer every lookup as Django's unmerged stack."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from config import i18n

ROOT = Path(__file__).resolve().parent.parent


def _plural(catalog, msgid, count):
    try:
        return catalog.plural(msgid, count)
    except KeyError:  # no catalog has that form: the caller falls back to the msgid
        return None


def _build(language: str, update) -> trans_real.DjangoTranslation:
    with mock.patch.object(trans_real.TranslationCatalog, "update", update):
        return trans_real.DjangoTranslation(language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_merged_catalogs_translate_every_message_as_the_unmerged_stack(language):
    merged = _build(language, i18n._update)._catalog
    stacked = _build(language, i18n.DJANGO_UPDATE)._catalog
    assert len(merged._catalogs) < len(stacked._catalogs)
    keys = set(stacked.keys())
    assert language == "en" or len(keys) > 1000  # the Spanish catalogs are really there
    for key in keys:
        assert merged.get(key) == stacked.get(key), key
    for key in keys:
        if isinstance(key, tuple):
            for count in (0, 1, 2, 5, 21):
                assert _plural(merged, key[0], count) == _plural(stacked, key[0], count), key


def test_the_running_process_uses_the_merged_catalogs():
    assert trans_real.TranslationCatalog.update is i18n._update
    # Django's own Spanish. Through names, so makemessages does not take them for ours.
    log_out, minute, minutes = "Log out", "%(num)d minute", "%(num)d minutes"
    with translation.override("es"):
        assert translation.gettext(log_out) != log_out
        assert translation.ngettext(minute, minutes, 2) == "%(num)d minutos"


def test_the_catalog_fix_is_installed_by_the_project_not_by_an_app():
    """config installs its own start-up fixes; apps never import config (GUIDE.md)."""
    from django.conf import settings

    assert settings.INSTALLED_APPS[0] == "config.apps.ProjectConfig"
    assert trans_real.TranslationCatalog.update is i18n._update
    for app in ("community", "ideas", "cms", "realtime", "api"):
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            text = path.read_text()
            assert "from config import" not in text and "import config." not in text, path

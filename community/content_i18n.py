"""Official content in the visitor's language, for content that lives in models.

CMS pages and snippets are translated with ``wagtail.contrib.simple_translation`` (a copy per
locale, see docs/cms.md). Agencies, challenges, backlog items and their public updates are
ordinary models that other rows point to, so a copy per language would split their
relations; instead each keeps its Spanish (or any other language's) text beside the
original, in one ``translations`` JSON field: ``{"es": {"question": "¿Cómo podríamos …?"}}``.

:func:`translated_fields` makes the listed fields read in the active language: reading
``challenge.question`` while Spanish is active gives the Spanish text when there is one, the
original otherwise — so every template, feed and API response follows the visitor's language
without asking. Writes and the database never see a translation: ``save()``, ``full_clean()``
and model forms read the stored original (the field's ``pre_save``/``value_from_object`` read
the instance's own value), queries filter on the original column, and an edit form fills its
initial values inside ``with originals():`` so a Spanish-speaking editor edits the original.
"""

from __future__ import annotations

import contextlib
import functools
from contextvars import ContextVar

from django.conf import settings
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import get_language

TRANSLATIONS_FIELD = "translations"
_originals: ContextVar[bool] = ContextVar("content_originals", default=False)


@contextlib.contextmanager
def originals():
    """Inside this block translated fields read their stored originals."""
    token = _originals.set(True)
    try:
        yield
    finally:
        _originals.reset(token)


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def translation_of(instance, attname: str, language: str | None = None) -> str | None:
    """The stored translation of one field, or None (the original is then shown)."""
    if _originals.get():
        return None
    language = language or _language()
    if language == settings.LANGUAGE_CODE.split("-")[0]:
        return None
    translations = instance.__dict__.get(TRANSLATIONS_FIELD) or {}
    value = (translations.get(language) or {}).get(attname)
    return value if isinstance(value, str) and value.strip() else None


class TranslatedAttribute(DeferredAttribute):
    """Reads the active language's translation; writes always set the original."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        translated = translation_of(instance, self.field.attname)
        return value if translated is None else translated

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


def translated_fields(*names: str):
    """Class decorator: ``@translated_fields("name", "description")`` on a model that has a
    ``translations`` JSONField."""

    def decorate(model):
        for name in names:
            field = model._meta.get_field(name)
            attname = field.attname
            setattr(model, attname, TranslatedAttribute(field))

            def stored(obj, *_args, _attname=attname):
                return obj.__dict__.get(_attname)

            field.pre_save = lambda obj, add, _stored=stored: _stored(obj)
            field.value_from_object = stored
        for method in ("save", "full_clean", "clean_fields", "validate_unique"):
            setattr(model, method, _on_originals(getattr(model, method)))
        model.translated_field_names = tuple(names)
        return model

    return decorate


def _on_originals(method):
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        with originals():
            return method(*args, **kwargs)

    return wrapper

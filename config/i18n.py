"""Translation lookups that walk one catalog per plural rule, not one per installed package.

Django keeps a language's messages as a stack of catalogs (``TranslationCatalog``): each
package's catalog is merged into the top one when both use the same plural rule, otherwise
pushed on top, and a lookup walks the stack until it finds the message. In Django 6.1 the
merge test compares the new rule's *code* with the top rule *function*
(``trans.plural.__code__ == self._plurals[0]``), which is never equal, so nothing is merged:
with this project's apps English has 23 catalogs and Spanish 25, and every ``gettext`` of a
message the top catalog lacks (all of them in English, the source language) misses in each
before falling back; every ``ngettext`` also calls each catalog's plural function. On a board
page (about 100 translated strings and 80 plural forms per request, most in relative times)
that was a sixth of the request (docs/performance.md).

:func:`install` applies the intended rule: merge when the plural functions' code is equal.
Precedence is unchanged: a catalog still wins over every catalog loaded before it, because it
is merged only into the top one.
"""

from __future__ import annotations

from django.utils.translation import trans_real

DJANGO_UPDATE = trans_real.TranslationCatalog.update


def _update(self, trans) -> None:
    if trans.plural.__code__ == self._plurals[0].__code__:
        self._catalogs[0].update(trans._catalog)
    else:
        self._catalogs.insert(0, trans._catalog.copy())
        self._plurals.insert(0, trans.plural)


def install() -> None:
    """Use the merging ``update`` from now on; translations already loaded are reloaded."""
    if trans_real.TranslationCatalog.update is _update:
        return
    trans_real.TranslationCatalog.update = _update
    trans_real._translations = {}
    trans_real._default = None

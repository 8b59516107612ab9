"""Folding persona names so look-alikes collide: "Amara O.", "amara 0" and "\u0410mara O" (with a
Cyrillic A, U+0410) are one.

A persona name must not pass for another persona or for staff. Comparing raw text misses
case, spacing, punctuation, accents, width variants, letters from other scripts that look
like Latin ones, and digit-for-letter swaps, so names are compared by :func:`name_key`
(stored on ``Persona.name_key`` with a unique constraint) and staff words by :func:`words`.

Look-alikes across scripts come from the Unicode confusable *skeleton* of UTS #39 (Unicode's
``confusables.txt``), as ICU implements it (PyICU's ``SpoofChecker.getSkeleton``): two
strings that look the same have the same skeleton ("\u0410dmin", Cyrillic A, and "admin"; "m" and "rn").
On top of it: case folding, accents dropped, and the digit-for-letter swaps people type
to dodge a filter ("St4ff") that UTS #39 does not list. Letters and digits of every script
are kept, so names written only in Arabic or Chinese have a key like any other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

# Digits and symbols swapped for letters to pass as someone else, beyond UTS #39's list
# (which already reads "0" as "o", "1" and "|" as "l").
_LOOKALIKES = str.maketrans({"3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "$": "s"})
# The skeleton reads "1", "|", "I" and "l" all as "l"; in a staff word it may stand for "i"
# ("Adm1n"), so reserved-word checks try that reading as well.
_LOOKALIKES_I = str.maketrans({**{chr(k): v for k, v in _LOOKALIKES.items()}, "l": "i"})
_WORD = re.compile(r"[^\W_]+")
_checker = icu.SpoofChecker()


def skeleton(text: str) -> str:
    """The UTS #39 confusable skeleton of ``text`` (ICU)."""
    return _checker.getSkeleton(0, text)


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    # Skeleton before case folding (Greek capital Mu looks like M, its small form does not),
    # and again after it, because the skeleton maps to prototypes of either case ("0" -> "O").
    normal = unicodedata.normalize("NFKC", text or "")
    shape = skeleton(skeleton(normal).casefold()).casefold()
    shape = unicodedata.normalize("NFD", shape)
    return "".join(c for c in shape if not unicodedata.combining(c))


def fold(text: str, *, table: dict = _LOOKALIKES) -> str:
    """Lower-case letters of any script with look-alikes, accents and widths folded."""
    return _folded(text).translate(table)


def name_key(text: str) -> str:
    """The comparison key of a display name: letters and digits only, folded."""
    return "".join(_WORD.findall(fold(text)))[:60]


def words(text: str) -> list[str]:
    """Folded words of a name under every reading, for reserved-word checks ("Adm1n").

    Compare them with words folded the same way (``name_key(word)``), not plain ASCII.
    """
    found: list[str] = []
    for table in (_LOOKALIKES, _LOOKALIKES_I):
        for word in _WORD.findall(fold(text, table=table)):
            if word not in found:
                found.append(word)
    return found


def reserved_keys(reserved: frozenset[str] | set[str]) -> frozenset[str]:
    """Reserved words folded as :func:`words` folds a name, under every reading."""
    return frozenset(w for word in reserved for w in words(word))

"""Folding persona names so look-alikes collide: "Amara O.", "amara o" and "AMARA 0" are one.

A persona name must not pass for another persona or for staff. Comparing raw text misses
case, spacing, punctuation, accents, full-width letters and digit-for-letter swaps, so names
are compared by :func:`name_key` (stored on ``Persona.name_key`` with a unique constraint).
"""

from __future__ import annotations

import re
import unicodedata

# Digits and symbols commonly swapped for letters to pass as someone else.
_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "|": "l", "$": "s"}
)
# "1" and "|" pass for "i" as well as "l": reserved-word checks try both readings.
_LOOKALIKES_I = str.maketrans({**{chr(k): v for k, v in _LOOKALIKES.items()}, "1": "i", "|": "i"})
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def fold(text: str, *, table: dict = _LOOKALIKES) -> str:
    """Lower-case ASCII-ish letters with accents, width variants and look-alike digits folded."""
    normal = unicodedata.normalize("NFKD", text or "")
    without_marks = "".join(c for c in normal if not unicodedata.combining(c))
    return without_marks.casefold().translate(table)


def name_key(text: str) -> str:
    """The comparison key of a display name: letters and digits only, folded."""
    return _NOT_ALNUM.sub("", fold(text))[:60]


def words(text: str) -> list[str]:
    """Folded words of a name under every reading, for reserved-word checks ("Adm1n")."""
    found: list[str] = []
    for table in (_LOOKALIKES, _LOOKALIKES_I):
        for word in re.findall(r"[a-z0-9]+", fold(text, table=table)):
            if word not in found:
                found.append(word)
    return found

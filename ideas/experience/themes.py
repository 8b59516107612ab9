"""Free-text answers grouped into themes as they arrive (English and Spanish alike).

Texts are compared as the site search analyses them (``ideas.similarity.tokens``: case and
accents folded, stop words of both languages dropped, every word stemmed in both), weighted
by TF-IDF over the service's recent comments, by cosine similarity. A new comment joins the
theme of the most similar comment already in one when that similarity reaches
``THEME_SIMILARITY``; otherwise, if it is that similar to a comment in no theme yet, the two
start a new theme. Grouping is single-link and incremental: a theme never splits or moves
under a reader, so a theme promoted into a challenge keeps its comments.
"""

from __future__ import annotations

import math
from collections import Counter

from ideas.experience.conf import setting
from ideas.experience.models import Feedback, Theme
from ideas.similarity import tokens

LABEL_MAX = 160


def _vectors(docs: dict[int, Counter]) -> dict[int, dict[str, float]]:
    n = len(docs)
    df: Counter = Counter()
    for counts in docs.values():
        df.update(counts.keys())
    idf = {t: math.log((1 + n) / (1 + f)) + 1.0 for t, f in df.items()}
    out = {}
    for pk, counts in docs.items():
        weights = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        out[pk] = {t: w / norm for t, w in weights.items()} if norm else {}
    return out


def similarity(a: dict[str, float], b: dict[str, float]) -> float:
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def label_for(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1].rsplit(" ", 1)[0] + "…"


def theme_assign(feedback: Feedback) -> Theme | None:
    """Put ``feedback`` (visible, with a comment) in a theme, or leave it alone. Call inside
    the writing transaction. A fixed number of queries (3 at most)."""
    if not feedback.comment or feedback.is_hidden or feedback.theme_id:
        return None
    pool = list(
        Feedback.objects.filter(service_page_id=feedback.service_page_id, is_hidden=False)
        .exclude(comment="")
        .exclude(pk=feedback.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", "comment", "theme_id")[: setting("THEME_POOL")]
    )
    if not pool:
        return None
    docs = {pk: Counter(tokens(text)) for pk, text, _t in pool}
    docs[feedback.pk] = Counter(tokens(feedback.comment))
    vectors = _vectors(docs)
    mine = vectors[feedback.pk]
    threshold = setting("THEME_SIMILARITY")
    scored = sorted(
        ((similarity(mine, vectors[pk]), pk, text, theme_id) for pk, text, theme_id in pool),
        key=lambda row: (-row[0], row[1]),
    )
    best_themed = next((row for row in scored if row[3] is not None), None)
    if best_themed is not None and best_themed[0] >= threshold:
        theme = Theme.objects.get(pk=best_themed[3])
    else:
        best_free = next((row for row in scored if row[3] is None), None)
        if best_free is None or best_free[0] < threshold:
            return None
        theme = Theme.objects.create(
            agency_id=feedback.agency_id,
            service_page_id=feedback.service_page_id,
            label=label_for(min((best_free[2], feedback.comment), key=len)),
        )
        Feedback.objects.filter(pk=best_free[1]).update(theme=theme)
    Feedback.objects.filter(pk=feedback.pk).update(theme=theme)
    feedback.theme = theme
    return theme

"""Similar-idea search: the one interface is :func:`similar_ideas`.

It reads the site search index (``community.search``): each idea's entry on its board
(``scope = "challenge:<id>"``), analysed the way search analyses everything — case and
accents folded, English and Spanish stop words dropped, every word stemmed in both
languages — so hints work as well for "contenedores" as for "bins". On top of those terms a
small TF-IDF index per board (title words count twice, cosine similarity) ranks ideas; it is
rebuilt only when the board's entries change: its key is their (count, latest ``updated_at``),
read with one cheap aggregate query, so every process notices changes made by any other
without an explicit invalidation step.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Max

from community.search.models import SearchEntry
from community.search.text import analyse
from ideas.conf import setting
from ideas.models import Challenge, Idea

_CACHE_SIZE = 64


def tokens(text: str) -> list[str]:
    """The stems of ``text``'s meaningful words, both languages' stems for each word."""
    return [stem for group in analyse(text) for stem in sorted(group)]


def _document(title: str, body: str) -> Counter:
    return Counter(tokens(title) * 2 + tokens(body))


@dataclass
class _Index:
    idf: dict[str, float]
    vectors: dict[int, dict[str, float]]

    @classmethod
    def build(cls, docs: dict[int, Counter]) -> _Index:
        n = len(docs)
        df: Counter = Counter()
        for counts in docs.values():
            df.update(counts.keys())
        idf = {term: math.log((1 + n) / (1 + freq)) + 1.0 for term, freq in df.items()}
        vectors = {pk: _normalise(counts, idf) for pk, counts in docs.items()}
        return cls(idf=idf, vectors=vectors)

    def query(self, text: str, exclude: int | None) -> list[tuple[int, float]]:
        counts = Counter(tokens(text))
        # Words no idea on the board uses cannot match; weigh them like the rarest word.
        rare = max(self.idf.values(), default=1.0)
        vector = _normalise(counts, self.idf, default=rare)
        if not vector:
            return []
        scores = []
        for pk, doc in self.vectors.items():
            if pk == exclude:
                continue
            score = sum(weight * doc.get(term, 0.0) for term, weight in vector.items())
            if score > 0:
                scores.append((pk, score))
        scores.sort(key=lambda pair: (-pair[1], -pair[0]))
        return scores


def _normalise(counts: Counter, idf: dict[str, float], default: float = 0.0) -> dict[str, float]:
    weights = {t: (1 + math.log(c)) * idf.get(t, default) for t, c in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items() if w} if norm else {}


_indexes: OrderedDict[tuple[int, tuple], _Index] = OrderedDict()
_lock = threading.Lock()


def _index_for(challenge_id: int) -> _Index:
    entries = SearchEntry.objects.filter(kind="idea", scope=f"challenge:{challenge_id}")
    marker = entries.aggregate(n=Count("id"), latest=Max("updated_at"), top=Max("id"))
    key = (challenge_id, (marker["n"], marker["latest"], marker["top"]))
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
    docs = {
        pk: _document(title, body)
        for pk, title, body in entries.values_list("object_id", "title", "body")
    }
    index = _Index.build(docs)
    with _lock:
        for stale in [k for k in _indexes if k[0] == challenge_id]:
            del _indexes[stale]
        _indexes[key] = index
        while len(_indexes) > _CACHE_SIZE:
            _indexes.popitem(last=False)
    return index


def similar_ideas(
    *,
    challenge: Challenge | int,
    text: str,
    limit: int | None = None,
    exclude_id: int | None = None,
) -> list[Idea]:
    """Ideas on the board that look like ``text``, best first, each with ``.similarity``.

    Merged duplicates are never suggested. At most three queries whatever the board's size.
    """
    limit = setting("SIMILAR_LIMIT") if limit is None else limit
    if limit <= 0 or not tokens(text):
        return []
    challenge_id = challenge if isinstance(challenge, int) else challenge.pk
    minimum = setting("SIMILAR_MIN_SCORE")
    ranked = [
        (pk, score)
        for pk, score in _index_for(challenge_id).query(text, exclude_id)
        if score >= minimum
    ][:limit]
    if not ranked:
        return []
    found = Idea.objects.visible().select_related("persona").in_bulk([pk for pk, _ in ranked])
    results = []
    for pk, score in ranked:
        idea = found.get(pk)
        if idea is not None:
            idea.similarity = round(score, 3)
            results.append(idea)
    return results

"""Similar-idea search: the one interface is :func:`similar_ideas`.

Behind it, a small pure-Python TF-IDF index per board (title words count twice, light
suffix stemming, English stop words, cosine similarity). An index is rebuilt only when the
board's ideas change: its key is the board's (idea count, latest ``updated_at``), read with
one cheap aggregate query, so every process notices changes made by any other without an
explicit invalidation step. Boards hold hundreds of ideas, not millions; swapping in a
better engine later means changing this module only.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Max

from ideas.conf import setting
from ideas.models import Challenge, Idea

STOP_WORDS = frozenset(
    """a about above after again all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our ours out over own same she should so
    some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    idea ideas could should would please make maybe really get use""".split()  # noqa: SIM905 - a readable word list
)
_WORD = re.compile(r"[a-z0-9]+")
_CACHE_SIZE = 64


def _stem(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    return [
        _stem(w) for w in _WORD.findall((text or "").lower()) if w not in STOP_WORDS and len(w) > 1
    ]


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
    ideas = Idea.objects.visible().filter(challenge_id=challenge_id)
    marker = ideas.aggregate(n=Count("id"), latest=Max("updated_at"))
    key = (challenge_id, (marker["n"], marker["latest"]))
    with _lock:
        index = _indexes.get(key)
        if index is not None:
            _indexes.move_to_end(key)
            return index
    docs = {
        pk: _document(title, body) for pk, title, body in ideas.values_list("pk", "title", "body")
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

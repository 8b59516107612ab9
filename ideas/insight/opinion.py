"""The opinion map of a challenge: groups of participants who support ideas alike.

The matrix has one row per participant (an account that supports at least one idea of the
challenge) and one column per idea that has support; a cell is 1 if they support it, else 0.
The platform has support only — no "against" — so 0 means "did not support", not "opposed".

1. **PCA** through numpy's SVD of the column-centred matrix; participants are clustered on
   the first components that together explain 80 % of the variance (at least 2, at most 5).
2. **k-means** (k-means++ seeding from a fixed seed, 10 restarts, keep the lowest inertia),
   for each k from 2 to 5 (and < participants); among partitions whose every group holds at
   least 10 % of participants (and 3), the k with the best mean **silhouette** wins. The
   silhouette is measured on the votes themselves, not on the components, so that small
   differences the projection stretches do not pass for separate groups. Same data → same groups, every time.
3. Per group and idea, the share of the group that supports it. **Consensus** ideas: every
   group's share ≥ ``CONSENSUS``. **Divisive** ideas: the highest and lowest group shares
   differ by ≥ ``DIVISIVE_GAP``.

Below ``MAP_MIN_PARTICIPANTS`` participants or ``MAP_MIN_IDEAS`` ideas there is no map: the
result says "not enough votes yet". Nothing personal leaves this module: groups are sizes
and shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ideas.insight.conf import setting

SEED = 20261121
RESTARTS = 10
MAX_ITER = 100


def pca(matrix: np.ndarray, max_components: int = 5, explained: float = 0.8):
    """(scores, explained-variance ratios) of the column-centred matrix."""
    centred = matrix - matrix.mean(axis=0)
    u, s, _vt = np.linalg.svd(centred, full_matrices=False)
    variance = s**2
    total = variance.sum()
    ratios = variance / total if total > 0 else np.zeros_like(variance)
    cumulative = np.cumsum(ratios)
    n = int(np.searchsorted(cumulative, explained) + 1) if total > 0 else 1
    n = max(2, min(n, max_components, len(s)))
    return u[:, :n] * s[:n], ratios[:n]


def _kmeans_once(points: np.ndarray, k: int, rng: np.random.Generator):
    n = len(points)
    centres = [points[rng.integers(n)]]
    for _i in range(1, k):
        d2 = np.min([((points - c) ** 2).sum(axis=1) for c in centres], axis=0)
        total = d2.sum()
        index = rng.choice(n, p=d2 / total) if total > 0 else rng.integers(n)
        centres.append(points[index])
    centres = np.array(centres, dtype=float)
    labels = np.zeros(n, dtype=int)
    for _step in range(MAX_ITER):
        distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        new = distances.argmin(axis=1)
        if _step and np.array_equal(new, labels):
            break
        labels = new
        for j in range(k):
            members = points[labels == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    inertia = float(((points - centres[labels]) ** 2).sum())
    return labels, inertia


def kmeans(points: np.ndarray, k: int, seed: int = SEED) -> np.ndarray:
    """Labels 0..k-1, numbered by first appearance so equal partitions compare equal."""
    rng = np.random.default_rng(seed)
    best, best_inertia = None, np.inf
    for _run in range(RESTARTS):
        labels, inertia = _kmeans_once(points, k, rng)
        if inertia < best_inertia - 1e-12:
            best, best_inertia = labels, inertia
    return _renumber(best)


def _renumber(labels: np.ndarray) -> np.ndarray:
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order))
    return np.array([order[int(label)] for label in labels], dtype=int)


def silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette coefficient (-1..1); 0 for one group or singletons."""
    groups = np.unique(labels)
    if len(groups) < 2:
        return 0.0
    distances = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
    scores = []
    for i in range(len(points)):
        own = labels == labels[i]
        if own.sum() <= 1:
            scores.append(0.0)
            continue
        a = distances[i, own].sum() / (own.sum() - 1)
        b = min(distances[i, labels == g].mean() for g in groups if g != labels[i])
        scores.append((b - a) / max(a, b) if max(a, b) > 0 else 0.0)
    return float(np.mean(scores))


def min_group_size(n: int) -> int:
    """Smallest group a map may show: 10 % of participants, at least 3."""
    return max(3, -(-n // 10))


def choose_groups(
    points: np.ndarray, k_max: int = 5, judge: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """The k-means partition (k in 2..k_max) with the best silhouette, and that score.

    Partitions with a group under :func:`min_group_size` are skipped: with support-only votes
    many people share exactly the same pattern, and silhouette would otherwise reward peeling
    off a handful of unusual voters as their own "groups".
    """
    best, best_score = np.zeros(len(points), dtype=int), -1.0
    smallest = min_group_size(len(points))
    for k in range(2, min(k_max, len(points) - 1) + 1):
        labels = kmeans(points, k)
        if len(np.unique(labels)) < k or np.bincount(labels).min() < smallest:
            continue
        score = silhouette(points if judge is None else judge, labels)
        if score > best_score + 1e-9:
            best, best_score = labels, score
    return best, max(best_score, 0.0)


@dataclass
class OpinionMap:
    enough: bool
    participants: int
    ideas: int
    groups: list[dict[str, Any]] = field(default_factory=list)
    consensus: list[dict[str, Any]] = field(default_factory=list)
    divisive: list[dict[str, Any]] = field(default_factory=list)
    silhouette: float = 0.0
    labels: list[int] = field(default_factory=list)


def analyse(matrix: np.ndarray, idea_ids: list[int]) -> OpinionMap:
    """Group the rows of a 0/1 participant x idea matrix; see the module docstring."""
    participants, n_ideas = matrix.shape
    if participants < setting("MAP_MIN_PARTICIPANTS") or n_ideas < setting("MAP_MIN_IDEAS"):
        return OpinionMap(False, participants, n_ideas)
    matrix = matrix.astype(float)
    scores, _ratios = pca(matrix)
    labels, score = choose_groups(scores, judge=matrix)
    k = int(labels.max()) + 1
    shares = np.array([matrix[labels == g].mean(axis=0) for g in range(k)])
    centres = np.array([scores[labels == g, :2].mean(axis=0) for g in range(k)])
    groups = []
    for g in range(k):
        others = np.delete(shares, g, axis=0)
        # One group (everyone supports alike): nothing sets it apart.
        distinct = shares[g] - others.mean(axis=0) if len(others) else np.zeros(n_ideas)
        groups.append(
            {
                "number": g + 1,
                "size": int((labels == g).sum()),
                "x": float(centres[g][0]),
                "y": float(centres[g][1]) if centres.shape[1] > 1 else 0.0,
                "shares": {idea_ids[j]: float(shares[g][j]) for j in range(n_ideas)},
                "defining": [idea_ids[j] for j in np.argsort(-distinct)[:3] if distinct[j] > 0.2],
            }
        )
    low, high = shares.min(axis=0), shares.max(axis=0)
    consensus = [
        {"idea": idea_ids[j], "lowest": float(low[j])}
        for j in np.argsort(-low)
        if low[j] >= setting("CONSENSUS")
    ]
    divisive = [
        {"idea": idea_ids[j], "gap": float(high[j] - low[j])}
        for j in np.argsort(-(high - low))
        if high[j] - low[j] >= setting("DIVISIVE_GAP")
    ]
    return OpinionMap(
        True,
        participants,
        n_ideas,
        groups=groups,
        consensus=consensus,
        divisive=divisive,
        silhouette=round(score, 2),
        labels=[int(v) for v in labels],
    )


def vote_matrix(challenge) -> tuple[np.ndarray, list[int], dict[int, str]]:
    """(matrix, idea ids, idea titles) of a challenge's visible ideas and their supporters.
    2 queries."""
    from ideas.models import Idea, Vote

    titles = dict(
        Idea.objects.visible()
        .filter(challenge=challenge, support_count__gt=0)
        .order_by("pk")
        .values_list("pk", "title")
    )
    idea_ids = list(titles)
    column = {pk: j for j, pk in enumerate(idea_ids)}
    rows: dict[int, int] = {}
    cells: list[tuple[int, int]] = []
    for account_id, idea_id in (
        Vote.objects.filter(idea_id__in=idea_ids)
        .order_by("account_id")
        .values_list("account_id", "idea_id")
    ):
        r = rows.setdefault(account_id, len(rows))
        cells.append((r, column[idea_id]))
    matrix = np.zeros((len(rows), len(idea_ids)), dtype=np.int8)
    for r, c in cells:
        matrix[r, c] = 1
    return matrix, idea_ids, titles


def opinion_map(challenge) -> tuple[OpinionMap, dict[int, str]]:
    matrix, idea_ids, titles = vote_matrix(challenge)
    result = analyse(matrix, idea_ids)
    result.labels = []  # row order follows account ids: never hand it to a page
    return result, titles

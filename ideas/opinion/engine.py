"""The opinion engine: Pol.is's published method on a sparse agree/disagree/pass matrix.

One engine for conversations and idea boards. Pure numpy, no Django: callers build a
:class:`VoteMatrix` from whatever they store, call :func:`compute`, and keep
:meth:`OpinionResult.to_json` (which holds no participant key) as the stored, public map.

The method, step by step (``docs/opinion.md`` has the reasoning and the figures on real
Pol.is conversations):

1. **Who counts.** Participants with at least ``min(7, statements)`` votes (pass included)
   are clustered; everyone's votes shape the components (step 2) and count in the
   per-statement totals.
2. **PCA.** Each vote is 1 agree, -1 disagree, 0 pass; an unseen cell is imputed by the
   statement's mean over those who saw it. After centring, imputed cells are exactly 0, so the
   centred matrix has as many non-zero cells as there are votes. Two principal components
   of everyone's centred votes, by subspace iteration.
3. **Sparsity-aware projection.** A participant's coordinates are scaled by
   ``sqrt(statements / statements_seen)`` so that people who saw few statements are not
   pulled towards the centre just because most of their row was imputed.
4. **Base clusters.** k-means (k-means++ seeding, fixed seed) with up to 100 centres on the
   2-D projections.
5. **Groups.** Weighted k-means of the base-cluster centres for k = 2 … min(5, 2 + centres
   / 12); the k with the best weighted silhouette **in the projected space** wins (computed on
   the ≤ 100 centres, never participants x participants).
6. **Statistics over those who saw.** Per group and statement: agrees A, disagrees D, seen S
   (passes count as seen). Group agree probability ``(A + 1) / (S + 2)``.
7. **Consensus** (Pol.is's group-aware consensus): the product over groups of the agree
   probabilities; listed when every group leans to agree, best first.
8. **Representative statements** (Pol.is's repness): for agree and for disagree,
   ``ra x rat x pa x pat`` — ratio and two-proportion z-test of the group against everyone
   else, probability and one-proportion z-test within the group; a statement qualifies when
   both tests of one side pass at 90 %; the group's best agree statement first, then the
   best qualifying ones, five per group, agrees before disagrees (Pol.is's selection).
9. **Divisive** statements: the variance of the group agree probabilities, weighted by group
   size; listed when at least one group leans to agree and another to disagree.

Memory follows the votes: the covariance is summed from each person's vote pairs (a dense
participants x statements product only when votes are dense), statements x statements only
up to ``COVARIANCE_MAX_STATEMENTS`` (above it, products with the votes), participants x 100
for the base clusters; nothing is participants x participants. Same input → same result
(fixed seeds, sorted keys, sign-fixed components).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SEED = 20261206
AGREE, DISAGREE, PASS = 1, -1, 0
MIN_VOTES_CAP = 7  # Pol.is: participants need min(7, statements) votes to be clustered
MIN_PARTICIPANTS = 4  # fewer clustered participants than this: no map
MIN_STATEMENTS = 2
BASE_CLUSTERS = 100
MAX_GROUPS = 5
KMEANS_RESTARTS = 8
KMEANS_MAX_ITER = 100
COVARIANCE_MAX_STATEMENTS = 2000  # above: products with the votes, no S x S matrix
EIGEN_TOLERANCE = 1e-5  # residual of the components, relative to the largest eigenvalue
PAIR_CHUNK = 1_000_000  # vote pairs per step when building the covariance
NEAREST_CHUNK = 1024  # points per block when finding nearest centres
BASE_MAX_ITER = 20  # base clusters only compress the map; Pol.is also iterates a few steps
Z_90 = 1.2816  # one-sided 90 % significance, as Pol.is
REPRESENTATIVE_PER_GROUP = 5
LIST_LIMIT = 10
JSON_VERSION = 1

# Reason codes when there is no map (stable strings: callers translate them).
REASON_NO_VOTES = "no_votes"
REASON_FEW_STATEMENTS = "few_statements"
REASON_FEW_PARTICIPANTS = "few_participants"
REASON_NO_DIFFERENCES = "no_differences"
REASONS = (REASON_NO_VOTES, REASON_FEW_STATEMENTS, REASON_FEW_PARTICIPANTS, REASON_NO_DIFFERENCES)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Sparse votes: one entry per (participant, statement) seen; an absent cell = not seen.

    Compared by identity (its fields are arrays); compare ``votes()`` for equal contents.

    ``participants`` and ``statements`` are sorted, unique int64 keys; ``rows``/``cols``
    index into them; ``values`` are 1 agree, -1 disagree, 0 pass.
    """

    participants: np.ndarray
    statements: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray

    @classmethod
    def from_votes(
        cls,
        votes: Iterable[tuple[int, int, int]],
        *,
        statements: Iterable[int] = (),
    ) -> VoteMatrix:
        """Build from (participant, statement, value) triples. A repeated pair keeps the last
        value (a changed vote). ``statements`` adds statements nobody has voted on yet."""
        data = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
        bad = ~np.isin(data[:, 2], (AGREE, DISAGREE, PASS))
        if bad.any():
            raise ValueError(f"vote values must be 1, -1 or 0, got {int(data[bad][0, 2])}")
        return cls.from_arrays(
            data[:, 0], data[:, 1], data[:, 2], statements=np.fromiter(statements, np.int64)
        )

    @classmethod
    def from_arrays(
        cls,
        participant_keys: np.ndarray,
        statement_ids: np.ndarray,
        values: np.ndarray,
        *,
        statements: np.ndarray | None = None,
    ) -> VoteMatrix:
        """Build from three parallel arrays (the fast path for large inputs)."""
        participant_keys = np.asarray(participant_keys, dtype=np.int64)
        statement_ids = np.asarray(statement_ids, dtype=np.int64)
        values = np.asarray(values)
        if not (len(participant_keys) == len(statement_ids) == len(values)):
            raise ValueError("participant, statement and value arrays differ in length")
        if len(values) and not np.isin(values, (AGREE, DISAGREE, PASS)).all():
            raise ValueError("vote values must be 1, -1 or 0")
        values = values.astype(np.int8)
        people, rows = np.unique(participant_keys, return_inverse=True)
        extra = np.asarray(statements if statements is not None else [], dtype=np.int64)
        stmts = np.unique(np.concatenate([statement_ids, extra]))
        cols = np.searchsorted(stmts, statement_ids)
        rows = rows.astype(np.int32)
        cols = cols.astype(np.int32)
        if len(values):
            # Keep the last vote of a repeated (participant, statement) pair.
            cell = rows.astype(np.int64) * max(len(stmts), 1) + cols
            _, last_from_end = np.unique(cell[::-1], return_index=True)
            keep = np.sort(len(cell) - 1 - last_from_end)
            rows, cols, values = rows[keep], cols[keep], values[keep]
        return cls(people, stmts, rows, cols, values)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    def without_statements(self, statement_ids: Iterable[int]) -> VoteMatrix:
        """The same votes minus some statements (e.g. the ones moderated out, which Pol.is
        leaves out of the math)."""
        drop = np.isin(self.statements, np.fromiter(statement_ids, np.int64))
        if not drop.any():
            return self
        kept = np.flatnonzero(~drop)
        new_index = np.full(len(self.statements), -1, dtype=np.int64)
        new_index[kept] = np.arange(len(kept))
        keep = ~drop[self.cols]
        return VoteMatrix(
            self.participants,
            self.statements[kept],
            self.rows[keep],
            new_index[self.cols[keep]].astype(np.int32),
            self.values[keep],
        )

    def votes(self) -> list[tuple[int, int, int]]:
        """(participant, statement, value) triples, e.g. to round-trip an export."""
        return [
            (int(self.participants[r]), int(self.statements[c]), int(v))
            for r, c, v in zip(self.rows, self.cols, self.values, strict=True)
        ]


@dataclass(frozen=True)
class StatementVotes:
    """Everyone's votes on one statement (clustered or not)."""

    statement: int
    agree: int
    disagree: int
    passed: int

    @property
    def seen(self) -> int:
        return self.agree + self.disagree + self.passed


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement that sets a group apart: how the group voted on it, and how strongly."""

    statement: int
    agree: int
    disagree: int
    seen: int
    agree_share: float  # agree / seen within the group
    repness: float  # ra x rat x pa x pat for ``kind``
    kind: str  # "agree" | "disagree"


@dataclass(frozen=True)
class Group:
    id: int
    size: int
    centre: tuple[float, float]
    representative: tuple[RepresentativeStatement, ...]


@dataclass(frozen=True)
class BaseCluster:
    """An anonymous point of the map: the centre of a base cluster, its size and group."""

    x: float
    y: float
    size: int
    group: int


@dataclass(frozen=True)
class RankedStatement:
    """A consensus or divisive statement: each group's (A+1)/(S+2), in group-id order, and
    the score it was ranked by."""

    statement: int
    group_agree: tuple[float, ...]
    score: float


@dataclass(frozen=True)
class OpinionResult:
    enough: bool
    reason: str  # "" when enough, else one of REASONS
    min_votes: int
    participants_voted: int
    participants_clustered: int
    statements: tuple[StatementVotes, ...]
    groups: tuple[Group, ...] = ()
    clusters: tuple[BaseCluster, ...] = ()
    consensus: tuple[RankedStatement, ...] = ()
    divisive: tuple[RankedStatement, ...] = ()
    # participant key → group id; in memory only, never in to_json().
    assignment: dict[int, int] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The stored and public form: aggregates only, no participant key."""
        return {
            "version": JSON_VERSION,
            "enough": self.enough,
            "reason": self.reason,
            "min_votes": self.min_votes,
            "participants_voted": self.participants_voted,
            "participants_clustered": self.participants_clustered,
            "statements": [[s.statement, s.agree, s.disagree, s.passed] for s in self.statements],
            "groups": [
                {
                    "id": g.id,
                    "size": g.size,
                    "centre": list(g.centre),
                    "representative": [
                        {
                            "statement": r.statement,
                            "agree": r.agree,
                            "disagree": r.disagree,
                            "seen": r.seen,
                            "agree_share": r.agree_share,
                            "repness": r.repness,
                            "kind": r.kind,
                        }
                        for r in g.representative
                    ],
                }
                for g in self.groups
            ],
            "clusters": [[c.x, c.y, c.size, c.group] for c in self.clusters],
            "consensus": [_ranked_json(r) for r in self.consensus],
            "divisive": [_ranked_json(r) for r in self.divisive],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OpinionResult:
        """Rebuild a stored result (without the in-memory assignment)."""
        if data.get("version") != JSON_VERSION:
            raise ValueError(f"unknown opinion map version {data.get('version')!r}")
        return cls(
            enough=bool(data["enough"]),
            reason=str(data["reason"]),
            min_votes=int(data["min_votes"]),
            participants_voted=int(data["participants_voted"]),
            participants_clustered=int(data["participants_clustered"]),
            statements=tuple(StatementVotes(*map(int, s)) for s in data["statements"]),
            groups=tuple(
                Group(
                    id=int(g["id"]),
                    size=int(g["size"]),
                    centre=(float(g["centre"][0]), float(g["centre"][1])),
                    representative=tuple(
                        RepresentativeStatement(
                            statement=int(r["statement"]),
                            agree=int(r["agree"]),
                            disagree=int(r["disagree"]),
                            seen=int(r["seen"]),
                            agree_share=float(r["agree_share"]),
                            repness=float(r["repness"]),
                            kind=str(r["kind"]),
                        )
                        for r in g["representative"]
                    ),
                )
                for g in data["groups"]
            ),
            clusters=tuple(
                BaseCluster(float(x), float(y), int(n), int(g)) for x, y, n, g in data["clusters"]
            ),
            consensus=tuple(_ranked_from_json(r) for r in data["consensus"]),
            divisive=tuple(_ranked_from_json(r) for r in data["divisive"]),
        )


def _ranked_json(r: RankedStatement) -> dict[str, Any]:
    return {"statement": r.statement, "group_agree": list(r.group_agree), "score": r.score}


def _ranked_from_json(r: Mapping[str, Any]) -> RankedStatement:
    return RankedStatement(
        statement=int(r["statement"]),
        group_agree=tuple(float(p) for p in r["group_agree"]),
        score=float(r["score"]),
    )


# --------------------------------------------------------------------------- the method


def compute(
    matrix: VoteMatrix, *, min_votes: int | None = None, limit: int = LIST_LIMIT
) -> OpinionResult:
    """The opinion map of ``matrix``.

    ``min_votes`` overrides Pol.is's ``min(7, statements)`` threshold for being clustered;
    ``limit`` caps the consensus and divisive lists. When there is not enough to draw a map
    the result has ``enough=False`` and a ``reason`` code, with the per-statement totals.
    """
    n_people, n_statements = matrix.shape
    rows = np.asarray(matrix.rows, dtype=np.int64)
    cols = np.asarray(matrix.cols, dtype=np.int64)
    values = np.asarray(matrix.values, dtype=np.int8)
    statement_votes = _statement_votes(matrix.statements, cols, values)
    threshold = min(MIN_VOTES_CAP, n_statements) if min_votes is None else int(min_votes)
    threshold = max(threshold, 1)
    seen_per_person = np.bincount(rows, minlength=n_people)
    voted = int((seen_per_person > 0).sum())

    def not_enough(reason: str, clustered: int = 0) -> OpinionResult:
        return OpinionResult(
            enough=False,
            reason=reason,
            min_votes=threshold,
            participants_voted=voted,
            participants_clustered=clustered,
            statements=statement_votes,
        )

    if len(values) == 0:
        return not_enough(REASON_NO_VOTES)
    if n_statements < MIN_STATEMENTS:
        return not_enough(REASON_FEW_STATEMENTS)
    in_conv = np.flatnonzero(seen_per_person >= threshold)
    if len(in_conv) < MIN_PARTICIPANTS:
        return not_enough(REASON_FEW_PARTICIPANTS, len(in_conv))

    n = len(in_conv)
    # As Pol.is: the components come from everyone's votes, only those placed are clustered.
    points = _project(rows, cols, values.astype(np.float64), n_people, n_statements)
    if points is None:
        return not_enough(REASON_NO_DIFFERENCES, n)
    points = points[in_conv]

    # Keep only the votes of clustered participants, re-indexed 0..P'-1.
    row_map = np.full(n_people, -1, dtype=np.int64)
    row_map[in_conv] = np.arange(n)
    keep = row_map[rows] >= 0
    r, c, v = row_map[rows[keep]], cols[keep], values[keep].astype(np.float64)

    base_centres, base_labels, base_sizes = _base_clusters(points)
    if len(base_centres) < 2:
        return not_enough(REASON_NO_DIFFERENCES, n)
    base_group = _choose_groups(base_centres, base_sizes)
    labels = base_group[base_labels]
    n_groups = int(labels.max()) + 1

    # Per group x statement counts over those who saw.
    agree, disagree, seen = _group_counts(labels[r], c, v, n_groups, n_statements)
    sizes = np.bincount(labels, minlength=n_groups)
    p_agree = (agree + 1.0) / (seen + 2.0)

    groups = []
    for g in range(n_groups):
        members = labels == g
        centre = points[members].mean(axis=0)
        groups.append(
            Group(
                id=g,
                size=int(sizes[g]),
                centre=(_round(centre[0]), _round(centre[1])),
                representative=_representative(g, agree, disagree, seen, matrix.statements),
            )
        )
    clusters = tuple(
        BaseCluster(_round(x), _round(y), int(size), int(group))
        for (x, y), size, group in zip(base_centres, base_sizes, base_group, strict=True)
    )
    consensus, divisive = _consensus_divisive(p_agree, sizes, matrix.statements, limit)
    keys = matrix.participants[in_conv]
    return OpinionResult(
        enough=True,
        reason="",
        min_votes=threshold,
        participants_voted=voted,
        participants_clustered=n,
        statements=statement_votes,
        groups=tuple(groups),
        clusters=clusters,
        consensus=consensus,
        divisive=divisive,
        assignment={int(k): int(g) for k, g in zip(keys, labels, strict=True)},
    )


def _round(x: float) -> float:
    return round(float(x), 6)


def _statement_votes(
    statements: np.ndarray, cols: np.ndarray, values: np.ndarray
) -> tuple[StatementVotes, ...]:
    s = len(statements)
    agree = np.bincount(cols[values == AGREE], minlength=s)
    disagree = np.bincount(cols[values == DISAGREE], minlength=s)
    passed = np.bincount(cols[values == PASS], minlength=s)
    return tuple(
        StatementVotes(int(statements[j]), int(agree[j]), int(disagree[j]), int(passed[j]))
        for j in range(s)
    )


def _project(r: np.ndarray, c: np.ndarray, v: np.ndarray, n: int, s: int) -> np.ndarray | None:
    """Sparsity-aware 2-D PCA projections (n x 2), or None if nobody differs."""
    seen = np.bincount(c, minlength=s).astype(np.float64)
    mean = np.bincount(c, weights=v, minlength=s) / np.maximum(seen, 1.0)
    # Imputed (unseen) cells hold the statement's mean: exactly 0 once centred, so the
    # centred matrix is as sparse as the votes.
    x = v - mean[c]
    # Statements everyone who saw voted alike on (or seen by one person) are all-zero
    # columns: they cannot shape the components, so the eigenproblem leaves them out.
    active = np.flatnonzero(np.bincount(c, weights=x * x, minlength=s) > 0)
    if len(active) == 0:
        return None
    keep = np.isin(c, active)  # c indexes statements; active is sorted
    ra, ca, xa = r[keep], np.searchsorted(active, c[keep]), x[keep]
    m = len(active)
    if m <= COVARIANCE_MAX_STATEMENTS:
        covariance = _covariance(ra, ca, xa, n, m)
        covariance /= max(n - 1, 1)
        eigenvalues, active_components = _top_eigenvectors(lambda basis: covariance @ basis, m, 2)
        del covariance
    else:
        product = _covariance_product(ra, ca, xa, n, m)
        eigenvalues, active_components = _top_eigenvectors(product, m, 2)
    if eigenvalues[0] <= 1e-12:
        return None
    components = np.zeros((s, 2))
    components[active] = active_components
    # Fix each component's sign so the same data always draws the same map.
    for k in range(components.shape[1]):
        pivot = np.argmax(np.abs(components[:, k]))
        if components[pivot, k] < 0:
            components[:, k] = -components[:, k]
    points = np.column_stack(
        [np.bincount(r, weights=x * components[c, k], minlength=n) for k in range(2)]
    )
    per_person = np.bincount(r, minlength=n).astype(np.float64)
    points *= np.sqrt(s / np.maximum(per_person, 1.0))[:, None]
    return points


def _covariance(r: np.ndarray, c: np.ndarray, x: np.ndarray, n: int, s: int) -> np.ndarray:
    """``X.T @ X`` of the sparse centred matrix (S x S).

    Sparse votes (most people see a few statements): the sum over participants of their
    votes' outer products, built from vote pairs in chunks of ``PAIR_CHUNK`` (memory bounded,
    single-threaded, cost = sum of votes-per-person squared). Dense votes: one float32 matrix
    product, cheaper once pairs outnumber ``P x S x S / 16``."""
    order = np.argsort(r, kind="stable")
    r, c, x = r[order], c[order], x[order]
    counts = np.bincount(r, minlength=n).astype(np.int64)
    pair_total = int((counts**2).sum())
    if pair_total * 16 > n * s * s:
        dense = np.zeros((n, s), dtype=np.float32)
        dense[r, c] = x
        return (dense.T @ dense).astype(np.float64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    partners = counts[r]  # each vote pairs with every vote of the same person
    flat = np.zeros(s * s, dtype=np.float64)
    ends = np.cumsum(partners)
    first = 0
    while first < len(r):
        last = int(np.searchsorted(ends, ends[first] - partners[first] + PAIR_CHUNK, "right"))
        last = max(last, first + 1)
        k = partners[first:last]
        left = np.repeat(np.arange(first, last), k)
        offset = np.arange(len(left)) - np.repeat(np.cumsum(k) - k, k)
        right = np.repeat(starts[r[first:last]], k) + offset
        flat += np.bincount(c[left] * s + c[right], weights=x[left] * x[right], minlength=s * s)
        first = last
    return flat.reshape(s, s)


def _covariance_product(
    r: np.ndarray, c: np.ndarray, x: np.ndarray, n: int, s: int
) -> Callable[[np.ndarray], np.ndarray]:
    """``V -> X.T @ (X @ V) / (n - 1)`` without forming the S x S covariance, for many
    statements (an idea board with thousands of ideas): memory and time per product follow
    the votes."""
    by_person = np.argsort(r, kind="stable")
    by_statement = np.argsort(c, kind="stable")
    person_starts = np.flatnonzero(np.r_[True, np.diff(r[by_person]) != 0])
    statement_starts = np.flatnonzero(np.r_[True, np.diff(c[by_statement]) != 0])
    people = r[by_person][person_starts]
    statements = c[by_statement][statement_starts]
    xp, cp = x[by_person], c[by_person]
    xs, rs = x[by_statement], r[by_statement]

    def apply(basis: np.ndarray) -> np.ndarray:
        scores = np.zeros((n, basis.shape[1]))
        scores[people] = np.add.reduceat(xp[:, None] * basis[cp], person_starts, axis=0)
        out = np.zeros((s, basis.shape[1]))
        out[statements] = np.add.reduceat(xs[:, None] * scores[rs], statement_starts, axis=0)
        return out / max(n - 1, 1)

    return apply


def _top_eigenvectors(
    apply: Callable[[np.ndarray], np.ndarray],
    s: int,
    k: int,
    block: int = 8,
    max_iter: int = 150,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` leading eigenpairs of a symmetric positive semi-definite S x S matrix given
    as ``apply(V) = matrix @ V``.

    Subspace (block power) iteration with Rayleigh-Ritz, as Pol.is finds its components by
    power iteration: products with an S x 8 block instead of a full eigendecomposition, from
    a fixed start (deterministic). Small matrices are built and use ``eigh``."""
    if s <= 4 * block:
        values, vectors = np.linalg.eigh(apply(np.eye(s)))
        values, vectors = values[::-1][:k], vectors[:, ::-1][:, :k]
    else:
        basis = _orthonormal(np.random.default_rng(SEED).standard_normal((s, block)))
        for _ in range(max_iter):
            product = apply(basis)
            ritz_values, ritz_vectors = np.linalg.eigh(basis.T @ product)
            ritz_values, ritz_vectors = ritz_values[::-1][:k], ritz_vectors[:, ::-1][:, :k]
            vectors, values = basis @ ritz_vectors, ritz_values
            residual = product @ ritz_vectors - vectors * values
            if np.abs(residual).max() <= EIGEN_TOLERANCE * max(float(values[0]), 1e-300):
                break
            basis = _orthonormal(product)
    if vectors.shape[1] < k:
        vectors = np.column_stack([vectors, np.zeros((s, k - vectors.shape[1]))])
        values = np.concatenate([values, np.zeros(k - len(values))])
    return np.maximum(values, 0.0), vectors.copy()


def _orthonormal(block: np.ndarray) -> np.ndarray:
    """An orthonormal basis of a tall S x b block's columns: Cholesky QR applied twice (two
    small b x b factorisations; LAPACK's QR of a tall block is slow under a busy machine's
    threads), or Householder QR when the block is rank-deficient."""
    try:
        for _ in range(2):
            factor = np.linalg.cholesky(block.T @ block)
            block = np.linalg.solve(factor, block.T).T
    except np.linalg.LinAlgError:
        block, _ = np.linalg.qr(block)
    return block


def _kmeans(
    points: np.ndarray,
    k: int,
    rng: np.random.Generator,
    weights: np.ndarray | None = None,
    restarts: int = 1,
    max_iter: int = KMEANS_MAX_ITER,
) -> tuple[np.ndarray, np.ndarray, float]:
    """Weighted Lloyd's k-means with k-means++ seeding: (centres, labels, inertia).
    Memory is points x k."""
    w = np.ones(len(points)) if weights is None else weights.astype(np.float64)
    best: tuple[np.ndarray, np.ndarray, float] | None = None
    for _ in range(restarts):
        first = rng.choice(len(points), p=w / w.sum())
        centres = [points[first]]
        d2 = ((points - centres[0]) ** 2).sum(axis=1)
        for _i in range(1, k):
            mass = d2 * w
            total = mass.sum()
            if total <= 0:
                break
            index = rng.choice(len(points), p=mass / total)
            centres.append(points[index])
            d2 = np.minimum(d2, ((points - points[index]) ** 2).sum(axis=1))
        centre_array = np.array(centres)
        labels = np.full(len(points), -1)
        for _step in range(max_iter):
            new_labels, _ = _nearest(points, centre_array)
            if np.array_equal(new_labels, labels):
                break
            labels = new_labels
            mass = np.bincount(labels, weights=w, minlength=len(centre_array))
            sums = np.stack(
                [
                    np.bincount(labels, weights=w * points[:, d], minlength=len(centre_array))
                    for d in range(points.shape[1])
                ],
                axis=1,
            )
            alive = mass > 0
            centre_array = sums[alive] / mass[alive, None]
            if not alive.all():
                labels = np.full(len(points), -1)  # recompute labels against the survivors
        labels, nearest = _nearest(points, centre_array)
        inertia = float((nearest * w).sum())
        if best is None or inertia < best[2] - 1e-12:
            best = (centre_array, labels, inertia)
    assert best is not None
    centres, labels, inertia = best
    # Drop empty centres and renumber labels densely.
    used, labels = np.unique(labels, return_inverse=True)
    return centres[used], labels, inertia


def _nearest(points: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each point's nearest centre and squared distance to it. In blocks of
    ``NEAREST_CHUNK`` points (cache-sized, a coordinate at a time: exact, and no matrix
    product for BLAS threads to contend over); memory is one block x centres."""
    labels = np.empty(len(points), dtype=np.int64)
    nearest = np.empty(len(points))
    for start in range(0, len(points), NEAREST_CHUNK):
        block = points[start : start + NEAREST_CHUNK]
        dist = block[:, 0, None] - centres[None, :, 0]
        dist *= dist
        for d in range(1, points.shape[1]):
            diff = block[:, d, None] - centres[None, :, d]
            diff *= diff
            dist += diff
        found = dist.argmin(axis=1)
        labels[start : start + len(block)] = found
        nearest[start : start + len(block)] = dist[np.arange(len(block)), found]
    return labels, nearest


def _base_clusters(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Up to BASE_CLUSTERS k-means centres: (centres, participant labels, sizes)."""
    distinct = np.unique(np.round(points, 9), axis=0)
    k = min(BASE_CLUSTERS, len(distinct))
    rng = np.random.default_rng(SEED)
    centres, labels, _ = _kmeans(points, k, rng, max_iter=BASE_MAX_ITER)
    sizes = np.bincount(labels, minlength=len(centres))
    return centres, labels, sizes


def _choose_groups(centres: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Group id of each base cluster: k = 2…max by best weighted silhouette; ids by size."""
    max_k = min(MAX_GROUPS, 2 + len(centres) // 12, len(centres))
    distance = np.sqrt(((centres[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2))
    best_labels, best_score = None, -np.inf
    for k in range(2, max_k + 1):
        rng = np.random.default_rng(SEED + k)
        _, labels, _ = _kmeans(centres, k, rng, weights=sizes, restarts=KMEANS_RESTARTS)
        if labels.max() + 1 < 2:
            continue
        score = weighted_silhouette(distance, labels, sizes)
        if score > best_score + 1e-9:
            best_labels, best_score = labels, score
    if best_labels is None:
        best_labels = np.zeros(len(centres), dtype=np.int64)
    # Number groups by size (largest first), ties by first base cluster.
    n_groups = int(best_labels.max()) + 1
    group_sizes = np.bincount(best_labels, weights=sizes, minlength=n_groups)
    order = sorted(range(n_groups), key=lambda g: (-group_sizes[g], g))
    renumber = np.empty(n_groups, dtype=np.int64)
    renumber[order] = np.arange(n_groups)
    return renumber[best_labels]


def weighted_silhouette(distance: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> float:
    """Silhouette of weighted points (base clusters standing for their members).

    A point of weight w is w members at the same place: its own cluster's mean distance
    counts w - 1 neighbours at distance 0."""
    weights = weights.astype(np.float64)
    n_groups = int(labels.max()) + 1
    one_hot = np.zeros((len(labels), n_groups))
    one_hot[np.arange(len(labels)), labels] = 1.0
    mass = one_hot.T @ weights  # members per group
    total_distance = distance @ (one_hot * weights[:, None])  # point x group
    own = labels
    own_mass = mass[own] - 1.0
    a = np.where(
        own_mass > 0,
        total_distance[np.arange(len(labels)), own] / np.maximum(own_mass, 1.0),
        0.0,
    )
    mean_other = total_distance / np.maximum(mass[None, :], 1e-12)
    mean_other[np.arange(len(labels)), own] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.where((own_mass > 0) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return float((s * weights).sum() / weights.sum())


def _group_counts(
    group_of_vote: np.ndarray, c: np.ndarray, v: np.ndarray, n_groups: int, s: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cell = group_of_vote * s + c
    size = n_groups * s
    agree = np.bincount(cell[v > 0], minlength=size).reshape(n_groups, s)
    disagree = np.bincount(cell[v < 0], minlength=size).reshape(n_groups, s)
    seen = np.bincount(cell, minlength=size).reshape(n_groups, s)
    return agree, disagree, seen


def _prop_test(success: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Pol.is's one-proportion z-score against 1/2 (with +1 smoothing)."""
    success, n = success + 1.0, n + 1.0
    return 2.0 * np.sqrt(n) * (success / n - 0.5)


def _two_prop_test(
    success_in: np.ndarray, success_out: np.ndarray, n_in: np.ndarray, n_out: np.ndarray
) -> np.ndarray:
    """Pol.is's two-proportion z-score, group against the rest (with +1 smoothing)."""
    success_in, success_out = success_in + 1.0, success_out + 1.0
    n_in, n_out = n_in + 1.0, n_out + 1.0
    p_in, p_out = success_in / n_in, success_out / n_out
    p_hat = (success_in + success_out) / (n_in + n_out)
    spread = np.sqrt(p_hat * (1.0 - p_hat) * (1.0 / n_in + 1.0 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(spread > 0, (p_in - p_out) / np.where(spread > 0, spread, 1.0), 0.0)
    return z


def _representative(
    g: int, agree: np.ndarray, disagree: np.ndarray, seen: np.ndarray, statements: np.ndarray
) -> tuple[RepresentativeStatement, ...]:
    """Pol.is's representative statements of group ``g`` against everyone else placed.

    A statement is *sufficient* when its agree tests (``rat`` and ``pat``) or its disagree
    tests (``rdt`` and ``pdt``) are both significant at 90 %; its kind is the side whose
    two-proportion test is stronger, its score ``ra x rat x pa x pat`` of that side. The group's
    *best agree* statement (Pol.is's running choice over statement ids, which favours what
    the group broadly agrees with) goes first, then the best sufficient ones by score, five
    in all, agrees before disagrees. With nothing sufficient: the best agree statement, or
    else the statement with the strongest two-proportion test, so every group shows one."""
    na, nd, ns = agree[g].astype(float), disagree[g].astype(float), seen[g].astype(float)
    rest = np.ones(len(agree), dtype=bool)
    rest[g] = False
    oa = agree[rest].sum(axis=0).astype(float)
    od = disagree[rest].sum(axis=0).astype(float)
    os_ = seen[rest].sum(axis=0).astype(float)
    pa, pd = (na + 1.0) / (ns + 2.0), (nd + 1.0) / (ns + 2.0)
    ra = pa / ((oa + 1.0) / (os_ + 2.0))
    rd = pd / ((od + 1.0) / (os_ + 2.0))
    pat, pdt = _prop_test(na, ns), _prop_test(nd, ns)
    rat, rdt = _two_prop_test(na, oa, ns, os_), _two_prop_test(nd, od, ns, os_)
    agree_metric = ra * rat * pa * pat
    is_agree = rat > rdt
    metric = np.where(is_agree, agree_metric, rd * rdt * pd * pdt)
    sufficient = ((rat > Z_90) & (pat > Z_90)) | ((rdt > Z_90) & (pdt > Z_90))

    best_agree = None
    for j in np.flatnonzero((na > 0) | (nd > 0)):  # in statement-id order, as Pol.is
        if best_agree is None:
            better = pat[j] > Z_90 or (ra[j] > 1.0 and pa[j] > 0.5)
        elif ra[best_agree] > 1.0:
            better = agree_metric[j] > agree_metric[best_agree]
        else:
            better = pa[j] * pat[j] > pa[best_agree] * pat[best_agree]
        if better:
            best_agree = int(j)

    def entry(j: int, kind: str) -> RepresentativeStatement:
        return RepresentativeStatement(
            statement=int(statements[j]),
            agree=int(na[j]),
            disagree=int(nd[j]),
            seen=int(ns[j]),
            agree_share=_round(na[j] / ns[j]) if ns[j] else 0.0,
            repness=_round(agree_metric[j] if kind == "agree" else metric[j]),
            kind=kind,
        )

    chosen = [entry(best_agree, "agree")] if best_agree is not None else []
    candidates = [j for j in np.flatnonzero(sufficient) if j != best_agree]
    if not candidates and not chosen and ns.any():
        strongest = int(np.argmax(np.where(ns > 0, np.maximum(rat, rdt), -np.inf)))
        candidates = [strongest]
    candidates.sort(key=lambda j: (-metric[j], int(statements[j])))
    chosen += [
        entry(j, "agree" if is_agree[j] else "disagree")
        for j in candidates[: REPRESENTATIVE_PER_GROUP - len(chosen)]
    ]
    return tuple(r for r in chosen if r.kind == "agree") + tuple(
        r for r in chosen if r.kind == "disagree"
    )


def _consensus_divisive(
    p_agree: np.ndarray, sizes: np.ndarray, statements: np.ndarray, limit: int
) -> tuple[tuple[RankedStatement, ...], tuple[RankedStatement, ...]]:
    consensus_score = np.prod(p_agree, axis=0)
    weights = sizes / sizes.sum()
    mean = weights @ p_agree
    divisive_score = weights @ (p_agree - mean) ** 2

    def ranked(score: np.ndarray, eligible: np.ndarray) -> tuple[RankedStatement, ...]:
        order = sorted(np.flatnonzero(eligible), key=lambda j: (-score[j], int(statements[j])))
        return tuple(
            RankedStatement(
                statement=int(statements[j]),
                group_agree=tuple(_round(p) for p in p_agree[:, j]),
                score=_round(score[j]),
            )
            for j in order[:limit]
        )

    all_agree = (p_agree > 0.5).all(axis=0)
    split = (p_agree > 0.5).any(axis=0) & (p_agree < 0.5).any(axis=0)
    return ranked(consensus_score, all_agree), ranked(divisive_score, split)


def adjusted_rand_index(a: Iterable[int], b: Iterable[int]) -> float:
    """Adjusted Rand index of two labelings of the same items (1 = same partition, ≈ 0 =
    chance). O(items + labels²) memory via the contingency table."""
    a_arr, b_arr = np.asarray(list(a)), np.asarray(list(b))
    if len(a_arr) != len(b_arr):
        raise ValueError("labelings differ in length")
    _, ai = np.unique(a_arr, return_inverse=True)
    _, bi = np.unique(b_arr, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1), dtype=np.int64)
    np.add.at(table, (ai, bi), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) // 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = math.comb(len(a_arr), 2)
    expected = rows * cols / total if total else 0.0
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)

"""Agreement statistics for calibration sessions of QA listeners (and of the auto-scorer).

Verdicts are nominal categories: True (met), False (violated) and None (not applicable).
None is a *category*, not a gap: listeners do disagree about whether a standard applied.
A missing grade is a key that is absent (mappings) or the :data:`MISSING` marker (matrix).
A statistic that is undefined (no common items, or no variation at all so chance agreement
is total) is returned as None rather than a made-up number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from .errors import CalibrationError


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""Marks an ungraded cell in a :func:`krippendorff_alpha` matrix."""


def _as_mapping(grades: Any, name: str, listener: Any = None) -> Mapping[Hashable, Any]:
    if isinstance(grades, Mapping):
        return grades
    raise CalibrationError(f"{name} must be a mapping item -> verdict, got "
                           f"{type(grades).__name__}", code="grades_not_mapping", listener=listener,
                           type=type(grades).__name__)


def cohen_kappa(a: Mapping[Hashable, Any], b: Mapping[Hashable, Any]) -> float | None:
    """Cohen's kappa of two raters over the items both graded.

    :param a: ``{item: verdict}`` of the first rater.
    :param b: ``{item: verdict}`` of the second rater.
    :returns: kappa in [-1, 1]; None when they share no item or chance agreement is 1.
    """
    a, b = _as_mapping(a, "a"), _as_mapping(b, "b")
    items = [k for k in a if k in b]
    if not items:
        return None
    n = len(items)
    observed = sum(1 for k in items if a[k] == b[k]) / n
    ca = Counter(a[k] for k in items)
    cb = Counter(b[k] for k in items)
    expected = sum(ca[c] * cb.get(c, 0) for c in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(matrix: Sequence[Sequence[Any]], missing: Any = MISSING
                       ) -> float | None:
    """Krippendorff's alpha for nominal data with missing values.

    :param matrix: one row per coder, one column per unit (all rows equally long).
    :param missing: the marker of an ungraded cell (default :data:`MISSING`; pass None if
        your data uses None for "not graded" rather than as a category).
    :returns: alpha (1 = perfect, 0 = chance); None when fewer than two pairable values
        or no variation at all.
    :raises CalibrationError: on ragged rows.
    """
    rows = [list(r) for r in matrix]
    if not rows:
        return None
    width = len(rows[0])
    if any(len(r) != width for r in rows):
        raise CalibrationError("every coder's row must have one cell per unit; got lengths "
                               + ", ".join(str(len(r)) for r in rows), code="ragged_matrix",
                               lengths=tuple(len(r) for r in rows))
    coincidence: Counter[tuple[Any, Any]] = Counter()
    for u in range(width):
        values = [r[u] for r in rows if r[u] is not missing]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    coincidence[(c, k)] += pairs / (m - 1)
    totals: Counter[Any] = Counter()
    for (c, _), v in coincidence.items():
        totals[c] += v
    n = sum(totals.values())
    if n < 2:
        return None
    disagree = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k)
    if expected == 0:
        return None
    return 1.0 - (n - 1) * disagree / expected


@dataclass(frozen=True, slots=True)
class Strictness:
    """How often a listener said "violated" compared with the consensus, on the same items.

    ``difference`` > 0: stricter than the consensus; < 0: more lenient.
    """

    items: int
    violated_share: float
    consensus_violated_share: float
    difference: float


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """Agreement of a calibration session.

    :param pairwise_kappa: Cohen's kappa per pair of listeners (sorted names).
    :param alpha: Krippendorff's alpha over all listeners.
    :param consensus: strict-majority verdict per item graded by 2+ listeners (ties left out).
    :param strictness: per listener, vs the consensus.
    :param auto_agreement: share of consensus items where the auto verdict equals it.
    :param auto_kappa: Cohen's kappa of the auto verdicts vs the consensus.
    """

    pairwise_kappa: dict[tuple[str, str], float | None]
    alpha: float | None
    consensus: dict[Hashable, bool | None]
    strictness: dict[str, Strictness | None]
    auto_agreement: float | None
    auto_kappa: float | None


def _consensus(grades: Mapping[str, Mapping[Hashable, Any]]) -> dict[Hashable, Any]:
    votes: dict[Hashable, list[Any]] = {}
    for listener_grades in grades.values():
        for item, verdict in listener_grades.items():
            votes.setdefault(item, []).append(verdict)
    out: dict[Hashable, Any] = {}
    for item, vs in votes.items():
        if len(vs) < 2:
            continue
        (top, count), *rest = Counter(vs).most_common() + [(None, 0)]
        if count * 2 > len(vs):
            out[item] = top
    return out


def calibration_report(grades: Mapping[str, Mapping[Hashable, Any]],
                       auto: Mapping[Hashable, Any] | None = None) -> CalibrationReport:
    """Compare listeners with each other, with their consensus, and the auto-scorer with it.

    :param grades: ``{listener: {(call_id, key): verdict}}``.
    :param auto: ``{(call_id, key): verdict}`` from the auto-scorer, optional.
    :raises CalibrationError: on a non-mapping or a verdict other than True/False/None.
    """
    if not isinstance(grades, Mapping):
        raise CalibrationError("grades must be {listener: {(call_id, key): verdict}}",
                               code="grades_not_by_listener", type=type(grades).__name__)
    for listener, g in grades.items():
        _as_mapping(g, f"grades[{listener!r}]", listener)
        for item, v in g.items():
            if v is not None and not isinstance(v, bool):
                raise CalibrationError(f"grades[{listener!r}][{item!r}] is {v!r}; accepted: "
                                       "true, false or null", code="bad_grade",
                                       listener=listener, item=item, value=v)
    names = sorted(grades)
    pairwise = {(x, y): cohen_kappa(grades[x], grades[y]) for x, y in combinations(names, 2)}
    items = sorted({i for g in grades.values() for i in g}, key=repr)
    matrix = [[grades[n].get(i, MISSING) for i in items] for n in names]
    alpha = krippendorff_alpha(matrix) if len(names) >= 2 else None
    consensus = _consensus(grades)
    strictness: dict[str, Strictness | None] = {}
    for name in names:
        shared = [i for i in grades[name] if i in consensus]
        if not shared:
            strictness[name] = None
            continue
        own = sum(1 for i in shared if grades[name][i] is False) / len(shared)
        cons = sum(1 for i in shared if consensus[i] is False) / len(shared)
        strictness[name] = Strictness(len(shared), own, cons, own - cons)
    auto_agreement = auto_kappa = None
    if auto is not None:
        auto = _as_mapping(auto, "auto")
        shared = [i for i in consensus if i in auto]
        if shared:
            auto_agreement = sum(1 for i in shared if auto[i] == consensus[i]) / len(shared)
            auto_kappa = cohen_kappa({i: auto[i] for i in shared}, consensus)
    return CalibrationReport(pairwise, alpha, consensus, strictness, auto_agreement, auto_kappa)

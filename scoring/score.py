"""The call score: standards (auto verdicts, overridden by QA listeners) blended with CSAT.

Formula, all on a 0..100 scale:

1. For every criterion the *effective* verdict is the human one when a listener graded it
   (a key present in ``human_verdicts``, even with None = "not applicable"), else the auto
   one. Criteria whose effective verdict is None drop out.
2. ``standards = 100 * Σ weight(met) / Σ weight(applicable)``; None when nothing applies.
3. With a CSAT rating (1..5 → 0, 25, 50, 75, 100):
   ``value = (1 - csat_weight) * standards + csat_weight * csat``; when no standard applies,
   the CSAT alone; with neither, None.
4. A violated critical criterion caps the final value at ``scorecard.critical_cap``.

``components`` keeps the parts apart: ``auto`` (auto verdicts only), ``human`` (the
criteria a listener graded only) and ``csat`` (mapped), each None when absent.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ScoreError
from .scorecard import Scorecard
from .verdicts import Verdict


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One criterion's share of the score.

    ``weight`` is normalised over the applicable criteria (0 when not applicable);
    ``points`` is what it earned out of 100 (None when not applicable).
    """

    key: str
    title: str
    weight: float
    source: str
    verdict: bool | None
    auto_verdict: bool | None
    human_verdict: bool | None
    points: float | None
    capped_by_critical: bool


@dataclass(frozen=True, slots=True)
class Score:
    """The final score (0..100, or None when nothing could be judged) and its parts."""

    value: float | None
    components: dict[str, float | None]
    lines: tuple[ScoreLine, ...]
    capped: bool
    uncapped: float | None = None  # what ``value`` would be without the critical cap

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "components": dict(self.components), "capped": self.capped,
                "uncapped": self.uncapped,
                "lines": [{"key": ln.key, "title": ln.title, "weight": round(ln.weight, 4),
                           "source": ln.source, "verdict": ln.verdict,
                           "auto_verdict": ln.auto_verdict, "human_verdict": ln.human_verdict,
                           "points": ln.points, "capped_by_critical": ln.capped_by_critical}
                          for ln in self.lines]}


def _verdict(value: Any, source: str, key: str) -> bool | None:
    if isinstance(value, Verdict):
        value = value.verdict
    if value is None or isinstance(value, bool):
        return value
    raise ScoreError(f"{source} verdict {key!r} must be true, false or null (or a Verdict), "
                     f"got {value!r}", code="bad_verdict", source=source, key=key, value=value)


def _standards(scorecard: Scorecard, verdicts: Mapping[str, bool | None]) -> float | None:
    applicable = {k for k, v in verdicts.items() if v is not None}
    weights = scorecard.weights(applicable)
    if not weights:
        return None
    return round(100.0 * sum(w for k, w in weights.items() if verdicts[k]), 2)


def csat_points(csat: int) -> float:
    """Map a CSAT rating 1..5 to 0..100 (1 → 0, 3 → 50, 5 → 100).

    :raises ScoreError: for anything but an integer 1..5.
    """
    if isinstance(csat, bool) or not isinstance(csat, int) or not 1 <= csat <= 5:
        raise ScoreError(f"csat must be an integer from 1 to 5 (or null), got {csat!r}",
                         code="bad_csat", csat=csat)
    return (csat - 1) * 25.0


def compute_score(scorecard: Scorecard, auto_verdicts: Mapping[str, Any],
                  human_verdicts: Mapping[str, bool | None] | None = None,
                  csat: int | None = None, csat_weight: float = 0.2) -> Score:
    """Score a call (see the module docstring for the formula).

    :param scorecard: the card the verdicts were given on.
    :param auto_verdicts: ``{key: Verdict | bool | None}`` from :func:`scoring.evaluate`
        (``Evaluation.verdicts``); a missing key counts as not applicable.
    :param human_verdicts: ``{key: bool | None}`` from QA listeners; present keys override.
    :param csat: subscriber rating 1..5, or None.
    :param csat_weight: share of CSAT in the final value, 0..1.
    :raises ScoreError: on unknown keys, non-boolean verdicts, CSAT or weight out of range.
    """
    human_verdicts = human_verdicts or {}
    if isinstance(csat_weight, bool) or not isinstance(csat_weight, int | float) or \
            not math.isfinite(csat_weight) or not 0 <= csat_weight <= 1:
        raise ScoreError(f"csat_weight must be a number from 0 to 1, got {csat_weight!r}",
                         code="bad_csat_weight", csat_weight=csat_weight)
    known = set(scorecard.keys)
    for name, given in (("auto_verdicts", auto_verdicts), ("human_verdicts", human_verdicts)):
        unknown = sorted(set(given) - known)
        if unknown:
            raise ScoreError(f"{name} has key(s) {', '.join(unknown)} not on scorecard "
                             f"{scorecard.name!r}; known: {', '.join(scorecard.keys)}",
                             code="verdict_keys_not_on_scorecard", source=name.split("_")[0],
                             keys=tuple(unknown), scorecard=scorecard.name, known=scorecard.keys)
    auto = {k: _verdict(auto_verdicts.get(k), "auto", k) for k in scorecard.keys}
    human = {k: _verdict(v, "human", k) for k, v in human_verdicts.items()}
    effective = {k: human[k] if k in human else auto[k] for k in scorecard.keys}
    csat_value = None if csat is None else csat_points(csat)

    standards = _standards(scorecard, effective)
    if standards is None:
        value = csat_value
    elif csat_value is None:
        value = standards
    else:
        value = round((1 - csat_weight) * standards + csat_weight * csat_value, 2)
    critical = {c.key for c in scorecard.criteria if c.critical and effective[c.key] is False}
    uncapped = value
    capped = bool(critical) and value is not None and value > scorecard.critical_cap
    if capped:
        value = float(scorecard.critical_cap)

    weights = scorecard.weights({k for k, v in effective.items() if v is not None})
    lines = tuple(
        ScoreLine(
            key=c.key, title=c.title, weight=weights.get(c.key, 0.0),
            source="human" if c.key in human else "auto", verdict=effective[c.key],
            auto_verdict=auto[c.key], human_verdict=human.get(c.key),
            points=None if effective[c.key] is None else round(
                100.0 * weights[c.key] * effective[c.key], 2),
            capped_by_critical=capped and c.key in critical,
        ) for c in scorecard.criteria)
    human_part = _standards(scorecard, human) if human else None
    return Score(value, {"auto": _standards(scorecard, auto), "human": human_part,
                         "csat": csat_value}, lines, capped, uncapped)


def whole_percents(shares: Mapping[str, float], step: float = 1.0) -> dict[str, float]:
    """Shares (summing to 1) as percents in multiples of ``step`` that add up to exactly 100:
    each is rounded down, and the steps left over go to the largest remainders (so a table of
    weights never reads 101 %). Zero shares stay 0; an empty mapping gives an empty one."""
    total = sum(shares.values())
    if not shares or total <= 0:
        return {k: 0.0 for k in shares}
    units = round(100 / step)
    exact = {k: units * v / total for k, v in shares.items()}
    floors = {k: math.floor(x + 1e-9) for k, x in exact.items()}
    left = units - sum(floors.values())
    for k in sorted(exact, key=lambda k: (floors[k] - exact[k], k))[:left]:
        floors[k] += 1
    return {k: round(n * step, 6) for k, n in floors.items()}

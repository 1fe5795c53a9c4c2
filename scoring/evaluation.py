"""Judging one call against a scorecard: gates, detectors, verdicts with evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .applicability import APPLICABILITY
from .context import Context
from .cues import call_evidence
from .detectors import DETECTORS
from .scorecard import Scorecard
from .transcript import build_transcript
from .verdicts import Verdict
from .written import is_written, not_written


@dataclass(frozen=True)
class Evaluation:
    """Verdicts of one call, keyed by criterion key, in scorecard order."""

    scorecard: str
    version: int
    verdicts: dict[str, Verdict]

    def to_dict(self) -> dict[str, Any]:
        """The ``standards`` object of the call JSON: ``{key: {verdict, evidence, ...}}``."""
        return {k: v.to_dict() for k, v in self.verdicts.items()}


def evaluate(call: Mapping[str, Any], scorecard: Scorecard, context: Context | None = None
             ) -> Evaluation:
    """Judge a call (docs/call-format.md) on every criterion of a scorecard.

    A call without any operator speech (empty, failed ASR, subscriber channel only) gets
    *not applicable* on every criterion, each with evidence saying so: nothing the
    operator did can be judged, and a silent recording must not cost points.

    :param call: the call object from ``speech.analyse(...).to_dict()`` or the database.
    :param scorecard: a valid scorecard (see :func:`default_scorecard`).
    :param context: company names, operator name, stop-words; defaults to :class:`Context`.
    :raises TranscriptError: when the call object is malformed.
    :raises ScorecardError: when the scorecard is invalid.
    """
    ctx = context or Context()
    scorecard.validate()
    tr = build_transcript(call, ctx.hold_threshold)
    verdicts: dict[str, Verdict] = {}
    if not tr.has_speech("operator"):
        note = ("запись пуста: распознанной речи нет" if not tr.segments or not any(
            s.tokens for s in tr.segments) else "в записи нет речи оператора")
        ev = (call_evidence(tr, note),)
        for crit in scorecard.criteria:
            verdicts[crit.key] = Verdict(crit.key, None, ev, 1.0)
        return Evaluation(scorecard.name, scorecard.version, verdicts)
    written = is_written(tr)
    for crit in scorecard.criteria:
        finding = not_written(tr, crit.detector) if written else None
        if finding is None:
            finding = APPLICABILITY[crit.applicability](tr, ctx, crit.params)
        if finding is None:
            finding = DETECTORS[crit.detector](tr, ctx, crit.params)
        evidence = finding.evidence or (call_evidence(tr, "детектор не привёл доказательств"),)
        confidence = min(1.0, max(0.0, float(finding.confidence)))
        verdicts[crit.key] = Verdict(crit.key, finding.verdict, evidence, confidence)
    return Evaluation(scorecard.name, scorecard.version, verdicts)

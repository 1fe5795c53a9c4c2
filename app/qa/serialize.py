"""The scoring part of a call, for its JSON and its page."""

from __future__ import annotations

from typing import Any

import scoring
from app.models import Call
from app.qa.operations import FROM_DB, score_call


def scoring_fields(call: Call) -> dict[str, Any]:
    """``standards`` (automatic verdicts with evidence, listener verdicts beside them) and ``score``."""
    result = score_call(call)
    if result is None:
        return {"standards": {}, "score": None, "score_components": None}
    standards = {}
    for key, auto in result.evaluation.verdicts.items():
        human = result.human.get(key)
        effective = FROM_DB[human.verdict] if human else auto["verdict"]
        standards[key] = {**auto, "verdict": effective, "auto_verdict": auto["verdict"],
                          "human": ({"verdict": FROM_DB[human.verdict], "comment": human.comment,
                                     "by": human.grader.login, "at_seconds": human.at_seconds}
                                    if human else None)}
    return {
        "standards": standards,
        "score": None if result.score.value is None else round(result.score.value, 1),
        "score_components": {k: (None if v is None else round(v, 1))
                             for k, v in result.score.components.items()},
        "score_capped": result.score.capped,
        "scorecard": {"name": result.card.name, "version": result.card.version},
        "rating": ({"stars": result.rating.stars, "comment": result.rating.comment}
                   if result.rating else None),
    }


def scoring_view(call: Call) -> dict[str, Any]:
    result = score_call(call)
    if result is None:
        return {"scoring": None}
    titles = {c.key: c for c in result.card.criteria}
    # the weights of this call's applicable criteria, rounded so that they add up to 100 %
    percents = scoring.whole_percents({ln.key: ln.weight for ln in result.score.lines
                                       if ln.verdict is not None})
    lines = []
    for line in result.score.lines:
        auto = result.evaluation.verdicts.get(line.key, {})
        human = result.human.get(line.key)
        lines.append({"line": line, "criterion": titles[line.key], "auto": auto, "human": human,
                      "percent": percents.get(line.key)})
    cap = None
    if result.score.capped:
        cap = {"limit": result.card.critical_cap, "uncapped": result.score.uncapped,
               "by": [titles[ln.key].title for ln in result.score.lines if ln.capped_by_critical]}
    return {"scoring": result, "score_lines": lines, "cap": cap,
            "reweighted": any(ln.verdict is None for ln in result.score.lines)}

"""Data for the QA pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Call, CallEvaluation, Dispute, QaVerdict, User
from app.qa import operations
from app.qa.serialize import scoring_view

VERDICT_TITLES = {"met": "выполнено", "violated": "нарушено", "na": "неприменимо"}
QUEUE_SIZE = 30


def queue_context(user: User) -> dict[str, Any]:
    graded = exists().where(QaVerdict.call_id == Call.id, QaVerdict.session_id.is_(None))
    to_grade = db.session.execute(
        select(Call, CallEvaluation.auto_score).join(CallEvaluation, CallEvaluation.call_id == Call.id)
        .options(selectinload(Call.operator)).where(Call.status == "done", ~graded)
        .order_by(CallEvaluation.auto_score.asc().nulls_last(), Call.id.desc()).limit(QUEUE_SIZE)
    ).all()
    from app.qa.calibration import sessions_for

    open_disputes = db.session.scalar(select(db.func.count()).select_from(Dispute)
                                      .where(Dispute.status == "open"))
    return {"to_grade": to_grade, "calibrations": sessions_for(user), "open_disputes": open_disputes}


def grading_context(call: Call, user: User, session_id: int | None) -> dict[str, Any]:
    from app.calls.serialize import call_view

    ctx = call_view(call)
    ctx.update(scoring_view(call))
    ctx["rows"] = [row_context(call, c.key, user, session_id)["row"]
                   for c in (ctx["scoring"].card.criteria if ctx["scoring"] else [])]
    ctx["session_id"] = session_id
    ctx["titles"] = VERDICT_TITLES
    return ctx


def has_criterion(call: Call, key: str) -> bool:
    evaluation = operations.current_evaluation(call)
    return evaluation is not None and key in evaluation.verdicts


def row_context(call: Call, key: str, user: User, session_id: int | None, *,
                conflict: QaVerdict | None = None, mine: Any = None, error: str | None = None,
                saved: bool = False) -> dict[str, Any]:
    """One criterion row of the grading page (also returned alone after each autosave)."""
    evaluation = operations.current_evaluation(call)
    card = operations.card_of(evaluation.scorecard)
    criterion = next(c for c in card.criteria if c.key == key)
    human = operations.find_verdict(call, key, evaluation.scorecard_id, session_id, user)
    auto = evaluation.verdicts.get(key, {})
    return {"call": call, "session_id": session_id, "row": {
        "criterion": criterion,
        "auto": None if session_id else auto,   # calibration is blind
        "auto_value": operations.TO_DB[auto.get("verdict")] if auto else "na",
        "human": human,
        "conflict": conflict,
        "mine": mine,
        "error": error,
        "saved": saved,
    }, "titles": VERDICT_TITLES}


def disputes_context() -> dict[str, Any]:
    rows = db.session.scalars(select(Dispute).options(selectinload(Dispute.call),
                                                      selectinload(Dispute.operator))
                              .order_by(Dispute.status != "open", Dispute.id.desc()).limit(100)).all()
    titles = {c.key: c.title for c in operations.card_of(operations.active_scorecard()).criteria}
    return {"disputes": rows, "titles": titles}


def scorecard_context() -> dict[str, Any]:
    row = operations.active_scorecard()
    return {"row": row, "card": operations.card_of(row), "forbidden": row.data.get("forbidden", [])}


def card_from_form(form) -> dict[str, Any]:
    card = operations.card_of(operations.active_scorecard()).to_dict()
    for criterion in card["criteria"]:
        key = criterion["key"]
        try:
            criterion["weight"] = float(form.get(f"weight-{key}", criterion["weight"]))
        except ValueError:
            raise operations.QaError(f"Вес критерия «{criterion['title']}» — число.") from None
        criterion["critical"] = form.get(f"critical-{key}") == "on"
    try:
        card["critical_cap"] = float(form.get("critical_cap", card["critical_cap"]))
    except ValueError:
        raise operations.QaError("Потолок при критичном нарушении — число от 0 до 100.") from None
    return card


def forbidden_from_form(form) -> list[str]:
    return [line.strip() for line in form.get("forbidden", "").splitlines() if line.strip()]

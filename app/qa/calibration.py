"""Calibration sessions: listeners grade the same calls blind; the report shows agreement."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select

import scoring
from app import audit
from app.extensions import db
from app.models import CalibrationSession, Call, CallEvaluation, QaVerdict, Role, User
from app.qa import operations


def create_session(title: str, call_ids: list[int], listener_ids: list[int], *,
                   actor: User) -> CalibrationSession:
    if not title.strip():
        raise operations.QaError("Назовите калибровку.")
    calls = db.session.scalars(select(Call).where(Call.id.in_(call_ids), Call.status == "done")).all()
    if len(calls) < 1 or len(calls) != len(set(call_ids)):
        raise operations.QaError("Выберите хотя бы один обработанный звонок.")
    listeners = db.session.scalars(select(User).where(User.id.in_(listener_ids),
                                                      User.role == Role.QA_LISTENER)).all()
    if len(listeners) < 2:
        raise operations.QaError("Для калибровки нужны хотя бы два слушателя ОКК.")
    row = operations.active_scorecard()
    session = CalibrationSession(title=title.strip(), scorecard_id=row.id,
                                 call_ids=sorted(c.id for c in calls),
                                 listener_ids=sorted(u.id for u in listeners), created_by_id=actor.id)
    db.session.add(session)
    db.session.flush()
    for call in calls:
        if db.session.scalar(select(CallEvaluation).where(CallEvaluation.call_id == call.id,
                                                          CallEvaluation.scorecard_id == row.id)) is None:
            operations.evaluate_call(call, row)
    audit.record(actor, "calibration.create", "calibration", session.id, calls=session.call_ids)
    return session


def check_member(session_id: int, user: User) -> CalibrationSession:
    session = db.session.get(CalibrationSession, session_id)
    if session is None or user.id not in session.listener_ids:
        abort(403)
    return session


def complete_gradings(session: CalibrationSession, rows: list[QaVerdict]) -> set[tuple[int, int]]:
    """``(grader, call)`` pairs graded to the end: a verdict (met, violated or not applicable)
    on every criterion of the session's scorecard. Only these count in progress and agreement,
    as only a finished grade counts anywhere."""
    from app.models import Scorecard

    keys = {c.key for c in operations.card_of(db.session.get(Scorecard, session.scorecard_id)).criteria}
    given: dict[tuple[int, int], set[str]] = {}
    for r in rows:
        given.setdefault((r.grader_id, r.call_id), set()).add(r.key)
    return {pair for pair, done in given.items() if keys <= done}


def sessions_for(user: User) -> list[dict[str, Any]]:
    sessions = db.session.scalars(select(CalibrationSession).where(CalibrationSession.closed_at.is_(None))
                                  .order_by(CalibrationSession.id.desc())).all()
    out = []
    for s in sessions:
        if user.id not in s.listener_ids:
            continue
        rows = db.session.scalars(select(QaVerdict).where(QaVerdict.session_id == s.id,
                                                          QaVerdict.grader_id == user.id)).all()
        done = len({call_id for _, call_id in complete_gradings(s, rows)})
        out.append({"session": s, "done": done, "total": len(s.call_ids)})
    return out


def sessions_context(user: User) -> dict[str, Any]:
    sessions = db.session.scalars(select(CalibrationSession).order_by(CalibrationSession.id.desc())).all()
    calls = db.session.scalars(select(Call).where(Call.status == "done").order_by(Call.id.desc())
                               .limit(50)).all()
    listeners = db.session.scalars(select(User).where(User.role == Role.QA_LISTENER, User.active)
                                   .order_by(User.full_name)).all()
    return {"sessions": sessions, "calls": calls, "listeners": listeners,
            "mine": sessions_for(user)}


def report_context(session: CalibrationSession) -> dict[str, Any]:
    rows = db.session.scalars(select(QaVerdict).where(QaVerdict.session_id == session.id)).all()
    people = db.session.scalars(select(User).where(User.id.in_(session.listener_ids))).all()
    full_names = [u.full_name for u in people]
    names = {u.id: u.full_name if full_names.count(u.full_name) == 1 else f"{u.full_name} ({u.login})"
             for u in people}
    grades: dict[str, dict[tuple[int, str], bool | None]] = {names[i]: {} for i in session.listener_ids}
    complete = complete_gradings(session, rows)
    for r in rows:
        if (r.grader_id, r.call_id) in complete:
            grades[names[r.grader_id]][(r.call_id, r.key)] = operations.FROM_DB[r.verdict]
    auto: dict[tuple[int, str], bool | None] = {}
    for evaluation in db.session.scalars(select(CallEvaluation).where(
            CallEvaluation.call_id.in_(session.call_ids),
            CallEvaluation.scorecard_id == session.scorecard_id)):
        for key, verdict in evaluation.verdicts.items():
            auto[(evaluation.call_id, key)] = verdict["verdict"]
    graded = {name: g for name, g in grades.items() if g}
    report = None
    if len(graded) >= 2:
        try:
            report = scoring.calibration_report(graded, auto)
        except scoring.ScoringError as exc:
            report = None
            audit.record(None, "calibration.report_failed", "calibration", session.id, error=str(exc))
    progress = {name: len({k[0] for k in g}) for name, g in grades.items()}
    return {"session": session, "report": report, "progress": progress}

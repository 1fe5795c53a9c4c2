"""Daily listening assignments, generated lazily (first visit of the day) and idempotently.

The seed is the date and the person, so the same calls table gives the same picks on every
machine and every rerun (``ulybka listening assign --date``).
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, select

import training
from app.certification.rewards import award_training_event
from app.extensions import db
from app.models import Call, ListeningAssignment, Role, User, utcnow
from app.outcome import Refused

log = logging.getLogger("ulybka.listening")
DEFAULT_PER_LISTENER = 5
POOL_DAYS = 7


class ListeningError(Refused):
    """A listening action was refused; the message (Russian) says why."""


def per_listener() -> int:
    return int(current_app.config.get("LISTENING_PER_LISTENER", DEFAULT_PER_LISTENER))


def _risk_facts(call_ids: list[int]) -> tuple[dict[int, float | None], dict[int, int], set[int]]:
    """Automatic scores (newest evaluation), subscriber ratings and open disputes of calls."""
    from app.models import CallEvaluation, Dispute, Rating

    scores: dict[int, float | None] = {}
    for call_id, score in db.session.execute(
            select(CallEvaluation.call_id, CallEvaluation.auto_score)
            .where(CallEvaluation.call_id.in_(call_ids)).order_by(CallEvaluation.id)):
        scores[call_id] = score
    ratings = dict(db.session.execute(select(Rating.call_id, Rating.stars)
                                      .where(Rating.call_id.in_(call_ids))).all())
    disputed = set(db.session.scalars(select(Dispute.call_id).where(
        Dispute.call_id.in_(call_ids), Dispute.status == "open")))
    return scores, ratings, disputed


def _pool(day: date) -> list[training.CallInfo]:
    """Finished calls of the ``POOL_DAYS`` days before ``day``."""
    end = datetime.combine(day, time.min, tzinfo=UTC)
    start = end - timedelta(days=POOL_DAYS)
    rows = db.session.execute(
        select(Call, User.login)
        .outerjoin(User, Call.operator_id == User.id)
        .where(Call.status == "done", Call.created_at < end + timedelta(days=1), Call.created_at >= start)
    ).all()
    scores, ratings, disputed = _risk_facts([call.id for call, _ in rows])
    return [
        training.CallInfo(
            call.id, scores.get(call.id), ratings.get(call.id), call.id in disputed, login or "",
            call.started_at or call.created_at,
        )
        for call, login in rows
    ]


def assign_for(
    user: User, day: date, pool: list[training.CallInfo] | None = None
) -> list[ListeningAssignment]:
    """The user's assignments for ``day``, created on first use; nothing twice."""
    existing = list(
        db.session.scalars(
            select(ListeningAssignment)
            .where(ListeningAssignment.user_id == user.id, ListeningAssignment.day == day)
            .order_by(ListeningAssignment.id)
        )
    )
    if existing or user.role not in (Role.QA_LISTENER, Role.OPERATOR):
        return existing
    pool = _pool(day) if pool is None else pool
    seed = f"{day.isoformat()}|{user.login}"
    if user.role == Role.QA_LISTENER:
        picks, kind, count = training.sample_for_listener(pool, per_listener(), seed=seed), "review", 3
    else:
        k = 1 + (sum(map(ord, seed)) % 2)  # one or two, stable for the day
        picks, kind, count = training.pick_exemplary(pool, user.login, k=k, seed=seed), "exemplary", 3
    infos = {info.id: info for info in pool}
    rows = [
        ListeningAssignment(
            user_id=user.id,
            day=day,
            call_id=p.call_id,
            kind=kind,
            reason=p.reason,
            seed=seed,
            questions=training.questions_for(infos[p.call_id], p.reason, count),
        )
        for p in picks
    ]
    db.session.add_all(rows)
    db.session.flush()
    log.info("listening for %s on %s: %s calls", user.login, day, len(rows))
    return rows


def assign_all(day: date) -> dict[str, int]:
    """Assignments for every active QA listener and operator (``ulybka listening assign``)."""
    pool = _pool(day)
    people = db.session.scalars(
        select(User)
        .where(User.active.is_(True), User.role.in_([Role.QA_LISTENER, Role.OPERATOR]))
        .order_by(User.id)
    )
    return {user.login: len(assign_for(user, day, pool)) for user in people}


def complete(assignment: ListeningAssignment, answers: list[str], user: User) -> None:
    if assignment.user_id != user.id:
        raise ListeningError("Это задание другого сотрудника.")
    if assignment.completed_at is not None:
        raise ListeningError("Задание уже выполнено.")
    answers = [a.strip() for a in answers]
    if len(answers) < len(assignment.questions) or not all(answers):
        raise ListeningError("Ответьте на все вопросы — хотя бы одной фразой.")
    assignment.answers, assignment.completed_at = answers[: len(assignment.questions)], utcnow()
    db.session.flush()
    if user.role == Role.OPERATOR:
        award_training_event(
            "listening",
            f"assignment:{assignment.id}",
            user.login,
            assignment.completed_at,
            {"completed": True},
        )


def overdue(today: date) -> list[ListeningAssignment]:
    return list(
        db.session.scalars(
            select(ListeningAssignment)
            .where(and_(ListeningAssignment.day < today, ListeningAssignment.completed_at.is_(None)))
            .order_by(ListeningAssignment.day, ListeningAssignment.user_id)
        )
    )


def page_for(user: User, today: date) -> dict[str, Any]:
    mine = assign_for(user, today)
    return {
        "today": today,
        "assignments": mine,
        "overdue": overdue(today) if user.role in (Role.MANAGER, Role.ADMIN) else [],
        "my_overdue": [a for a in overdue(today) if a.user_id == user.id],
        "reasons": training.REASON_LABELS,
    }

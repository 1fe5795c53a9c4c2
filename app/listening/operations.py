"""Daily listening assignments, generated lazily (first visit of the day) and idempotently.

The seed is the date and the person, so the same calls table gives the same picks on every
machine and every rerun (``ulybka listening assign --date``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from flask import abort, current_app
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

import training
from app.access import get_or_404
from app.calls import store
from app.calls.queries import LISTENERS
from app.calls.timeline import render_timeline
from app.extensions import db
from app.features import announce
from app.models import Call, ListeningAssignment, Role, Team, User, utcnow
from app.outcome import Refused

log = logging.getLogger("ulybka.listening")
DEFAULT_PER_LISTENER = 5
POOL_DAYS = 7
SUPERVISORS = (Role.MANAGER, Role.ADMIN)  # may open anyone's assignment and its recording
LEARNERS = (Role.QA_LISTENER, Role.OPERATOR)  # get assignments


class ListeningError(Refused):
    """A listening action was refused; the message (Russian) says why."""


def per_listener() -> int:
    return int(current_app.config.get("LISTENING_PER_LISTENER", DEFAULT_PER_LISTENER))


Standards = tuple[tuple[str, str, bool | None], ...]


def _risk_facts(call_ids: list[int]) -> tuple[dict[int, float | None], dict[int, int], set[int],
                                              dict[int, Standards]]:
    """Automatic scores and verdicts (newest evaluation), subscriber ratings and open disputes."""
    from app.models import CallEvaluation, Dispute, Rating, Scorecard
    from app.qa.operations import card_of

    scores: dict[int, float | None] = {}
    standards: dict[int, Standards] = {}
    cards: dict[int, list[tuple[str, str]]] = {}
    for call_id, score, scorecard_id, verdicts in db.session.execute(
            select(CallEvaluation.call_id, CallEvaluation.auto_score, CallEvaluation.scorecard_id,
                   CallEvaluation.verdicts)
            .where(CallEvaluation.call_id.in_(call_ids)).order_by(CallEvaluation.id)):
        if scorecard_id not in cards:
            cards[scorecard_id] = [(c.key, c.title) for c in
                                   card_of(db.session.get(Scorecard, scorecard_id)).criteria]
        scores[call_id] = score
        standards[call_id] = tuple((key, title, (verdicts.get(key) or {}).get("verdict"))
                                   for key, title in cards[scorecard_id])
    ratings = dict(db.session.execute(select(Rating.call_id, Rating.stars)
                                      .where(Rating.call_id.in_(call_ids))).all())
    disputed = set(db.session.scalars(select(Dispute.call_id).where(
        Dispute.call_id.in_(call_ids), Dispute.status == "open")))
    return scores, ratings, disputed, standards


def _pool(day: date) -> list[training.CallInfo]:
    """Finished calls of ``day`` and the ``POOL_DAYS`` days before it (a pick made later in the
    day may see more of the day's calls; once made, a day's picks stay)."""
    end = datetime.combine(day, time.min, tzinfo=UTC)
    start = end - timedelta(days=POOL_DAYS)
    rows = db.session.execute(
        select(Call, User.login)
        .outerjoin(User, Call.operator_id == User.id)
        .where(Call.status == "done", store.RECORDING_KEPT,
               Call.created_at < end + timedelta(days=1), Call.created_at >= start)
    ).all()
    scores, ratings, disputed, standards = _risk_facts([call.id for call, _ in rows])
    return [
        training.CallInfo(
            call.id, scores.get(call.id), ratings.get(call.id), call.id in disputed, login or "",
            call.started_at or call.created_at, standards.get(call.id, ()),
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
    if existing or user.role not in LEARNERS:
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
        .where(User.active.is_(True), User.role.in_(LEARNERS))
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
        announce(  # the points ledger listens
            "training.completed",
            "listening",
            f"assignment:{assignment.id}",
            user.login,
            assignment.completed_at,
            {"completed": True},
        )


def overdue(today: date, user: User | None = None) -> list[ListeningAssignment]:
    """Assignments of days before ``today`` not done yet: everybody's, or ``user``'s only."""
    stmt = (
        select(ListeningAssignment)
        .options(selectinload(ListeningAssignment.user))
        .where(and_(ListeningAssignment.day < today, ListeningAssignment.completed_at.is_(None)))
        .order_by(ListeningAssignment.day, ListeningAssignment.user_id, ListeningAssignment.id)
    )
    if user is not None:
        stmt = stmt.where(ListeningAssignment.user_id == user.id)
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class Progress:
    """One person's listening on a day: how many calls were assigned and how many are done."""

    login: str
    full_name: str
    role: str
    team: str | None
    assigned: int
    completed: int

    @property
    def finished(self) -> bool:
        return self.assigned > 0 and self.completed >= self.assigned

    @property
    def role_title(self) -> str:
        return Role(self.role).title


@dataclass(frozen=True)
class DayOverview:
    """Every active QA listener and operator with their progress on ``day``, and the totals."""

    day: date
    people: list[Progress]
    assigned: int
    completed: int
    finished: int
    not_started: int


def day_overview(day: date) -> DayOverview:
    """Assigned and completed counts per person on ``day`` (one query, people without any too)."""
    listeners_first = case((User.role == Role.QA_LISTENER, 0), else_=1)
    rows = db.session.execute(
        select(User.login, User.full_name, User.role, Team.name,
               func.count(ListeningAssignment.id), func.count(ListeningAssignment.completed_at))
        .outerjoin(Team, Team.id == User.team_id)
        .outerjoin(ListeningAssignment,
                   and_(ListeningAssignment.user_id == User.id, ListeningAssignment.day == day))
        .where(User.active.is_(True), User.role.in_(LEARNERS))
        .group_by(User.id, User.login, User.full_name, User.role, Team.name)
        .order_by(listeners_first, User.full_name, User.id)
    ).all()
    people = [Progress(*row) for row in rows]
    return DayOverview(
        day=day,
        people=people,
        assigned=sum(p.assigned for p in people),
        completed=sum(p.completed for p in people),
        finished=sum(p.finished for p in people),
        not_started=sum(p.assigned == 0 for p in people),
    )


def home_panel(user: User) -> dict[str, Any]:
    """The home page's listening card: today's calls to listen to, done, and overdue ones."""
    today = date.today()
    assigned, completed = db.session.execute(
        select(func.count(ListeningAssignment.id), func.count(ListeningAssignment.completed_at))
        .where(ListeningAssignment.user_id == user.id, ListeningAssignment.day == today)).one()
    late = db.session.scalar(select(func.count(ListeningAssignment.id)).where(
        ListeningAssignment.user_id == user.id, ListeningAssignment.day < today,
        ListeningAssignment.completed_at.is_(None))) or 0
    return {"assigned": assigned, "completed": completed, "overdue": late}


def page_for(user: User, today: date) -> dict[str, Any]:
    mine = assign_for(user, today)
    supervisor = user.role in SUPERVISORS
    return {
        "today": today,
        "assignments": mine,
        "overview": day_overview(today) if supervisor else None,
        "overdue": overdue(today) if supervisor else [],
        "my_overdue": overdue(today, user) if user.role in LEARNERS else [],
        "reasons": training.REASON_LABELS,
    }


def load_assignment(user: User, assignment_id: int) -> ListeningAssignment:
    """The assignment, if ``user`` is its assignee, a manager or an admin; 404/403 otherwise."""
    row = get_or_404(ListeningAssignment, assignment_id)
    if row.user_id != user.id and user.role not in SUPERVISORS:
        abort(403)
    return row


def recording(assignment: ListeningAssignment) -> tuple[Call, Path | None]:
    """The assignment's call and its audio file (None when the file is not in the store)."""
    call = db.session.get(Call, assignment.call_id)
    return call, store.recording(call)


def assignment_view(assignment: ListeningAssignment, user: User) -> dict[str, Any]:
    """The assignment page: the call's player, timeline and redacted transcript, and the links
    ``user`` may follow (the call page and the scorecard are for QA, managers and admins)."""
    call, audio = recording(assignment)
    segments = call.segments or []
    listener = user.role in LISTENERS  # may open any call page (app.calls.queries.load_call)
    return {
        "a": assignment,
        "call": call,
        "has_audio": audio is not None,
        "segments": segments,
        "timeline": render_timeline(segments, call.metrics or {}, call.duration or 0.0),
        "may_open_call": listener,
        "may_grade": listener and assignment.kind == "review",
        "answering": assignment.user_id == user.id and assignment.completed_at is None,
        "reasons": training.REASON_LABELS,
    }

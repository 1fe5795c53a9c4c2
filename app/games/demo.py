"""A month of demo game history for ``ulybka demo``, written through :func:`award_events`.

The points for calls and ratings come from the calls and ratings the demo made (the recorded
week and the month of history before it, :mod:`app.calls.demo`), so every count on the pages
agrees with the call list; listening tasks and exams add theirs. Everything goes through the
ledger entry point, so points, badges and notifications agree; what the ledger holds is not
written again, so a second run adds nothing.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import games
from app.extensions import db
from app.games import listeners, operations
from app.models import (
    Call,
    CallEvaluation,
    GameChallenge,
    Rating,
    Team,
    User,
)

DAYS = 30


def ledger_backlog() -> list[games.Event]:
    """The events of the calls and ratings that exist, for the ledger (what it already holds is
    skipped): the demo history's calls were created in bulk, without a listener per call."""
    from app.qa import operations as qa

    events: list[games.Event] = []
    scored = select(CallEvaluation.call_id).where(CallEvaluation.auto_score.is_not(None))
    for call in db.session.scalars(select(Call).where(Call.operator_id.is_not(None), Call.id.in_(scored))
                                   .options(selectinload(Call.operator), selectinload(Call.carrier))
                                   .order_by(Call.id)):
        result = qa.score_call(call)
        event = listeners.call_event(call, result) if result is not None else None
        if event is not None:
            events.append(event)
    for rating, login in db.session.execute(
            select(Rating, User.login).join(Call, Call.id == Rating.call_id)
            .join(User, User.id == Call.operator_id).order_by(Rating.id)):
        events.append(listeners.rating_event(rating, login))
    return events


def demo_events(rng: random.Random, now: datetime) -> list[games.Event]:
    """Listening and certification history (the calls and ratings come from :func:`ledger_backlog`)."""
    events: list[games.Event] = []
    today = games.moscow_day(now)
    from app.demo import demo_operators

    for user, _lines, night in demo_operators():
        skill = rng.choice([92, 88, 84, 80, 80, 78, 76, 74, 70, 62])
        login = user.login
        for back in range(DAYS, 0, -1):
            if rng.random() < 0.4:
                continue
            start_hour = 22 if night else rng.choice([8, 9, 12, 14])
            base = games.moscow_midnight(today - timedelta(days=back)) + timedelta(hours=start_hour)
            events.append(games.Event("listening", f"demo-{login}-d{back}", login,
                                      base + timedelta(hours=7, minutes=30), {"completed": True}))
        percent = max(60, min(100, round(rng.gauss(skill + 8, 5))))
        events.append(games.Event("certification", f"demo-{login}-cert", login,
                                  now - timedelta(days=DAYS + 2),
                                  {"passed": percent >= 80, "percent": percent}))
    return events


def _challenges(now: datetime) -> None:
    if db.session.scalar(select(GameChallenge.id).where(GameChallenge.title.like("Неделя эмпатии%"))):
        return
    teams = db.session.scalars(select(Team).order_by(Team.id)).all()
    monday = games.moscow_midnight(games.moscow_day(now) - timedelta(days=games.moscow_day(now).weekday()))
    operations.create_challenge(title="Неделя эмпатии", kind="personal", metric="standard_met",
                                target=40, starts_at=monday, ends_at=monday + timedelta(days=7),
                                team_id=None, rival_team_id=None, standard="empathy", actor=None)
    if len(teams) >= 2:
        rival = re.sub(r"^Смена\b", "смены", teams[1].name)  # «против смены «Полдень»»
        operations.create_challenge(title=f"{teams[0].name} против {rival}", kind="team",
                                    metric="points", target=5000, starts_at=monday,
                                    ends_at=monday + timedelta(days=7), team_id=teams[0].id,
                                    rival_team_id=teams[1].id, standard=None, actor=None)
    last = monday - timedelta(days=7)
    operations.create_challenge(title="Пятёрки от абонентов", kind="personal", metric="five_star_ratings",
                                target=5, starts_at=last, ends_at=monday, team_id=None,
                                rival_team_id=None, standard=None, actor=None)


def seed_games_demo(rng: random.Random) -> dict[str, Any]:
    """Add the demo month of game history (idempotent)."""
    now = datetime.now(UTC)
    operations.ensure_default_ruleset()
    events = ledger_backlog() + demo_events(random.Random(2026), now)
    written = operations.award_events(events)
    _challenges(now)
    return {"games": {"events": len(events), "ledger_rows_written": len(written)}}


"""A month of demo game history for ``ulybka demo``, written through :func:`award_events`.

Operators differ: a few strong ones, most average, a few who struggle; the night team
works 22:00–06:00 Moscow time. Everything goes through the ledger entry point, so points,
badges and notifications agree. Event ids are stable (``demo-<login>-<n>``): a second run
adds nothing.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

import games
from app.extensions import db
from app.games import operations
from app.models import Carrier, GameChallenge, OperatorSkill, Role, Team, User
from games.rules import DEFAULT_WEIGHTS

DAYS = 30
NIGHT_TEAM = "Ночная смена «Сова»"


def _operators() -> list[tuple[User, list[str], bool]]:
    users = db.session.scalars(select(User).where(User.role == Role.OPERATOR, User.active)
                               .order_by(User.login)).all()
    skills: dict[int, list[str]] = {}
    for user_id, code in db.session.execute(
            select(OperatorSkill.user_id, Carrier.code)
            .join(Carrier, Carrier.id == OperatorSkill.carrier_id)):
        skills.setdefault(user_id, []).append(code)
    night = {t.id for t in db.session.scalars(select(Team).where(Team.name == NIGHT_TEAM))}
    return [(u, skills.get(u.id) or ["mts"], u.team_id in night) for u in users]


def _call(rng: random.Random, login: str, number: int, at: datetime, skill: float,
          carrier: str) -> games.Event:
    score = max(20.0, min(100.0, rng.gauss(skill, 9)))
    verdicts: dict[str, bool | None] = {}
    for key in DEFAULT_WEIGHTS:
        if key == "hold_etiquette" and rng.random() < 0.6:
            verdicts[key] = None
            continue
        chance = min(0.995, 0.55 + (score - 40) / 75)
        verdicts[key] = rng.random() < chance
    payload = {"score": round(score, 1), "duration": rng.randint(40, 600), "verdicts": verdicts,
               "critical_violation": score < 45 and rng.random() < 0.3, "carrier": carrier}
    return games.Event("call", f"demo-{login}-{number}", login, at, payload)


def demo_events(rng: random.Random, now: datetime) -> list[games.Event]:
    events: list[games.Event] = []
    today = games.moscow_day(now)
    for user, carriers, night in _operators():
        skill = rng.choice([92, 88, 84, 80, 80, 78, 76, 74, 70, 62])
        login, number = user.login, 0
        for back in range(DAYS, -1, -1):
            day = today - timedelta(days=back)
            if rng.random() < 0.28:
                continue  # day off
            start_hour = 22 if night else rng.choice([8, 9, 12, 14])
            calls = rng.randint(7, 14) if back else rng.randint(0, 5)
            base = games.moscow_midnight(day) + timedelta(hours=start_hour)
            for _ in range(calls):
                at = base + timedelta(minutes=rng.randint(0, 7 * 60))
                if at > now:
                    continue
                number += 1
                event = _call(rng, login, number, at, skill, rng.choice(carriers))
                events.append(event)
                if rng.random() < 0.15:
                    stars = 5 if rng.random() < (skill - 40) / 55 else rng.randint(2, 4)
                    events.append(games.Event("rating", f"demo-{login}-{number}-r", login,
                                              at + timedelta(minutes=20), {"stars": stars}))
            if rng.random() < 0.6 and back:
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
    events = demo_events(random.Random(2026), now)
    written = operations.award_events(events)
    _challenges(now)
    return {"games": {"events": len(events), "ledger_rows_written": len(written)}}


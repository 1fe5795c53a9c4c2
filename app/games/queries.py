"""Reads of the games area: leaderboards (one SQL query each, cached), home, badges, challenges."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import case, func, select

import games
from app import charts
from app.extensions import db
from app.formatting import format_days
from app.games.cache import cached
from app.games.operations import HANDLED, get_setting, operator_history
from app.models import (
    Carrier,
    EarnedBadge,
    GameChallenge,
    GameEvent,
    Notification,
    PointEvent,
    StreakFreeze,
    Team,
    User,
)
from app.outcome import Refused
from games.russian import standard_title

NO_TEAM = "Без команды"
MISSED_DAYS = 30  # "what to work on" looks back this far
BOARDS = ("operator", "team")


class BoardError(Refused):
    """A leaderboard parameter is wrong; the message (Russian) names it and what is accepted."""


@dataclass(frozen=True)
class Board:
    """A leaderboard's parameters (hashable: the cache key)."""

    period: str = "week"
    by: str = "operator"
    team: str | None = None
    carrier: str | None = None
    normalise: bool = False
    min_calls: int = 0


def make_board(period: str | None = "week", by: str | None = "operator", team: str | None = None,
               carrier: str | None = None, normalise: bool = False, min_calls: Any = 0) -> Board:
    """Check leaderboard parameters coming from a URL or the CLI."""
    period = period or "week"
    if period not in games.PERIODS:
        raise BoardError(f"Неизвестный период «{period}»; допустимые: {', '.join(games.PERIODS)}.")
    by = by or "operator"
    if by not in BOARDS:
        raise BoardError(f"Неизвестная таблица «{by}»; допустимые: {', '.join(BOARDS)}.")
    try:
        min_calls = int(min_calls or 0)
    except (TypeError, ValueError):
        raise BoardError(f"Минимум звонков (min_calls) — целое число, а получено «{min_calls}».") from None
    if min_calls < 0:
        raise BoardError("Минимум звонков (min_calls) не может быть отрицательным.")
    if carrier:
        codes = cached(("carrier-codes",), lambda: db.session.scalars(select(Carrier.code)
                                                                       .order_by(Carrier.id)).all())
        if carrier not in codes:
            raise BoardError(f"Неизвестный оператор связи «{carrier}»; есть: {', '.join(codes)}.")
    if team and team not in cached(("team-names",), lambda: set(db.session.scalars(select(Team.name)))):
        raise BoardError(f"Нет команды «{team}».")
    return Board(period, by, team or None, carrier or None, bool(normalise), min_calls)


def board_rows(board: Board, now: datetime | None = None) -> list[games.Row]:
    """Run the board's single ``SUM ... GROUP BY`` query and return one row per participant."""
    start, end = games.period_bounds(board.period, now or datetime.now(UTC))
    team_name = func.coalesce(Team.name, NO_TEAM)
    who = (User.login,) if board.by == "operator" else ()
    query = (
        select(*who, team_name.label("team"),
               func.sum(PointEvent.points), func.sum(case((PointEvent.rule_key == HANDLED, 1), else_=0)),
               func.max(PointEvent.occurred_at))
        .select_from(PointEvent)
        .join(User, User.id == PointEvent.operator_id)
        .outerjoin(Team, Team.id == User.team_id)
        .where(PointEvent.occurred_at < end)
        .group_by(*((User.id, User.login) if board.by == "operator" else ()), Team.name)
    )
    if start is not None:
        query = query.where(PointEvent.occurred_at >= start)
    if board.carrier:
        query = query.join(Carrier, Carrier.id == PointEvent.carrier_id).where(Carrier.code == board.carrier)
    if board.team:
        query = query.where(Team.name == board.team)
    rows = []
    for record in db.session.execute(query):
        if board.by == "operator":
            login, team, points, calls, last = record
        else:
            team, points, calls, last = record
            login = team
        rows.append(games.Row(login, team, int(points or 0), int(calls or 0), _aware(last)))
    return rows


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def leaderboard(board: Board, now: datetime | None = None) -> list[games.Ranked]:
    """Return the ranked board, cached per parameters (see :mod:`app.games.cache`).

    Ties follow :func:`games.rank`: score, then more calls, then who got there first.
    """
    if now is not None:
        return games.rank(board_rows(board, now), board.normalise, board.min_calls)
    return cached(("board", board),
                  lambda: games.rank(board_rows(board), board.normalise, board.min_calls))


def board_json(ranked: list[games.Ranked]) -> list[dict[str, Any]]:
    return [{"rank": r.rank, "operator": r.operator, "team": r.team, "points": r.points,
             "calls": r.calls} for r in ranked]


def names() -> dict[str, str]:
    return cached(("names",), lambda: dict(db.session.execute(select(User.login, User.full_name)).all()))


def leaderboard_json(board: Board) -> list[dict[str, Any]]:
    """The board as API/CLI rows, cached like the board itself."""
    return cached(("json", board), lambda: board_json(leaderboard(board)))


@dataclass(frozen=True)
class Span:
    """The Moscow days a count covers, up to today: what the page says and where its calls are."""

    first: date | None
    last: date

    @property
    def label(self) -> str:
        return format_days(self.first, self.last) if self.first else "за всё время"

    @property
    def calls_args(self) -> dict[str, str]:
        """The call list's filter for these days (``date_from`` / ``date_to``)."""
        return {"date_from": self.first.isoformat(), "date_to": self.last.isoformat()} if self.first \
            else {"date_to": self.last.isoformat()}


def span_of(start: datetime | None, end: datetime, now: datetime) -> Span:
    """The days of ``[start, end)`` up to today (Moscow)."""
    last = min(games.moscow_day(end - timedelta(microseconds=1)), games.moscow_day(now))
    return Span(games.moscow_day(start) if start is not None else None, last)


def period_span(period: str, now: datetime | None = None) -> Span:
    now = now or datetime.now(UTC)
    return span_of(*games.period_bounds(period, now), now)


def board_context(board: Board) -> dict[str, Any]:
    ranked = leaderboard(board)
    carriers = db.session.scalars(select(Carrier).order_by(Carrier.id)).all()
    teams = db.session.scalars(select(Team.name).order_by(Team.name)).all()
    top = max((r.score for r in ranked), default=0) or 1
    return {"board": board, "ranked": ranked, "names": names(), "carriers": carriers, "teams": teams,
            "periods": games.PERIOD_TITLES, "top_score": top, "span": period_span(board.period)}


def tv_context() -> dict[str, Any]:
    hide = bool(get_setting("tv_hide_names"))
    day = leaderboard(Board("day"))[:10]
    week = leaderboard(Board("week"))[:10]
    teams = leaderboard(Board("week", by="team"))
    return {"day": day, "week": week, "teams": teams, "hide_names": hide, "names": names(),
            "now": datetime.now(UTC)}


# --- operator home ----------------------------------------------------------------------

def _daily_points(user: User, since: datetime) -> dict:
    rows = db.session.execute(
        select(PointEvent.occurred_at, PointEvent.points)
        .where(PointEvent.operator_id == user.id, PointEvent.occurred_at >= since)
    ).all()
    totals: dict = {}
    for at, points in rows:
        day = games.moscow_day(_aware(at))
        totals[day] = totals.get(day, 0) + points
    return totals


def missed_standards(user: User, since: datetime, limit: int = 3) -> list[dict[str, Any]]:
    """The standards the operator misses most in calls since ``since`` (verdict false)."""
    payloads = db.session.scalars(
        select(GameEvent.payload).where(GameEvent.operator_id == user.id, GameEvent.source_kind == "call",
                                        GameEvent.occurred_at >= since, GameEvent.reversed_at.is_(None))
    ).all()
    missed: Counter[str] = Counter()
    judged: Counter[str] = Counter()
    for payload in payloads:
        for key, verdict in (payload.get("verdicts") or {}).items():
            if verdict is not None:
                judged[key] += 1
                missed[key] += verdict is False
    return [{"key": key, "title": standard_title(key), "missed": count, "judged": judged[key],
             "share": count / judged[key]} for key, count in missed.most_common(limit) if count]


def badge_cards(user: User) -> list[dict[str, Any]]:
    """Every badge with the operator's tier, value and progress to the next tier."""
    progress = {p.badge_key: p for p in games.badge_progress(operator_history(user),
                                                             games.default_catalogue())}
    earned = {(b, t): at for b, t, at in db.session.execute(
        select(EarnedBadge.badge_key, EarnedBadge.tier, EarnedBadge.awarded_at)
        .where(EarnedBadge.operator_id == user.id))}
    cards = []
    for badge in games.default_catalogue():
        p = progress[badge.key]
        previous = 0
        for tier in badge.tiers:
            if p.tier and games.TIERS.index(tier.name) <= games.TIERS.index(p.tier):
                previous = tier.threshold
        span = (p.next_threshold - previous) if p.next_threshold else 1
        share = 1.0 if p.next_threshold is None else max(0.0, (p.value - previous) / span)
        cards.append({"badge": badge, "progress": p, "share": min(1.0, share),
                      "tier_title": games.TIER_TITLES.get(p.tier or "", ""),
                      "next_title": games.TIER_TITLES.get(p.next_tier or "", ""),
                      "tiers": [{"name": t.name, "threshold": t.threshold,
                                 "title": games.TIER_TITLES[t.name],
                                 "earned_at": earned.get((badge.key, t.name))} for t in badge.tiers]})
    return cards


@lru_cache(maxsize=1024)
def _trend_chart(labels: tuple[str, ...], values: tuple[int, ...]) -> str:
    return charts.line_chart(labels, {"Баллы за день": values})


def _home_parts(user: User, now: datetime) -> dict[str, Any]:
    """The operator's home data except notifications: ledger sums, streak, chart, rank, badges."""
    lifetime = db.session.scalar(select(func.coalesce(func.sum(PointEvent.points), 0))
                                 .where(PointEvent.operator_id == user.id)) or 0
    pending = db.session.scalar(select(func.coalesce(func.sum(PointEvent.points), 0))
                                .where(PointEvent.operator_id == user.id, PointEvent.final_at > now)) or 0
    daily = _daily_points(user, now - timedelta(days=120))
    freezes = set(db.session.scalars(select(StreakFreeze.day).where(StreakFreeze.operator_id == user.id)))
    target = int(get_setting("streak_target"))
    today = games.moscow_day(now)
    days = [today - timedelta(days=n) for n in range(29, -1, -1)]
    chart = _trend_chart(tuple(d.strftime("%d.%m") for d in days),
                         tuple(daily.get(d, 0) for d in days)) if daily else None
    week = leaderboard(Board("week"), now)
    missed_since = games.moscow_midnight(today - timedelta(days=MISSED_DAYS - 1))  # today included
    login = user.login  # once: ``user`` may be Flask-Login's proxy, slow to read in a loop
    cards = badge_cards(user)
    return {
        "lifetime": lifetime, "pending": pending, "level": games.level_for(lifetime),
        "streak": games.streak(daily, target, today, freezes), "streak_target": target,
        "today_points": daily.get(today, 0), "chart": chart,
        "rank": next((r for r in week if r.operator == login), None), "board_size": len(week),
        "top": week[:5], "names": names(),
        "next_badge": max((c for c in cards if c["progress"].next_threshold), key=lambda c: c["share"],
                          default=None),
        "badges_earned": sum(1 for c in cards for t in c["tiers"] if t["earned_at"]),
        "missed": missed_standards(user, missed_since),
        "week_span": period_span("week", now),
        "missed_span": span_of(missed_since, now, now),
        "has_history": bool(lifetime or daily),
    }


def _notifications(user: User) -> dict[str, Any]:
    """The operator's five newest notifications as plain values (cached with the home parts)."""
    rows = db.session.execute(
        select(Notification.text, Notification.link, Notification.created_at, Notification.read_at)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(5)).all()
    notes = [{"text": text, "link": link, "created_at": created, "read_at": read}
             for text, link, created, read in rows]
    return {"notifications": notes, "unread": sum(1 for n in notes if n["read_at"] is None)}


def operator_home(user: User, now: datetime | None = None) -> dict[str, Any]:
    """Everything the operator's home page shows about their game, notifications included.

    Cached per operator with the boards: the writes that clear the boards (ledger, badges,
    settings, :func:`~app.games.operations.notify`, marking notifications read) clear it too,
    so a cached home page runs no SQL.
    """
    if now is not None:
        return {**_home_parts(user, now), **_notifications(user)}
    return cached(("home", user.id),
                  lambda: {**_home_parts(user, datetime.now(UTC)), **_notifications(user)})


# --- challenges -------------------------------------------------------------------------

def _metric_values(row: GameChallenge) -> dict[str, float]:
    """Measure the challenge's metric per participant inside its window (one query)."""
    participant = func.coalesce(Team.name, NO_TEAM) if row.kind == "team" else User.login
    if row.metric in ("points", "calls"):
        value = (func.sum(PointEvent.points) if row.metric == "points"
                 else func.sum(case((PointEvent.rule_key == HANDLED, 1), else_=0)))
        query = (select(participant, value).select_from(PointEvent)
                 .join(User, User.id == PointEvent.operator_id).outerjoin(Team, Team.id == User.team_id)
                 .where(PointEvent.occurred_at >= row.starts_at, PointEvent.occurred_at < row.ends_at))
        return _scoped(row, query.group_by(Team.name if row.kind == "team" else User.login))
    events = (select(participant, GameEvent.payload).select_from(GameEvent)
              .join(User, User.id == GameEvent.operator_id).outerjoin(Team, Team.id == User.team_id)
              .where(GameEvent.occurred_at >= row.starts_at, GameEvent.occurred_at < row.ends_at,
                     GameEvent.reversed_at.is_(None)))
    kinds = {"five_star_ratings": "rating", "listening": "listening", "tickets_within_sla": "ticket",
             "standard_met": "call"}
    events = events.where(GameEvent.source_kind == kinds[row.metric])
    values: dict[str, float] = {}
    for who, payload in db.session.execute(_scope(row, events)):
        hit = {"five_star_ratings": payload.get("stars") == 5,
               "listening": payload.get("completed", True),
               "tickets_within_sla": payload.get("resolved_within_sla") is True,
               "standard_met": (payload.get("verdicts") or {}).get(row.standard) is True}[row.metric]
        values[who] = values.get(who, 0) + (1 if hit else 0)
    return values


def _scope(row: GameChallenge, query):
    if row.kind == "team":
        return query.where(User.team_id.in_([row.team_id, row.rival_team_id]))
    if row.team_id:
        return query.where(User.team_id == row.team_id)
    return query


def _scoped(row: GameChallenge, query) -> dict[str, float]:
    return {who: float(value or 0) for who, value in db.session.execute(_scope(row, query))}


def challenge_view(row: GameChallenge, now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    spec = games.Challenge(f"c{row.id}", row.title, row.kind, row.metric, row.target,
                           _aware(row.starts_at), _aware(row.ends_at))
    values = _metric_values(row)
    if row.kind == "team":
        for team in (row.team, row.rival_team):
            if team is not None:
                values.setdefault(team.name, 0)
    over = spec.is_over(now)
    return {"row": row, "spec": spec, "progress": games.progress(spec, values)[:15],
            "winners": games.winners(spec, values) if over else [], "over": over,
            "started": now >= spec.starts_at, "metric_title": games.METRICS[row.metric]}


def challenges_context(now: datetime | None = None) -> dict[str, Any]:
    rows = db.session.scalars(select(GameChallenge).order_by(GameChallenge.ends_at.desc())).all()
    return {"challenges": [challenge_view(r, now) for r in rows], "names": names()}

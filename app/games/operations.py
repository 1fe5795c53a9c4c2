"""Writes of the games area: the points ledger, badges, notifications, rule sets, challenges.

:func:`award_event` is the single entry point of other areas (scoring with call scores and
verdicts, training with listening and certification, tickets later). Ledger rows are written
with ``INSERT ... ON CONFLICT DO NOTHING`` on ``(source_kind, source_id, rule_key)``, so the
same event counts once even when two workers award it at the same time. Functions flush;
the caller commits (one commit per request or job).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

import games
from app.extensions import db
from app.games.cache import invalidate_leaderboards
from app.models import (
    Carrier,
    EarnedBadge,
    GameChallenge,
    GameEvent,
    GameRuleset,
    GameSetting,
    Notification,
    PointEvent,
    Role,
    User,
    utcnow,
)
from app.outcome import Refused
from app.wording import say

log = logging.getLogger("ulybka.games")

HANDLED = "@handled"  # zero-point marker row: one per handled call, counted by the boards
SETTINGS_DEFAULTS: dict[str, Any] = {"tv_hide_names": False, "streak_target": 30}


class GamesOperationError(Refused):
    """Bad input to a games operation; the message is Russian and says what to fix.

    :param problems: every problem found (a rule set's), one Russian clause each, so a form
        can list them; empty when the message says it all.
    """

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems)


def _insert(model: type) -> Any:
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model)


# --- rule sets and settings -------------------------------------------------------------

def active_ruleset() -> games.RuleSet:
    """Return the rule set in force: the newest saved version, or the shipped default."""
    row = db.session.scalar(select(GameRuleset).order_by(GameRuleset.version.desc()).limit(1))
    return games.default_ruleset() if row is None else games.RuleSet.from_dict(row.data)


def ensure_default_ruleset() -> None:
    """Store the shipped rule set as version 1 when none is stored yet."""
    if db.session.scalar(select(func.count()).select_from(GameRuleset)) == 0:
        db.session.add(GameRuleset(version=1, data=games.default_ruleset().to_dict()))
        db.session.flush()


def save_ruleset(data: Mapping[str, Any], actor: User | None) -> GameRuleset:
    """Validate ``data`` and store it as the next version (the version number is assigned).

    :param data: rule set values as :meth:`games.RuleSet.to_dict` writes them.
    :param actor: the manager who saved it.
    :raises GamesOperationError: saying what is wrong; a rule set that does not validate lists
        every problem in ``problems``.
    """
    if not isinstance(data, Mapping):
        raise GamesOperationError("Правила должны быть JSON-объектом с полями version, rules и daily_caps.")
    ensure_default_ruleset()
    latest = db.session.scalar(select(func.max(GameRuleset.version))) or 0
    try:
        ruleset = games.RuleSet.from_dict({**data, "version": latest + 1})
    except games.RuleSetError as exc:
        listed = exc.problems if exc.code == "rule_problems" else ()
        raise GamesOperationError(say(exc), listed) from None
    row = GameRuleset(version=ruleset.version, data=ruleset.to_dict(), created_by=actor)
    db.session.add(row)
    db.session.flush()
    log.info("rule set v%s saved by %s", row.version, actor.login if actor else "-")
    return row


def get_setting(key: str) -> Any:
    row = db.session.get(GameSetting, key)
    return SETTINGS_DEFAULTS.get(key) if row is None else row.value


def save_settings(**values: Any) -> None:
    """Store the board settings a manager saved (keys of :data:`SETTINGS_DEFAULTS`).

    :param values: ``tv_hide_names``, ``streak_target`` ...
    """
    for key, value in values.items():
        set_setting(key, value)


def set_setting(key: str, value: Any) -> None:
    if key not in SETTINGS_DEFAULTS:
        raise GamesOperationError(f"Неизвестная настройка «{key}».")
    row = db.session.get(GameSetting, key)
    if row is None:
        db.session.add(GameSetting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
    invalidate_leaderboards(db.session)  # the TV board and operator homes show settings


# --- the ledger -------------------------------------------------------------------------

def _as_award(row: PointEvent, login: str) -> games.Award:
    return games.Award(row.source_kind, row.source_id, row.rule_key, row.points, row.reason, login,
                       row.occurred_at, row.ruleset_version)


def _operators(logins: Iterable[str]) -> dict[str, User]:
    wanted = set(logins)
    found = {u.login: u for u in db.session.scalars(select(User).where(User.login.in_(wanted)))}
    missing = sorted(wanted - set(found))
    if missing:
        raise GamesOperationError(
            "Баллы начислять некому: нет пользователя с логином "
            + ", ".join(f"«{m}»" for m in missing) + "."
        )
    wrong = sorted(login for login, user in found.items() if user.role != Role.OPERATOR)
    if wrong:
        raise GamesOperationError("Баллы начисляются только операторам, а не " + ", ".join(wrong) + ".")
    return found


def _carrier_ids() -> dict[str, int]:
    return dict(db.session.execute(select(Carrier.code, Carrier.id)).all())


def _rows_of(operator: User, day: date) -> list[games.Award]:
    start = games.moscow_midnight(day)
    end = games.moscow_midnight(day.fromordinal(day.toordinal() + 1))
    rows = db.session.scalars(
        select(PointEvent).where(PointEvent.operator_id == operator.id,
                                 PointEvent.occurred_at >= start, PointEvent.occurred_at < end)
    )
    return [_as_award(row, operator.login) for row in rows]


def _ledger_dict(award: games.Award, operator: User, carrier_id: int | None) -> dict[str, Any]:
    return {
        "operator_id": operator.id, "carrier_id": carrier_id, "source_kind": award.source_kind,
        "source_id": award.source_id, "rule_key": award.rule_key, "points": award.points,
        "reason": award.reason, "occurred_at": award.occurred_at,
        "final_at": award.occurred_at + games.DISPUTE_WINDOW,
        "ruleset_version": award.ruleset_version, "created_at": utcnow(),
    }


def _write_ledger(rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), 2000):
        db.session.execute(
            _insert(PointEvent).on_conflict_do_nothing(
                index_elements=["source_kind", "source_id", "rule_key"]),
            list(rows[start:start + 2000]),
        )


def award_event(event: games.Event, *, carrier: str | None = None) -> list[games.Award]:
    """Award one event: ledger rows (exactly once), new badges with notifications.

    Calling it again with the same ``(source_kind, source_id)`` does nothing; to change the
    outcome after a dispute use :func:`reaward_event`.

    :param event: the event; ``payload["carrier"]`` (``mts``/``megafon``/``beeline``) is used
        when ``carrier`` is not given.
    :param carrier: the carrier code the event belongs to, for per-carrier boards.
    :raises GamesOperationError: the operator does not exist or is not an operator.
    """
    return award_events([event], carriers={event.key: carrier} if carrier else None)


def award_events(events: Iterable[games.Event],
                 carriers: Mapping[tuple[str, str], str] | None = None) -> list[games.Award]:
    """Award many events at once (the demo, imports): same rules as :func:`award_event`,
    badges evaluated once per operator at the end.

    :param events: the events, in any order.
    :param carriers: {event key: carrier code}, overriding ``payload["carrier"]``.
    """
    events = sorted(events, key=lambda e: (e.occurred_at, e.source_kind, e.source_id))
    if not events:
        return []
    operators = _operators(e.operator for e in events)
    known = _existing_keys([e.key for e in events])
    fresh = [e for e in events if e.key not in known]
    if not fresh:
        return []
    ruleset = active_ruleset()
    codes = _carrier_ids()
    days: dict[tuple[int, date], list[games.Award]] = {}
    event_rows: list[dict[str, Any]] = []
    ledger_rows: list[dict[str, Any]] = []
    written: list[games.Award] = []
    seen: set[tuple[str, str]] = set()
    for event in fresh:
        if event.key in seen:
            continue
        seen.add(event.key)
        operator = operators[event.operator]
        code = (carriers or {}).get(event.key) or event.payload.get("carrier")
        if code is not None and code not in codes:
            raise GamesOperationError(f"Неизвестный оператор связи «{code}»; есть: {', '.join(codes)}.")
        carrier_id = codes.get(code) if code else None
        day = games.moscow_day(event.occurred_at)
        today = days.get((operator.id, day))
        if today is None:
            today = days[(operator.id, day)] = _rows_of(operator, day)
        awards = games.award(event, ruleset, games.already_awarded(today, day))
        if event.source_kind == "call":
            awards.insert(0, games.Award(event.source_kind, event.source_id, HANDLED, 0,
                                         "Звонок обработан", event.operator, event.occurred_at,
                                         ruleset.version))
        today.extend(awards)
        written.extend(awards)
        event_rows.append({"source_kind": event.source_kind, "source_id": event.source_id,
                           "operator_id": operator.id, "carrier_id": carrier_id,
                           "occurred_at": event.occurred_at, "payload": dict(event.payload),
                           "created_at": utcnow()})
        ledger_rows.extend(_ledger_dict(a, operator, carrier_id) for a in awards)
    for start in range(0, len(event_rows), 1000):
        db.session.execute(
            _insert(GameEvent).on_conflict_do_nothing(index_elements=["source_kind", "source_id"]),
            event_rows[start:start + 1000],
        )
    _write_ledger(ledger_rows)
    for operator in {operators[e.operator].id: operators[e.operator] for e in fresh}.values():
        evaluate_operator_badges(operator)
    invalidate_leaderboards(db.session)
    log.info("awarded %s event(s): %s ledger row(s)", len(event_rows), len(ledger_rows))
    return written


def _existing_keys(keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    by_kind: dict[str, list[str]] = {}
    for kind, source_id in keys:
        by_kind.setdefault(kind, []).append(source_id)
    for kind, ids in by_kind.items():
        for start in range(0, len(ids), 500):
            found.update(db.session.execute(
                select(GameEvent.source_kind, GameEvent.source_id).where(
                    GameEvent.source_kind == kind, GameEvent.source_id.in_(ids[start:start + 500]))
            ))
    return found


def _event_rows(source_kind: str, source_id: str) -> tuple[GameEvent, list[games.Award]]:
    row = db.session.scalar(select(GameEvent).where(GameEvent.source_kind == source_kind,
                                                    GameEvent.source_id == source_id))
    if row is None:
        raise GamesOperationError(f"Событие {source_kind}:{source_id} не найдено в журнале баллов.")
    login = db.session.get(User, row.operator_id).login
    ledger = db.session.scalars(select(PointEvent).where(PointEvent.source_kind == source_kind,
                                                         PointEvent.source_id == source_id))
    return row, [_as_award(p, login) for p in ledger]


def reverse_event(source_kind: str, source_id: str, note: str = "") -> list[games.Award]:
    """Cancel an event's net points after a dispute (appends rows, never edits).

    :param source_kind: the event's source kind.
    :param source_id: the event's source id.
    :param note: why, e.g. ``спор №12``.
    """
    row, old = _event_rows(source_kind, source_id)
    operator = db.session.get(User, row.operator_id)
    corrections = games.reverse(old, note)
    _write_ledger([_ledger_dict(a, operator, row.carrier_id) for a in corrections])
    row.reversed_at = utcnow()
    invalidate_leaderboards(db.session)
    db.session.flush()
    log.info("reversed %s:%s (%s row(s))", source_kind, source_id, len(corrections))
    return corrections


def reaward_event(new_event: games.Event, note: str = "") -> list[games.Award]:
    """Re-award a corrected event (dispute upheld): append only the difference.

    :param new_event: the event with its corrected payload (same kind, id and operator).
    :param note: why, e.g. ``спор №12``.
    """
    row, old = _event_rows(*new_event.key)
    operator = _operators([new_event.operator])[new_event.operator]
    if operator.id != row.operator_id:
        raise GamesOperationError("При пересчёте нельзя сменить оператора события.")
    day = games.moscow_day(new_event.occurred_at)
    already = games.already_awarded(_rows_of(operator, day), day, exclude=[new_event.key])
    fresh = games.award(new_event, active_ruleset(), already)
    delta = games.reaward([a for a in old if a.rule_key != HANDLED], fresh, note)
    _write_ledger([_ledger_dict(a, operator, row.carrier_id) for a in delta])
    row.payload = dict(new_event.payload)
    row.reversed_at = None
    evaluate_operator_badges(operator)
    invalidate_leaderboards(db.session)
    db.session.flush()
    return delta


# --- badges and notifications -----------------------------------------------------------

def operator_history(operator: User) -> games.OperatorHistory:
    rows = db.session.execute(
        select(GameEvent.source_kind, GameEvent.source_id, GameEvent.occurred_at, GameEvent.payload)
        .where(GameEvent.operator_id == operator.id, GameEvent.reversed_at.is_(None))
    ).all()
    events = tuple(games.Event(kind, sid, operator.login, at, payload) for kind, sid, at, payload in rows)
    return games.OperatorHistory(operator.login, events)


def evaluate_operator_badges(operator: User) -> list[games.BadgeAward]:
    """Store the badge tiers the operator's history newly earns and notify them (idempotent).

    :param operator: the operator.
    """
    earned = set(db.session.execute(select(EarnedBadge.badge_key, EarnedBadge.tier)
                                    .where(EarnedBadge.operator_id == operator.id)))
    new = games.evaluate_badges(operator_history(operator), games.default_catalogue(), earned)
    stored = []
    for badge in new:
        result = db.session.execute(
            _insert(EarnedBadge).values(operator_id=operator.id, badge_key=badge.badge_key, tier=badge.tier,
                                        reason=badge.reason, awarded_at=utcnow())
            .on_conflict_do_nothing(index_elements=["operator_id", "badge_key", "tier"])
        )
        if result.rowcount:
            stored.append(badge)
            notify(operator, f"Новый значок: {badge.reason}", "/games/badges")
    return stored


def notify(user: User, text: str, link: str | None = None) -> Notification:
    row = Notification(user_id=user.id, text=text, link=link)
    db.session.add(row)
    db.session.flush()
    invalidate_leaderboards(db.session)  # the operator home caches the notifications
    return row


def mark_notifications_read(user: User) -> None:
    result = db.session.execute(
        Notification.__table__.update()
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if result.rowcount:
        invalidate_leaderboards(db.session)  # the operator home caches the notifications


# --- challenges -------------------------------------------------------------------------

def create_challenge(*, title: str, kind: str, metric: str, target: float, starts_at: datetime,
                     ends_at: datetime, team_id: int | None, rival_team_id: int | None,
                     standard: str | None, actor: User | None) -> GameChallenge:
    """Check with :class:`games.Challenge` and store a challenge.

    :raises GamesOperationError: end before start, unknown metric, target <= 0 ..., a team
        challenge without two different teams.
    """
    try:
        games.Challenge("new", title, kind, metric, target, starts_at, ends_at)
    except games.ChallengeError as exc:
        raise GamesOperationError(say(exc)) from None
    if kind == "team" and (not team_id or not rival_team_id or team_id == rival_team_id):
        raise GamesOperationError("Для командного челленджа выберите две разные команды.")
    if metric == "standard_met" and not standard:
        raise GamesOperationError("Для показателя «Звонки с соблюдённым стандартом» выберите стандарт.")
    row = GameChallenge(title=title.strip(), kind=kind, metric=metric, target=target,
                        starts_at=starts_at, ends_at=ends_at, team_id=team_id,
                        rival_team_id=rival_team_id if kind == "team" else None,
                        standard=standard if metric == "standard_met" else None,
                        created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    log.info("challenge %s «%s» created", row.id, row.title)
    return row

"""The points ledger: awards for events, daily caps, reversals after disputes.

Points follow the CTFd ledger: one :class:`Award` row per rule that fired, negative points
for penalties, never a stored running total. ``(source_kind, source_id, rule_key)`` is the
row's unique key, so writing the same award twice fails in the database instead of counting
twice; totals are sums over rows.

Daily caps trim *positive* points per operator, source kind and Moscow day; penalties are
never capped and never use up the cap. :func:`already_awarded` computes the ``already_today``
argument of :func:`award` from the day's ledger rows.

A dispute that changes a verdict never edits a row: :func:`reverse` appends rows that cancel
an event's current net points (``<rule_key>:reversal:<n>``) and :func:`reaward` appends just
the difference between the old rows and a fresh :func:`award` (a reversal plus a
``<rule_key>:reaward:<n>`` row for every rule whose points changed). ``n`` counts the
corrections of that rule on that event, 1, 2, ..., so every row keeps a unique key.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from .clock import moscow_day, require_aware
from .errors import EventError
from .events import SOURCE_KINDS, Event
from .rules import RULE_KINDS, RuleSet
from .russian import points_text

DISPUTE_WINDOW = timedelta(days=3)
REVERSAL = ":reversal:"
REAWARD = ":reaward:"


@dataclass(frozen=True)
class Award:
    """One ledger row.

    :param source_kind: the event's source kind.
    :param source_id: the event's source id.
    :param rule_key: the rule that fired (``standards:empathy`` for per-standard rules).
    :param points: points, negative for penalties and reversals.
    :param reason: Russian explanation shown to the operator.
    :param operator: the operator's login.
    :param occurred_at: when the event happened (the row counts in that Moscow day/period).
    :param ruleset_version: the rule set version that produced the row.
    """

    source_kind: str
    source_id: str
    rule_key: str
    points: int
    reason: str
    operator: str
    occurred_at: datetime | None = None
    ruleset_version: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """The ledger's unique key ``(source_kind, source_id, rule_key)``."""
        return (self.source_kind, self.source_id, self.rule_key)

    @property
    def base_rule_key(self) -> str:
        """The rule key without a ``:reversal:<n>`` / ``:reaward:<n>`` suffix."""
        return _split(self.rule_key)[0]


def award(
    event: Event, ruleset: RuleSet, already_today: Mapping[str, int] | None = None
) -> list[Award]:
    """Return the ledger rows an event earns under ``ruleset``.

    Rules fire in rule set order. Calls shorter than ``ruleset.min_call_seconds`` earn
    nothing. Positive points are trimmed to what is left of the daily cap of the event's
    source kind, and the reason says so; a row trimmed to 0 is still returned so the ledger
    shows why nothing was paid. Penalties are never capped.

    :param event: the event (see :mod:`games.events`).
    :param ruleset: the rule set in force; it is validated first.
    :param already_today: {source kind: positive points the operator already holds on the
        event's Moscow day}, see :func:`already_awarded`.
    """
    ruleset.validate()
    if event.source_kind == "call" and event.payload["duration"] < ruleset.min_call_seconds:
        return []
    drafts = [
        draft
        for rule in ruleset.rules_for(event.source_kind)
        for draft in RULE_KINDS[rule.kind].apply(rule, event)
    ]
    cap = ruleset.daily_caps.get(event.source_kind)
    left = None if cap is None else max(0, cap - (already_today or {}).get(event.source_kind, 0))
    awards = []
    for draft in drafts:
        points, reason = draft.points, draft.reason
        if left is not None and points > 0:
            points = min(points, left)
            left -= points
            if points < draft.points:
                title = SOURCE_KINDS[event.source_kind].title
                reason += (
                    f" (дневной лимит «{title}» {points_text(cap or 0, signed=False)}: "
                    f"начислено {points} из {draft.points})"
                )
        awards.append(
            Award(
                event.source_kind,
                event.source_id,
                draft.rule_key,
                points,
                reason,
                event.operator,
                event.occurred_at,
                ruleset.version,
            )
        )
    return awards


def _split(rule_key: str) -> tuple[str, int]:
    """Split ``base:reversal:3`` into ``("base", 3)``; plain keys give ``(key, 0)``."""
    for marker in (REVERSAL, REAWARD):
        base, found, number = rule_key.rpartition(marker)
        if found and number.isdigit():
            return base, int(number)
    return rule_key, 0


def _groups(rows: Iterable[Award]) -> dict[tuple[str, str, str], list[Award]]:
    groups: dict[tuple[str, str, str], list[Award]] = {}
    for row in rows:
        groups.setdefault((row.source_kind, row.source_id, row.base_rule_key), []).append(row)
    operators: dict[tuple[str, str], set[str]] = {}
    for (kind, source_id, _), members in groups.items():
        operators.setdefault((kind, source_id), set()).update(row.operator for row in members)
    for (kind, source_id), logins in operators.items():
        if len(logins) > 1:
            raise EventError(
                f"строки {kind}:{source_id} принадлежат разным операторам: "
                f"{', '.join(sorted(logins))}",
                code="mixed_operators",
                kind=kind,
                source_id=source_id,
                operators=tuple(sorted(logins)),
            )
    return groups


def _correction(members: list[Award], marker: str, number: int, points: int, reason: str) -> Award:
    first = members[0]
    return replace(
        first, rule_key=f"{first.base_rule_key}{marker}{number}", points=points, reason=reason
    )


def _reversal_reason(members: list[Award], net: int, note: str) -> str:
    original = next((row.reason for row in members if row.rule_key == row.base_rule_key), "")
    suffix = f" ({note})" if note else ""
    text = f"Отмена начисления{suffix}: {points_text(-net)}"
    return f"{text}. Было: {original}" if original else text


def reverse(rows: Iterable[Award], note: str = "") -> list[Award]:
    """Return rows that cancel the current net points of every rule in ``rows``.

    Pass every ledger row of the events concerned (originals and earlier corrections):
    each ``(source_kind, source_id, rule)`` whose rows sum to a non-zero net gets one row of
    the opposite sign keyed ``<rule_key>:reversal:<n>``; already cancelled rules get none,
    so reversing twice is harmless.

    :param rows: ledger rows of the events to reverse.
    :param note: why, e.g. ``спор №12``; it goes into the reason.
    """
    result = []
    for members in _groups(rows).values():
        net = sum(row.points for row in members)
        if net:
            number = max(_split(row.rule_key)[1] for row in members) + 1
            reason = _reversal_reason(members, net, note)
            result.append(_correction(members, REVERSAL, number, -net, reason))
    return result


def reaward(old: Iterable[Award], new: Iterable[Award], note: str = "") -> list[Award]:
    """Return the rows that turn the ledger from ``old`` into ``new`` (the delta).

    For every rule whose net points differ, a reversal of the old net (if any) and a
    ``<rule_key>:reaward:<n>`` row with the new points (if any); unchanged rules get nothing;
    a rule that had no row at all gets the new row as it is.

    :param old: every ledger row of the re-awarded events.
    :param new: :func:`award` of the corrected events (compute its ``already_today`` without
        these events' own points, see :func:`already_awarded`).
    :param note: why, e.g. ``спор №12``.
    """
    old_groups = _groups(old)
    new_rows = list(new)
    for row in new_rows:
        if row.rule_key != row.base_rule_key:
            raise EventError(
                f"новые начисления не могут быть поправками: {row.rule_key}",
                code="correction_as_new_award",
                rule_key=row.rule_key,
            )
    new_groups = _groups(new_rows)
    result: list[Award] = []
    for key in list(old_groups) + [k for k in new_groups if k not in old_groups]:
        members = old_groups.get(key, [])
        fresh = new_groups.get(key, [])
        target = sum(row.points for row in fresh)
        if not members:
            result.extend(fresh)
            continue
        net = sum(row.points for row in members)
        if net == target:
            continue
        number = max(_split(row.rule_key)[1] for row in members) + 1
        if net:
            reason = _reversal_reason(members, net, note)
            result.append(_correction(members, REVERSAL, number, -net, reason))
        if target:
            suffix = f" ({note})" if note else ""
            reason = f"Повторное начисление{suffix}: {fresh[0].reason}"
            result.append(
                replace(
                    _correction(members, REAWARD, number, target, reason),
                    ruleset_version=fresh[0].ruleset_version,
                )
            )
    return result


def is_final(
    occurred_at: datetime, dispute_window: timedelta = DISPUTE_WINDOW, *, now: datetime
) -> bool:
    """Tell whether points for an event are final: its dispute window has closed.

    Until then they are *pending*: shown, counted, but still open to a dispute.

    :param occurred_at: when the event happened, tz-aware.
    :param dispute_window: how long a dispute may be opened (3 days by default).
    :param now: the current time, tz-aware.
    """
    require_aware(occurred_at, "occurred_at")
    require_aware(now, "now")
    return now >= occurred_at + dispute_window


def already_awarded(
    rows: Iterable[Award], day: date, exclude: Iterable[tuple[str, str]] = ()
) -> dict[str, int]:
    """Return ``already_today`` for :func:`award`: positive points per source kind on ``day``.

    Counts, per rule of each event on that Moscow day, the net points when they are
    positive, so reversed awards free the cap again and penalties never use it up.

    :param rows: ledger rows of one operator (rows of other days are ignored).
    :param day: the Moscow day of the event about to be awarded.
    :param exclude: ``(source_kind, source_id)`` of events to leave out (for :func:`reaward`).
    """
    skip = set(exclude)
    todays = [
        row
        for row in rows
        if row.occurred_at is not None
        and moscow_day(row.occurred_at) == day
        and (row.source_kind, row.source_id) not in skip
    ]
    totals: dict[str, int] = {}
    for (kind, _, _), members in _groups(todays).items():
        net = sum(row.points for row in members)
        if net > 0:
            totals[kind] = totals.get(kind, 0) + net
    return totals


def daily_totals(rows: Iterable[Award]) -> dict[date, int]:
    """Sum ledger rows per Moscow day (the input of :func:`games.streaks.streak`).

    :param rows: ledger rows of one operator; every row needs ``occurred_at``.
    """
    totals: dict[date, int] = {}
    for row in rows:
        if row.occurred_at is None:
            raise EventError(
                f"у строки {row.key} нет occurred_at — день не определить",
                code="award_without_time",
                key=row.key,
            )
        day = moscow_day(row.occurred_at)
        totals[day] = totals.get(day, 0) + row.points
    return totals


def replay(events: Iterable[Event], ruleset: RuleSet) -> list[Award]:
    """Award ``events`` afresh under ``ruleset``, daily caps included, as if the ledger were
    empty: what a rule set would have paid for them (the rules page's preview).

    Events are taken in time order; each operator's cap use is counted per Moscow day.
    """
    ruleset.validate()
    used: dict[tuple[str, date], dict[str, int]] = {}
    rows: list[Award] = []
    for event in sorted(events, key=lambda e: (e.occurred_at, e.source_kind, e.source_id)):
        today = used.setdefault((event.operator, moscow_day(event.occurred_at)), {})
        awards = award(event, ruleset, today)
        paid = sum(a.points for a in awards if a.points > 0)
        if paid:
            today[event.source_kind] = today.get(event.source_kind, 0) + paid
        rows += awards
    return rows

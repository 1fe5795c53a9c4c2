"""SLA clocks as a helpdesk keeps them: first response, next response, resolution.

A :class:`Policy` names its targets and its :class:`~tickets.calendar.Calendar`. The clocks run
in the calendar's working time only, and stand still while the ticket waits for the subscriber
(and, when the policy says so, for the carrier); the paused time is counted and reported. The
first response is the first public reply of staff; each later message of the subscriber starts
the next-response clock, which the next public reply stops. Resolution runs from creation to
``resolved`` (or ``rejected``); a ticket reopened by the subscriber runs it again from where it
stood.

:func:`clock` is pure: it reads the ticket's history (:class:`Mark` in time order) and ``now``
and returns the :class:`Sla` the queue, the ticket page and the JSON show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .calendar import Calendar, _aware
from .errors import TicketError
from .workflow import DONE, STATUSES

MarkKind = Literal["status", "staff_reply", "subscriber_message"]
State = Literal["ok", "warning", "breached", "met", "paused"]
WARN_BEFORE = timedelta(minutes=15)


@dataclass(frozen=True)
class Policy:
    """Targets of one kind of ticket (None: no such target).

    :param pause_on_carrier: the clock also stands still in ``pending_carrier``.
    :param warn_before: how long before a breach the ticket shows as ``warning``.
    """

    key: str
    title: str
    calendar: Calendar
    first_response: timedelta | None = None
    next_response: timedelta | None = None
    resolution: timedelta | None = None
    pause_on_carrier: bool = False
    warn_before: timedelta = WARN_BEFORE

    @property
    def pausing(self) -> frozenset[str]:
        return frozenset({"pending_subscriber", "pending_carrier"} if self.pause_on_carrier
                         else {"pending_subscriber"})


@dataclass(frozen=True)
class Mark:
    """One moment of a ticket's history: a status it took, a public staff reply, or a message
    of the subscriber (the first message, the ticket itself, is its creation)."""

    at: datetime
    kind: MarkKind
    status: str | None = None


@dataclass(frozen=True)
class Target:
    """One clock: when it is due (None while it waits to start), when it was met, and how."""

    name: str
    due: datetime | None
    done_at: datetime | None
    state: State


@dataclass(frozen=True)
class Sla:
    first_response: Target | None
    next_response: Target | None
    resolution: Target | None
    state: State
    paused_seconds: float
    first_response_at: datetime | None
    breaches: tuple[str, ...] = field(default_factory=tuple)

    @property
    def first_response_due(self) -> datetime | None:
        return self.first_response.due if self.first_response else None

    @property
    def resolution_due(self) -> datetime | None:
        return self.resolution.due if self.resolution else None

    def to_dict(self) -> dict[str, object]:
        """The ``sla`` object of the JSON contract (ISO moments, ``state``)."""
        def iso(moment: datetime | None) -> str | None:
            return moment.isoformat() if moment else None

        return {"first_response_due": iso(self.first_response_due),
                "next_response_due": iso(self.next_response.due if self.next_response else None),
                "resolution_due": iso(self.resolution_due), "state": self.state,
                "first_response_at": iso(self.first_response_at),
                "paused_seconds": round(self.paused_seconds), "breaches": list(self.breaches)}


class _Clock:
    """Working time elapsed while not paused, from ``start``, and when a target falls due."""

    def __init__(self, calendar: Calendar, start: datetime,
                 pauses: Sequence[tuple[datetime, datetime | None]]):
        self.calendar, self.start, self.pauses = calendar, start, pauses

    def _paused_between(self, a: datetime, b: datetime) -> float:
        return sum(self.calendar.between(max(a, p), min(b, q or b)) for p, q in self.pauses
                   if (q is None or q > a) and p < b)

    def elapsed(self, until: datetime) -> float:
        return self.calendar.between(self.start, until) - self._paused_between(self.start, until)

    def paused_now(self, now: datetime) -> bool:
        return any(p <= now and (q is None or q > now) for p, q in self.pauses)

    def due(self, target: timedelta, now: datetime) -> datetime:
        """When ``target`` of working, unpaused time is reached: after the last pause that has
        begun, projected from ``now`` while the clock is paused."""
        left = target.total_seconds()
        cursor = self.start
        for p, q in sorted(self.pauses):
            if p < cursor:
                if q is None:
                    return self.calendar.add(now, left)  # paused from the start: projected
                cursor = max(cursor, q)
                continue
            run = self.calendar.between(cursor, p)
            if run >= left:
                return self.calendar.add(cursor, left)
            left -= run
            if q is None:
                return self.calendar.add(max(now, p), left)  # paused now: projected from now
            cursor = q
        return self.calendar.add(cursor, left)


def _target(name: str, limit: timedelta | None, clock: _Clock, done_at: datetime | None,
            now: datetime, warn: timedelta) -> Target | None:
    if limit is None:
        return None
    if done_at is not None:
        met = clock.elapsed(done_at) <= limit.total_seconds()
        return Target(name, clock.due(limit, done_at), done_at, "met" if met else "breached")
    due = clock.due(limit, now)
    if clock.paused_now(now):
        return Target(name, due, None, "paused")
    if now >= due:
        return Target(name, due, None, "breached")
    return Target(name, due, None, "warning" if due - now <= warn else "ok")


def _pauses(marks: Sequence[Mark], pausing: frozenset[str]) -> list[tuple[datetime, datetime | None]]:
    spans: list[tuple[datetime, datetime | None]] = []
    began: datetime | None = None
    for mark in marks:
        if mark.kind != "status":
            continue
        if mark.status in pausing and began is None:
            began = mark.at
        elif mark.status not in pausing and began is not None:
            spans.append((began, mark.at))
            began = None
    if began is not None:
        spans.append((began, None))
    return spans


def clock(policy: Policy, created_at: datetime, marks: Iterable[Mark], now: datetime) -> Sla:
    """The ticket's SLA at ``now``.

    :param created_at: when the ticket came in (its first message).
    :param marks: its history after that, in any order (sorted here by time).
    :raises TicketError: a naive moment or an unknown status.
    """
    created_at, now = _aware(created_at, "created_at"), _aware(now, "now")
    marks = sorted(marks, key=lambda m: m.at)
    for mark in marks:
        _aware(mark.at, "mark.at")
        if mark.kind == "status" and mark.status not in STATUSES:
            raise TicketError(f"unknown status {mark.status!r}", code="unknown_status",
                              status=mark.status)
    cal, warn = policy.calendar, policy.warn_before
    pauses = _pauses(marks, policy.pausing)
    status = next((m.status for m in reversed(marks) if m.kind == "status"), "new")
    replies = [m.at for m in marks if m.kind == "staff_reply"]
    first_reply = replies[0] if replies else None
    breaches: list[str] = []

    first = _target("first_response", policy.first_response, _Clock(cal, created_at, pauses),
                    first_reply, now, warn)
    if first and first.state == "breached":
        breaches.append("first_response")

    nxt = None
    if policy.next_response is not None and first_reply is not None:
        for message in (m.at for m in marks if m.kind == "subscriber_message" and m.at > first_reply):
            answer = next((r for r in replies if r > message), None)
            target = _target("next_response", policy.next_response, _Clock(cal, message, pauses),
                             answer, now, warn)
            if target and target.state == "breached":
                breaches.append(f"next_response:{message.isoformat()}")
            nxt = target  # the latest message's clock is the one shown

    done_at = None
    if status in DONE:
        done_at = next(m.at for m in reversed(marks) if m.kind == "status" and m.status == status)
    # the time a ticket stood resolved before the subscriber reopened it is not resolution time
    stood = _pauses(marks, policy.pausing | {"resolved"})
    resolution = _target("resolution", policy.resolution, _Clock(cal, created_at, stood), done_at,
                         now, warn)
    if resolution and resolution.state == "breached":
        breaches.append("resolution")

    live = [t for t in (first, nxt, resolution) if t is not None]
    if status in DONE:
        state: State = "breached" if breaches else "met"
    elif any(t.state == "paused" for t in live if t.done_at is None):
        state = "paused"
    elif any(t.state == "breached" for t in live if t.done_at is None):
        state = "breached"
    elif any(t.state == "warning" for t in live if t.done_at is None):
        state = "warning"
    else:
        state = "ok"
    paused = sum(cal.between(p, q or now) for p, q in pauses)
    return Sla(first, nxt, resolution, state, paused, first_reply, tuple(breaches))

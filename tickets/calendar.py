"""Working time for SLA clocks: round the clock, or business hours in a time zone without the
Russian public holidays (the ``holidays`` package keeps the production calendar, transferred
days off and working Saturdays included) and without the centre's own exceptions.

All moments in and out are tz-aware; a calendar works on its own local days, so a deadline
crossing a DST change or a holiday lands where a person at the desk would expect it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from .errors import TicketError

MAX_DAYS = 3660  # no SLA looks further than ten years ahead


@lru_cache(maxsize=32)
def _russian(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year, language="ru")


def russian_holiday(day: date) -> str | None:
    """The name of the Russian public holiday or day off on ``day`` («Новогодние каникулы»)."""
    return _russian(day.year).get(day)


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise TicketError(f"{name} must be a tz-aware datetime, got {moment!r}", code="naive_moment",
                          field=name)
    return moment


@dataclass(frozen=True)
class Calendar:
    """When SLA clocks run.

    :param key: stable identifier (``24x7``, ``business``).
    :param title: Russian label.
    :param tz: IANA time zone of the working hours.
    :param hours: ``(opens, closes)`` local times; None: round the clock, every day.
    :param weekdays: working weekdays (0 Monday … 6 Sunday) when the Russian calendar is off.
    :param russian_calendar: follow the Russian production calendar: holidays, transferred days
        off and working weekends (then ``weekdays`` is not used).
    :param closed: extra days off of this centre.
    :param open_days: extra working days of this centre.
    """

    key: str
    title: str
    tz: str = "Europe/Moscow"
    hours: tuple[time, time] | None = None
    weekdays: frozenset[int] = frozenset(range(5))
    russian_calendar: bool = True
    closed: frozenset[date] = field(default_factory=frozenset)
    open_days: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise TicketError(f"calendar {self.key!r}: unknown time zone {self.tz!r}", code="bad_tz",
                              tz=self.tz) from None
        if self.hours is not None and not self.hours[0] < self.hours[1]:
            raise TicketError(f"calendar {self.key!r}: opening {self.hours[0]} is not before closing "
                              f"{self.hours[1]}", code="bad_hours")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def is_working_day(self, day: date) -> bool:
        if self.hours is None:
            return True
        if day in self.closed:
            return False
        if day in self.open_days:
            return True
        if self.russian_calendar:
            return _russian(day.year).is_working_day(day)
        return day.weekday() in self.weekdays

    def windows(self, start: datetime) -> Iterator[tuple[datetime, datetime | None]]:
        """Working windows from ``start`` on, in order: ``(from, to)``; ``to`` None: for ever."""
        start = _aware(start, "start")
        if self.hours is None:
            yield start, None
            return
        zone = self.zone
        day = start.astimezone(zone).date()
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                opens = datetime.combine(day, self.hours[0], zone)
                closes = datetime.combine(day, self.hours[1], zone)
                if closes > start:
                    yield max(opens, start), closes
            day += timedelta(days=1)
        raise TicketError(f"calendar {self.key!r} has no working time in {MAX_DAYS} days",
                          code="calendar_never_open")

    def add(self, start: datetime, seconds: float) -> datetime:
        """The moment ``seconds`` of working time after ``start`` (``start`` itself for 0)."""
        left = max(0.0, float(seconds))
        for opens, closes in self.windows(start):
            if closes is None or (closes - opens).total_seconds() >= left:
                if left == 0:
                    return opens if opens > start else start
                return opens + timedelta(seconds=left)
            left -= (closes - opens).total_seconds()
        raise AssertionError("unreachable")  # windows() raises first

    def between(self, start: datetime, end: datetime) -> float:
        """Seconds of working time in ``[start, end)`` (0 when ``end`` is not after ``start``)."""
        start, end = _aware(start, "start"), _aware(end, "end")
        if end <= start:
            return 0.0
        total = 0.0
        for opens, closes in self.windows(start):
            if opens >= end:
                break
            total += ((min(closes, end) if closes else end) - opens).total_seconds()
            if closes is None or closes >= end:
                break
        return total

    def spans(self, intervals: Iterable[tuple[datetime, datetime]]) -> float:
        """Working seconds in several intervals (paused spans, for instance)."""
        return sum(self.between(a, b) for a, b in intervals)


ROUND_THE_CLOCK = Calendar("24x7", "Круглосуточно")
BUSINESS_HOURS = Calendar("business", "Рабочие часы 9:00–18:00 МСК, по производственному календарю",
                          hours=(time(9), time(18)))
CALENDARS = {c.key: c for c in (ROUND_THE_CLOCK, BUSINESS_HOURS)}

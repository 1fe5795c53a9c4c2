"""Moscow time: the calendar every day, week and month in the games package uses.

Europe/Moscow has been UTC+3 without daylight saving time since 2014. The IANA zone is
used when the system has it; otherwise a fixed UTC+3 offset stands in (same answers for
every date since 2014), so the package works on a bare machine without tzdata.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ClockError


def _moscow_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Moscow")
    except ZoneInfoNotFoundError:  # pragma: no cover - depends on the machine
        return timezone(timedelta(hours=3), "MSK")


MOSCOW: tzinfo = _moscow_zone()


def require_aware(moment: datetime, what: str = "время") -> datetime:
    """Return ``moment`` unchanged, or raise if it has no time zone.

    :param moment: the datetime to check.
    :param what: what the value is, for the error message.
    """
    if not isinstance(moment, datetime):
        raise ClockError(
            f"{what}: ожидается datetime с часовым поясом, получено {moment!r}",
            code="not_a_datetime",
            what=what,
            value=moment,
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(
            f"{what}: datetime без часового пояса ({moment.isoformat()}); "
            "передайте время с tzinfo, например datetime.now(timezone.utc)",
            code="naive_datetime",
            what=what,
            value=moment,
        )
    return moment


def to_moscow(moment: datetime) -> datetime:
    """Convert a tz-aware datetime to Moscow time.

    :param moment: a tz-aware datetime.
    """
    return require_aware(moment).astimezone(MOSCOW)


def moscow_day(moment: datetime) -> date:
    """Return the Moscow calendar day a tz-aware moment falls on.

    :param moment: a tz-aware datetime (22:30 UTC is already the next day in Moscow).
    """
    return to_moscow(moment).date()


def moscow_midnight(day: date) -> datetime:
    """Return 00:00 Moscow time of ``day`` as a UTC datetime.

    :param day: a calendar day in Moscow.
    """
    return datetime.combine(day, time(0), tzinfo=MOSCOW).astimezone(UTC)


def as_moscow_day(value: date | datetime) -> date:
    """Return ``value`` as a Moscow day: dates pass through, tz-aware datetimes convert.

    :param value: a date, or a tz-aware datetime.
    """
    if isinstance(value, datetime):
        return moscow_day(value)
    return value

"""SLA clocks on working time, with frozen moments (tickets.calendar, tickets.sla)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

import tickets
from tickets import BUSINESS_HOURS, ROUND_THE_CLOCK, Calendar, Mark, Policy, TicketError, clock

MSK = ZoneInfo("Europe/Moscow")


def msk(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=MSK)


def policy(**targets) -> Policy:
    return Policy("t", "Тест", targets.pop("calendar", BUSINESS_HOURS), **targets)


def test_friday_evening_on_nine_to_six_is_due_on_monday():
    friday = msk(2026, 12, 4, 17, 50)  # a Friday
    assert BUSINESS_HOURS.add(friday, 3600) == msk(2026, 12, 7, 9, 50)
    sla = clock(policy(first_response=timedelta(hours=1)), friday, [], now=friday + timedelta(minutes=5))
    assert sla.first_response_due == msk(2026, 12, 7, 9, 50) and sla.state == "ok"


def test_a_public_holiday_is_skipped():
    """4 November is Unity Day: 30 minutes on the 3rd, the other 7.5 hours on the 5th."""
    assert tickets.russian_holiday(date(2026, 11, 4)) == "День народного единства"
    due = BUSINESS_HOURS.add(msk(2026, 11, 3, 17, 30), 8 * 3600)
    assert due == msk(2026, 11, 5, 16, 30)


def test_new_year_holidays_and_a_working_saturday():
    assert BUSINESS_HOURS.add(msk(2026, 12, 30, 17), 2 * 3600) == msk(2027, 1, 11, 10)  # 31.12 is off too
    friday = msk(2027, 2, 19, 17)  # 20 February 2027 is a working Saturday, 22 and 23 are off
    assert BUSINESS_HOURS.add(friday, 2 * 3600) == msk(2027, 2, 20, 10)
    assert BUSINESS_HOURS.add(msk(2027, 2, 20, 17), 2 * 3600) == msk(2027, 2, 24, 10)


def test_round_the_clock_counts_every_minute_and_the_centres_own_days():
    start = msk(2026, 12, 31, 23)
    assert ROUND_THE_CLOCK.add(start, 7200) == msk(2027, 1, 1, 1)
    own = Calendar("own", "Своё", hours=(time(10), time(19)), closed=frozenset({date(2026, 12, 7)}),
                   open_days=frozenset({date(2026, 12, 6)}))
    assert own.add(msk(2026, 12, 5, 12), 3600) == msk(2026, 12, 6, 11)  # Sunday the 6th works
    assert own.add(msk(2026, 12, 6, 18, 30), 3600) == msk(2026, 12, 8, 10, 30)  # the 7th is closed
    assert own.between(msk(2026, 12, 6, 18), msk(2026, 12, 8, 11)) == 2 * 3600


def test_waiting_for_the_subscriber_stops_the_clock_and_is_recorded():
    created = msk(2026, 12, 1, 10)
    marks = [Mark(msk(2026, 12, 1, 10, 20), "staff_reply"),
             Mark(msk(2026, 12, 1, 10, 20), "status", "pending_subscriber"),
             Mark(msk(2026, 12, 2, 10, 20), "status", "open")]  # a working day later
    p = policy(first_response=timedelta(minutes=30), resolution=timedelta(hours=4))
    waiting = clock(p, created, marks[:2], now=msk(2026, 12, 1, 16))
    assert waiting.state == "paused" and waiting.first_response.state == "met"
    resumed = clock(p, created, marks, now=msk(2026, 12, 2, 11))
    # 20 minutes before the pause, 3 h 40 min after it: due at 14:00 on the 2nd, not the 1st
    assert resumed.resolution_due == msk(2026, 12, 2, 14) and resumed.state == "ok"
    assert resumed.paused_seconds == 9 * 3600  # the working hours it stood still
    assert clock(p, created, marks, now=msk(2026, 12, 2, 13, 50)).state == "warning"
    assert clock(p, created, marks, now=msk(2026, 12, 2, 14, 1)).state == "breached"


def test_waiting_for_the_carrier_stops_it_only_when_the_policy_says_so():
    created = msk(2026, 12, 1, 10)
    marks = [Mark(msk(2026, 12, 1, 10, 5), "status", "pending_carrier")]
    now = msk(2026, 12, 1, 17)
    assert clock(policy(resolution=timedelta(hours=2)), created, marks, now).state == "breached"
    held = clock(policy(resolution=timedelta(hours=2), pause_on_carrier=True), created, marks, now)
    # 5 minutes used; projected from now (17:00): an hour today, 55 minutes tomorrow
    assert held.state == "paused" and held.resolution_due == msk(2026, 12, 2, 9, 55)


def test_a_subscribers_reply_starts_the_next_response_clock():
    created = msk(2026, 12, 1, 10)
    p = policy(first_response=timedelta(hours=1), next_response=timedelta(hours=2))
    marks = [Mark(msk(2026, 12, 1, 10, 30), "staff_reply"),
             Mark(msk(2026, 12, 1, 15), "subscriber_message")]
    sla = clock(p, created, marks, now=msk(2026, 12, 1, 15, 30))
    assert sla.first_response.state == "met" and sla.first_response_at == msk(2026, 12, 1, 10, 30)
    assert sla.next_response.due == msk(2026, 12, 1, 17) and sla.state == "ok"
    late = clock(p, created, marks, now=msk(2026, 12, 2, 9, 30))  # 18:00–09:00 does not count
    assert late.state == "breached" and late.next_response.due == msk(2026, 12, 1, 17)
    answered = clock(p, created, [*marks, Mark(msk(2026, 12, 1, 16), "staff_reply")],
                     now=msk(2026, 12, 2, 12))
    assert answered.next_response.state == "met" and answered.state == "ok"


def test_a_resolved_ticket_is_met_or_breached_for_good():
    created = msk(2026, 12, 1, 10)
    p = policy(first_response=timedelta(hours=1), resolution=timedelta(hours=8))
    marks = [Mark(msk(2026, 12, 1, 12), "staff_reply"), Mark(msk(2026, 12, 1, 13), "status", "resolved")]
    sla = clock(p, created, marks, now=msk(2026, 12, 20))
    assert sla.state == "breached" and sla.breaches == ("first_response",)  # replied after 2 h
    assert sla.resolution.state == "met"
    data = sla.to_dict()
    assert data["state"] == "breached" and data["first_response_due"] == "2026-12-01T11:00:00+03:00"


def test_time_standing_resolved_before_a_reopening_is_not_counted():
    created = msk(2026, 12, 1, 10)
    p = policy(resolution=timedelta(hours=4))
    marks = [Mark(msk(2026, 12, 1, 11), "status", "resolved"),
             Mark(msk(2026, 12, 3, 11), "subscriber_message"), Mark(msk(2026, 12, 3, 11), "status", "open")]
    sla = clock(p, created, marks, now=msk(2026, 12, 3, 12))
    assert sla.resolution_due == msk(2026, 12, 3, 14) and sla.state == "ok"


@pytest.mark.parametrize("bad", [datetime(2026, 12, 1, 10), "2026-12-01"])
def test_naive_or_wrong_moments_are_refused(bad):
    with pytest.raises(TicketError) as error:
        clock(policy(resolution=timedelta(hours=1)), bad, [], now=datetime.now(UTC))
    assert error.value.code == "naive_moment"


def test_impossible_calendars_and_moves_are_refused():
    with pytest.raises(TicketError, match="time zone"):
        Calendar("x", "X", tz="Mars/Olympus")
    with pytest.raises(TicketError, match="not before"):
        Calendar("x", "X", hours=(time(18), time(9)))
    never = Calendar("x", "X", hours=(time(9), time(18)), russian_calendar=False, weekdays=frozenset())
    with pytest.raises(TicketError) as error:
        never.add(msk(2026, 12, 1), 60)
    assert error.value.code == "calendar_never_open"
    tickets.check_move("open", "resolved")
    for before, after, code in (("resolved", "new", "bad_move"), ("closed", "open", "bad_move"),
                                ("open", "done", "unknown_status")):
        with pytest.raises(TicketError) as error:
            tickets.check_move(before, after)
        assert error.value.code == code
    assert tickets.after_subscriber_message("pending_subscriber") == "open"
    assert tickets.after_subscriber_message("closed") == "closed"

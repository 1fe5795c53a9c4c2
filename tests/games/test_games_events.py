"""Events: source kinds registry and payload checks."""

from datetime import UTC, datetime

import pytest

from games import SOURCE_KINDS, Event, EventError, GamesError
from games.errors import ClockError

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CALL = {"score": 90, "duration": 120, "verdicts": {"empathy": True}, "critical_violation": False}


def test_registered_source_kinds():
    assert set(SOURCE_KINDS) == {"call", "rating", "listening", "certification", "ticket"}


@pytest.mark.parametrize(
    ("kind", "payload"),
    [
        ("call", CALL),
        ("call", {"score": 0, "duration": 0}),
        ("call", {"score": 99.5, "duration": 3.2, "verdicts": {"greeting": None}}),
        ("rating", {"stars": 1}),
        ("rating", {"stars": 5}),
        ("listening", {}),
        ("listening", {"completed": True}),
        ("certification", {"passed": False}),
        ("certification", {"passed": True, "percent": 96.5}),
        ("ticket", {"resolved_within_sla": True}),
    ],
)
def test_valid_events(kind, payload):
    """A valid payload is accepted as it is: every field kept, nothing reported by its kind."""
    event = Event(kind, "42", "ivanov", AT, payload)
    assert event.key == (kind, "42")
    fields = (event.source_kind, event.source_id, event.operator, event.occurred_at)
    assert fields == (kind, "42", "ivanov", AT)
    assert dict(event.payload) == payload
    assert list(SOURCE_KINDS[kind].check(payload)) == []
    assert event == Event(kind, "42", "ivanov", AT, dict(payload))  # a value: same fields, same event


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("call", {"duration": 10}, "score"),
        ("call", {"score": 101, "duration": 10}, "score"),
        ("call", {"score": -1, "duration": 10}, "score"),
        ("call", {"score": True, "duration": 10}, "score"),
        ("call", {"score": 50}, "duration"),
        ("call", {"score": 50, "duration": -5}, "duration"),
        ("call", {"score": 50, "duration": 5, "verdicts": {"empathy": 1}}, "empathy"),
        ("call", {"score": 50, "duration": 5, "verdicts": ["empathy"]}, "verdicts"),
        ("call", {"score": 50, "duration": 5, "critical_violation": "yes"}, "critical_violation"),
        ("rating", {"stars": 0}, "stars"),
        ("rating", {"stars": 6}, "stars"),
        ("rating", {"stars": 4.5}, "stars"),
        ("rating", {}, "stars"),
        ("certification", {"percent": 90}, "passed"),
        ("certification", {"passed": True, "percent": 120}, "percent"),
        ("ticket", {"resolved_within_sla": "true"}, "resolved_within_sla"),
        ("listening", {"completed": 1}, "completed"),
    ],
)
def test_bad_payloads_name_the_field(kind, payload, message):
    with pytest.raises(EventError, match=message):
        Event(kind, "42", "ivanov", AT, payload)


def test_unknown_source_kind_lists_the_known_ones():
    with pytest.raises(EventError, match=r"'chat'.*call, certification, listening, rating"):
        Event("chat", "1", "ivanov", AT, {})


@pytest.mark.parametrize(("source_id", "operator"), [("", "ivanov"), (42, "ivanov"), ("1", "")])
def test_ids_must_be_non_empty_strings(source_id, operator):
    with pytest.raises(EventError):
        Event("listening", source_id, operator, AT, {})


def test_naive_datetime_is_refused():
    with pytest.raises(ClockError, match="часового пояса"):
        Event("listening", "1", "ivanov", datetime(2025, 3, 3, 9, 0), {})


def test_all_errors_share_the_root():
    assert issubclass(EventError, GamesError)
    assert issubclass(ClockError, GamesError)

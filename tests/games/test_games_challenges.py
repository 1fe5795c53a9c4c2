"""Challenges: validation, progress and winners."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from games import Challenge, ChallengeError, progress, winners

START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 3, 8, tzinfo=UTC)


def challenge(**overrides):
    values = {
        "key": "march_week",
        "title": "Неделя эмпатии",
        "kind": "personal",
        "metric": "points",
        "target": 100,
        "starts_at": START,
        "ends_at": END,
    }
    values.update(overrides)
    return Challenge(**values)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": START - timedelta(days=1)}, "позже начала"),
        ({"ends_at": START}, "позже начала"),
        ({"kind": "duel"}, "personal, team"),
        ({"metric": "smiles"}, "показатель 'smiles'"),
        ({"target": 0}, "цель"),
        ({"target": -5}, "цель"),
        ({"target": True}, "цель"),
        ({"key": ""}, "ключ"),
        ({"title": "  "}, "название"),
        ({"starts_at": datetime(2025, 3, 1)}, "часового пояса"),
    ],
)
def test_invalid_challenges(overrides, message):
    with pytest.raises(ChallengeError, match=message):
        challenge(**overrides)


def test_team_challenge_and_window():
    team = challenge(kind="team", metric="tickets_within_sla")
    assert team.contains(START)
    assert not team.contains(END)  # the end is exclusive
    assert not team.is_over(END - timedelta(seconds=1))
    assert team.is_over(END)
    moscow = timezone(timedelta(hours=3))
    assert team.contains(datetime(2025, 3, 8, 2, 59, tzinfo=moscow))


def test_progress_sorted_and_clipped():
    rows = progress(challenge(), {"petrov": 40, "ivanov": 150, "sidorova": 100, "orlov": -10})
    assert [(r.participant, r.value, r.share, r.done) for r in rows] == [
        ("ivanov", 150, 1.0, True),
        ("sidorova", 100, 1.0, True),
        ("petrov", 40, 0.4, False),
        ("orlov", -10, 0.0, False),
    ]


def test_ties_in_progress_sort_by_name():
    rows = progress(challenge(), {"b": 10, "a": 10})
    assert [r.participant for r in rows] == ["a", "b"]


def test_winners_are_everyone_who_reached_the_target():
    values = {"petrov": 99.5, "ivanov": 150, "sidorova": 100}
    assert [w.participant for w in winners(challenge(), values)] == ["ivanov", "sidorova"]
    assert winners(challenge(), {}) == []


def test_values_must_be_numbers():
    with pytest.raises(ChallengeError, match="ivanov"):
        progress(challenge(), {"ivanov": "100"})

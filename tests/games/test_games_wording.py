"""Every refusal of the games package has a stable code and reads as Russian in the app.

Each row raises a real error through a public function with bad input; the app's catalogue
(:func:`app.wording.say`) must word it as a Russian sentence, never the generic fallback.
"""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

import games
from app.wording import GENERIC, say
from games import (
    Award,
    Badge,
    Challenge,
    Event,
    GamesError,
    OperatorHistory,
    Row,
    RuleSet,
    Tier,
)

AT = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
CALL = {"score": 90, "duration": 120}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def assert_russian(text: str) -> None:
    """A whole Russian sentence with its placeholders filled in."""
    assert text != GENERIC
    assert re.search("[а-яё]", text, re.IGNORECASE), text
    assert text[0].isupper() or text[0] == "«", text
    assert text.endswith("."), text
    assert not PLACEHOLDER.search(text), text


def challenge(**overrides):
    values = {"key": "week", "title": "Неделя эмпатии", "kind": "personal", "metric": "points",
              "target": 100, "starts_at": AT, "ends_at": AT + timedelta(days=7)}
    return Challenge(**{**values, **overrides})


def award(operator="anna", rule_key="score_band", occurred_at=AT):
    return Award("call", "1", rule_key, 10, "Оценка звонка", operator, occurred_at, 1)


def badge(key="voice_smile"):
    return Badge(key, "Голос с улыбкой", "", "consecutive_met", {"standard": "empathy"},
                 (Tier("bronze", 20),), "в {count} подряд", ("звонке", "звонках", "звонках"))


def rules(**data):
    return RuleSet.from_dict({"version": 1, "rules": [], **data})


CASES = [
    # events and time
    ("unknown_source_kind", lambda: Event("chat", "1", "anna", AT, {})),
    ("bad_source_id", lambda: Event("call", "", "anna", AT, CALL)),
    ("bad_operator_login", lambda: Event("call", "1", "", AT, CALL)),
    ("naive_datetime", lambda: Event("call", "1", "anna", datetime(2025, 3, 3, 9), CALL)),
    ("not_a_datetime", lambda: Event("call", "1", "anna", "вчера", CALL)),
    ("payload_not_mapping", lambda: Event("call", "1", "anna", AT, [90])),
    ("invalid_payload", lambda: Event("call", "1", "anna", AT, {"score": 150})),
    # the ledger
    ("mixed_operators", lambda: games.reverse([award("anna"), award("boris")])),
    ("correction_as_new_award", lambda: games.reaward([], [award(rule_key="score_band:reversal:1")])),
    ("award_without_time", lambda: games.daily_totals([award(occurred_at=None)])),
    # points rules
    ("rule_problems", lambda: RuleSet(version=0, rules=()).validate()),
    ("rules_not_mapping", lambda: RuleSet.from_dict([])),
    ("missing_rules_fields", lambda: RuleSet.from_dict({})),
    ("rules_not_list", lambda: rules(rules={})),
    ("rule_without_fields", lambda: rules(rules=[{"key": "a"}])),
    ("rule_params_not_mapping", lambda: rules(rules=[{"key": "a", "kind": "x", "params": []}])),
    ("caps_not_mapping", lambda: rules(daily_caps=[])),
    # badges
    ("foreign_events", lambda: OperatorHistory("anna", (Event("call", "1", "boris", AT, CALL),))),
    ("badge_problems", lambda: games.validate_catalogue([badge(), badge()])),
    # challenges
    ("challenge_without_key", lambda: challenge(key="")),
    ("challenge_without_title", lambda: challenge(title=" ")),
    ("unknown_challenge_kind", lambda: challenge(kind="duel")),
    ("unknown_challenge_metric", lambda: challenge(metric="smiles")),
    ("challenge_target_not_positive", lambda: challenge(target=0)),
    ("challenge_time_without_zone", lambda: challenge(starts_at=datetime(2025, 3, 3))),
    ("challenge_ends_before_start", lambda: challenge(ends_at=AT - timedelta(days=1))),
    ("challenge_value_not_number", lambda: games.progress(challenge(), {"anna": "много"})),
    # levels and streaks
    ("ladder_not_from_zero", lambda: games.level_for(10, ((5, "Стажёр"),))),
    ("ladder_not_increasing", lambda: games.level_for(10, ((0, "Стажёр"), (0, "Консультант")))),
    ("bad_streak_target", lambda: games.streak({}, 0, date(2025, 3, 3))),
    # leaderboards
    ("bad_calls_count", lambda: games.rank([Row("anna", "Рассвет", 10, -1)])),
    ("bad_points", lambda: games.rank([Row("anna", "Рассвет", 1.5, 1)])),
    ("bad_min_calls", lambda: games.rank([], min_calls=-1)),
    ("duplicate_operator", lambda: games.rank([Row("anna", "Рассвет", 1, 1)] * 2)),
    ("unknown_period", lambda: games.period_bounds("year", AT)),
]


@pytest.mark.parametrize(("code", "action"), CASES, ids=[code for code, _ in CASES])
def test_each_refusal_has_its_code_and_russian_wording(code, action):
    with pytest.raises(GamesError) as caught:
        action()
    assert caught.value.code == code
    assert_russian(say(caught.value))


def test_str_stays_the_log_message_and_params_feed_the_wording():
    with pytest.raises(games.ChallengeError) as caught:
        challenge(ends_at=AT - timedelta(days=1))
    assert "должно быть позже начала" in str(caught.value)
    assert caught.value.params["key"] == "week"
    assert "должно быть позже начала" in say(caught.value)


def test_rule_problems_keep_their_list():
    with pytest.raises(games.RuleSetError) as caught:
        RuleSet(version=0, rules=(), min_call_seconds=-1).validate()
    assert len(caught.value.problems) == 2
    assert caught.value.params["problems"] == tuple(caught.value.problems)
    assert all(problem in say(caught.value) for problem in caught.value.problems)


@pytest.mark.parametrize("error", [
    games.GamesError, games.ClockError, games.EventError, games.RuleSetError, games.BadgeError,
    games.ChallengeError, games.ProgressionError, games.LeaderboardError,
], ids=lambda cls: cls.__name__)
def test_class_defaults_have_wording_too(error):
    raised = error("проверка")
    assert raised.code == error.code
    assert_russian(say(raised))

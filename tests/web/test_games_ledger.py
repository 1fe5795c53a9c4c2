"""The points ledger through the app: exactly once, caps, disputes, badges, cache."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

import games
from app.extensions import db
from app.games import cache, operations, queries
from app.models import EarnedBadge, Notification, PointEvent
from tests.web.games_support import NOW, call, recent


def ledger(source_id=None):
    query = select(PointEvent.rule_key, PointEvent.points).order_by(PointEvent.id)
    if source_id:
        query = query.where(PointEvent.source_id == source_id)
    return db.session.execute(query).all()


def test_same_event_twice_writes_the_same_rows(make_user):
    make_user("anna")
    event = call("anna", "c1", 95, verdicts={"empathy": True, "greeting": False})
    operations.award_event(event)
    db.session.commit()
    first = ledger()
    assert ("@handled", 0) in first and ("score_band", 10) in first and ("standards:empathy", 3) in first
    assert operations.award_event(event) == []
    db.session.commit()
    assert ledger() == first


def test_concurrent_double_award_keeps_one_row(make_user):
    """Two workers both decided the event is new: the unique key keeps one row each."""
    anna = make_user("anna")
    award = games.award(call("anna", "c1"), games.default_ruleset())[0]
    row = operations._ledger_dict(award, anna, None)
    operations._write_ledger([row])
    operations._write_ledger([row])
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PointEvent)) == 1


def test_daily_cap_trims_positive_points(make_user):
    make_user("anna")
    ruleset = games.default_ruleset().to_dict()
    ruleset["daily_caps"]["call"] = 25
    operations.save_ruleset(ruleset, None)
    at = recent(30)
    operations.award_events([call("anna", f"c{n}", 95, at=at + timedelta(minutes=n)) for n in range(4)])
    db.session.commit()
    assert sum(points for _, points in ledger()) == 25


def test_unknown_operator_is_a_clear_error(app):
    with pytest.raises(operations.GamesOperationError, match="нет пользователя с логином «ghost»"):
        operations.award_event(call("ghost", "c1"))
    assert ledger() == []


def test_dispute_reversal_and_reaward(make_user):
    make_user("anna")
    operations.award_event(call("anna", "c1", 95, verdicts={"empathy": False}))
    db.session.commit()
    operations.reaward_event(call("anna", "c1", 95, verdicts={"empathy": True}), "спор №1")
    db.session.commit()
    assert ("standards:empathy", 3) in ledger("c1")
    operations.reverse_event("call", "c1", "спор №2")
    db.session.commit()
    assert sum(points for _, points in ledger("c1")) == 0
    operations.reverse_event("call", "c1", "ещё раз")
    db.session.commit()
    assert sum(points for _, points in ledger("c1")) == 0


def test_points_are_pending_during_the_dispute_window(make_user):
    anna = make_user("anna")
    operations.award_event(call("anna", "old", 95, at=NOW - timedelta(days=5)))
    operations.award_event(call("anna", "new", 95))
    db.session.commit()
    home = queries.operator_home(anna)
    assert home["pending"] == 10 and home["lifetime"] == 20


def test_badges_are_awarded_once_with_a_notification(make_user):
    anna = make_user("anna")
    events = [games.Event("listening", f"l{n}", "anna", NOW - timedelta(hours=n), {}) for n in range(10)]
    operations.award_events(events)
    db.session.commit()
    assert operations.evaluate_operator_badges(anna) == []
    operations.award_event(games.Event("listening", "l99", "anna", NOW, {}))
    db.session.commit()
    earned = db.session.execute(select(EarnedBadge.badge_key, EarnedBadge.tier)).all()
    assert earned == [("listener", "bronze")]
    texts = db.session.scalars(select(Notification.text)).all()
    assert len(texts) == 1 and "Слушатель" in texts[0]


def test_cache_is_filled_and_invalidated_by_a_write(make_user):
    make_user("anna")
    board = queries.Board("day")
    assert queries.leaderboard(board) == []
    assert cache.is_cached(("board", board))
    operations.award_event(call("anna", "c1"))
    assert not cache.is_cached(("board", board))
    db.session.commit()
    assert [r.operator for r in queries.leaderboard(board)] == ["anna"]

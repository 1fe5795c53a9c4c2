"""What the caches behind the leaderboard API and the operator home keep, and what clears them."""

import pytest
from sqlalchemy import insert, select

from app import access, users
from app.extensions import db
from app.games import cache, operations
from app.models import GameSetting, PointEvent, User
from tests.web.games_support import call, recent


@pytest.fixture()
def api(client, make_user):
    """A manager's key and a GET helper for the leaderboard API."""
    boss = make_user("boss", role="manager")
    row, key = users.issue_api_key(boss, "t", actor=None)
    db.session.commit()

    def get(query="period=day"):
        return client.get(f"/api/v1/leaderboard?{query}", headers={"Authorization": f"Bearer {key}"})

    get.user, get.key_row = boss, row
    return get


def operators(response):
    return [(item["operator"], item["points"]) for item in response.json["items"]]


def test_api_board_changes_after_an_award(api, make_user):
    make_user("anna")
    assert api().json["items"] == []
    assert api().json["items"] == []  # served from the cached bytes
    operations.award_event(call("anna", "a1", 95))
    db.session.commit()
    assert operators(api()) == [("anna", 10)]


def test_revoked_key_is_401_at_once(api):
    assert api().status_code == 200
    assert api().status_code == 200  # the key's user is now cached in this process
    users.revoke_api_key(db.session.get(type(api.key_row), api.key_row.id), actor=None)
    db.session.commit()
    response = api()
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_disabled_user_and_new_role_apply_at_once(api, make_user):
    assert api().status_code == 200
    boss = db.session.get(User, api.user.id)
    users.update_user(boss, full_name=boss.full_name, role="subscriber", email=None, team=None,
                      carriers=[], actor=None)
    db.session.commit()
    assert api().status_code == 403
    users.set_active(db.session.get(User, api.user.id), False, actor=None)
    db.session.commit()
    assert api().status_code == 401


def test_key_cache_serves_without_sql_but_keeps_g_api_user_usable(client, make_user):
    user = make_user("mgr", role="manager")
    _, key = users.issue_api_key(user, "t", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/me", headers=headers).json["login"] == "mgr"
    assert access.hash_api_key(key) in access._key_cache
    assert client.get("/api/v1/me", headers=headers).json == {
        "login": "mgr", "full_name": "Тест Тестов", "role": "manager"}


def test_another_process_write_is_seen_through_the_version_row(api, make_user):
    anna = make_user("anna")
    assert api().json["items"] == []
    # a write made by another process: rows appear without this process's invalidation ...
    db.session.execute(insert(PointEvent).values(
        operator_id=anna.id, source_kind="call", source_id="x1", rule_key="score_band", points=7,
        reason="", occurred_at=recent(0), final_at=recent(0), ruleset_version=1))
    db.session.commit()
    assert api().json["items"] == []  # ... so the cached board is still served
    # ... until the version token that the writer stores changes
    db.session.merge(GameSetting(key=cache.VERSION_KEY, value="another-process"))
    db.session.commit()
    assert operators(api()) == [("anna", 7)]


def test_a_write_stores_a_new_version_token(make_user):
    make_user("anna")
    token = lambda: db.session.scalar(select(GameSetting.value).where(GameSetting.key == cache.VERSION_KEY))  # noqa: E731
    operations.award_event(call("anna", "a1"))
    db.session.commit()
    first = token()
    operations.award_event(call("anna", "a2"))
    db.session.commit()
    assert first and token() and token() != first


def test_operator_home_changes_after_an_award(auth, make_user):
    make_user("anna", full_name="Анна Смирнова")
    auth.login("anna")
    assert "Добро пожаловать в игру" in auth.client.get("/").get_data(as_text=True)
    operations.award_event(call("anna", "a1", 95))
    db.session.commit()
    html = auth.client.get("/").get_data(as_text=True)
    assert "Добро пожаловать в игру" not in html and "Место за неделю" in html


def test_single_fill_per_key_under_concurrency():
    import threading

    calls = []
    gate = threading.Event()

    def compute():
        calls.append(1)
        gate.wait(1)
        return 42

    from flask import Flask

    app = Flask(__name__)
    app.testing = False
    results = []
    cache._version["checked"] = float("inf")  # no version row here: skip the check

    def reader():
        with app.app_context():
            results.append(cache.cached(("test-single-fill",), compute))

    try:
        threads = [threading.Thread(target=reader) for _ in range(8)]
        for thread in threads:
            thread.start()
        gate.set()
        for thread in threads:
            thread.join()
    finally:
        cache._version["checked"] = float("-inf")
        cache.invalidate_leaderboards()
    assert results == [42] * 8 and len(calls) == 1

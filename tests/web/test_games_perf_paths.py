"""The hot paths of the games area run (almost) no SQL once cached, and stay correct.

Counts statements, never times: the leaderboard API answers a warm request from memory, the
operator home none either (the signed-in user is cached like API keys), and no cache
outlives the write, the disable or the read that should change what is shown.
"""

import time
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import create_engine, event, insert, select, text

import app as app_module
from app import freshness, users
from app.extensions import db
from app.games import cache, operations
from app.models import Carrier, GameSetting, Notification, PointEvent, Team, User
from tests.web.games_support import call, recent


@pytest.fixture()
def slow_version_check(app):
    """As in production: the cross-process version row is read at most once an hour here."""
    app.config["GAMES_VERSION_CHECK"] = 3600.0
    cache._version["checked"] = float("-inf")  # the first cached call reads it
    yield
    cache._version["checked"] = float("-inf")


@contextmanager
def statements():
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.fixture()
def operator(make_user):
    team = Team(name="Смена 1")
    db.session.add(team)
    carriers = db.session.scalars(select(Carrier).order_by(Carrier.id)).all()[:2]
    return make_user("anna", full_name="Анна Смирнова", team=team, carriers=carriers)


def test_warm_api_request_runs_no_sql(client, make_user, slow_version_check):
    boss = make_user("boss", role="manager")
    _, key = users.issue_api_key(boss, "t", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    for _ in range(2):
        assert client.get("/api/v1/leaderboard?period=week", headers=headers).status_code == 200
    with statements() as seen:
        assert client.get("/api/v1/leaderboard?period=week", headers=headers).json["items"] == []
    assert seen == []


def test_warm_operator_home_runs_no_sql(auth, operator, slow_version_check):
    operations.award_event(call("anna", "a1", 95))
    db.session.commit()
    auth.login("anna")
    auth.client.get("/")
    with statements() as seen:
        html = auth.client.get("/").get_data(as_text=True)
    assert seen == []  # the signed-in user (with team and lines) is cached too, see app.access
    assert "Смена 1" in html and "Место за неделю" in html
    for carrier in operator.skills:
        assert carrier.carrier.name in html


def test_disabled_operator_is_refused_at_once_despite_the_cache(auth, operator, slow_version_check):
    auth.login("anna")
    assert auth.client.get("/").status_code == 200
    users.set_active(db.session.get(User, operator.id), False, actor=None)
    db.session.commit()
    response = auth.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_new_session_version_signs_the_operator_out(auth, operator, slow_version_check):
    auth.login("anna")
    assert auth.client.get("/").status_code == 200
    users.set_password(db.session.get(User, operator.id), "another-pass-9", actor=None)
    db.session.commit()
    assert auth.client.get("/").status_code == 302


def test_notifications_come_and_go_on_the_cached_home(auth, operator, slow_version_check):
    auth.login("anna")
    assert "Новых уведомлений нет" in auth.client.get("/").get_data(as_text=True)
    operations.notify(db.session.get(User, operator.id), "Проверьте новый стандарт")
    db.session.commit()
    html = auth.client.get("/").get_data(as_text=True)
    assert "Проверьте новый стандарт" in html and "1 новое" in html
    assert auth.post("/games/notifications/read").status_code == 302
    html = auth.client.get("/").get_data(as_text=True)
    assert "Проверьте новый стандарт" in html and "новых</span>" not in html
    assert all(n.read_at for n in db.session.scalars(select(Notification)))


def test_kb_change_notices_come_and_go_on_the_cached_home(auth, operator, slow_version_check):
    from app.kb.operations import save_article
    from app.models import KbChangeNotice

    article, version = save_article(None, title="Каталог МТС", carrier="mts", topic="tariffs",
                                    body_md="Тарифы", tags=[], effective_from=date.today(), author=None)
    auth.login("anna")
    assert "Изменения в базе знаний" not in auth.client.get("/").get_data(as_text=True)
    notice = KbChangeNotice(user_id=operator.id, version_id=version.id, text="Изменился каталог МТС")
    db.session.add(notice)
    cache.invalidate_leaderboards(db.session)  # as the publication does (app.kb.catalogue._notify)
    db.session.commit()
    assert "Изменился каталог МТС" in auth.client.get("/").get_data(as_text=True)
    with statements() as seen:
        assert "Изменился каталог МТС" in auth.client.get("/").get_data(as_text=True)
    assert seen == []
    assert auth.post(f"/kb/notices/{notice.id}/read").status_code == 302
    assert "Изменился каталог МТС" not in auth.client.get("/").get_data(as_text=True)


def _write_from_another_process(operator_id: int) -> None:
    """Rows and a new version token, without this process's invalidation."""
    db.session.execute(insert(PointEvent).values(
        operator_id=operator_id, source_kind="call", source_id="x1", rule_key="score_band", points=7,
        reason="", occurred_at=recent(0), final_at=recent(0), ruleset_version=1))
    db.session.merge(GameSetting(key=cache.VERSION_KEY, value="another-process"))
    db.session.commit()


def test_other_process_writes_wait_for_the_version_check(auth, operator, slow_version_check):
    auth.login("anna")
    assert "Добро пожаловать в игру" in auth.client.get("/").get_data(as_text=True)
    _write_from_another_process(operator.id)
    assert "Добро пожаловать в игру" in auth.client.get("/").get_data(as_text=True)  # stale, bounded
    cache._version["checked"] = float("-inf")  # the interval ran out
    assert "Добро пожаловать в игру" not in auth.client.get("/").get_data(as_text=True)


def test_own_write_in_another_process_is_seen_at_once(auth, operator, slow_version_check):
    auth.login("anna")
    assert "Добро пожаловать в игру" in auth.client.get("/").get_data(as_text=True)
    _write_from_another_process(operator.id)
    with auth.client.session_transaction() as session:  # what that process's commit notes
        session[freshness.WRITTEN_KEY] = time.time()
    assert "Добро пожаловать в игру" not in auth.client.get("/").get_data(as_text=True)


def test_a_write_in_a_request_notes_its_time_in_the_session(auth, operator, slow_version_check):
    operations.notify(db.session.get(User, operator.id), "Новость")
    db.session.commit()
    auth.login("anna")
    before = time.time()
    auth.post("/games/notifications/read")
    with auth.client.session_transaction() as session:
        assert session[freshness.WRITTEN_KEY] >= before


def test_idle_postgresql_connection_that_died_is_replaced(app, monkeypatch):
    """No per-request pre-ping: a pooled connection idle long enough is checked, and replaced."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite connections open a local file and are never pinged")
    monkeypatch.setattr(app_module, "PING_AFTER_IDLE", 0.0)
    engine = create_engine(db.engine.url, pool_size=1, max_overflow=0)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        db.session.commit()
        with engine.connect() as conn:  # the dead one fails the ping: a fresh one is used
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()

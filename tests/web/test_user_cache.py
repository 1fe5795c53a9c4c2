"""The signed-in user is cached like API keys: no SQL when warm, never wrong for long.

Another process is simulated by writing with plain SQL (no ORM flush, so this process's
invalidation does not run) and by moving the cache entry's expiry, never by sleeping.
"""

import pytest
from sqlalchemy import select, text, update

from app import access, freshness
from app.extensions import db
from app.models import Carrier, Team, User


@pytest.fixture()
def anna(make_user):
    team = Team(name="Смена «Рассвет»")
    db.session.add(team)
    carriers = db.session.scalars(select(Carrier).order_by(Carrier.id)).all()[:2]
    user = make_user("anna", full_name="Анна Смирнова", team=team, carriers=carriers)
    make_user("boris", full_name="Борис Петров", team=team)
    return user


def expire_cache() -> None:
    """The TTL ran out (as if KEY_CACHE_TTL seconds passed)."""
    for key, (_, loaded, copy) in list(access._user_cache.items()):
        access._user_cache[key] = (float("-inf"), loaded, copy)


def test_the_cached_user_shows_the_whole_team_and_lines(auth, anna):
    auth.login("anna")
    auth.client.get("/")
    assert anna.id in access._user_cache
    home = auth.client.get("/").get_data(as_text=True)
    assert "Смена «Рассвет»" in home
    assert all(skill.carrier.name in home for skill in anna.skills)
    db.session.expunge_all()
    user = access.cached_user(anna.id)  # as the loader gets it: merged, no SQL for these
    assert user.team.name == "Смена «Рассвет»" and len(user.skills) == 2
    assert {m.login for m in user.team.members} == {"anna", "boris"}  # not just the copy's user


def test_a_user_disabled_by_another_process_is_refused_when_the_copy_expires(auth, anna):
    auth.login("anna")
    assert auth.client.get("/").status_code == 200
    db.session.execute(update(User).where(User.id == anna.id).values(active=False))  # no flush events
    db.session.commit()
    assert auth.client.get("/").status_code == 200  # the bounded staleness: this process's copy
    expire_cache()
    response = auth.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_change_in_this_process_is_seen_at_once(auth, anna):
    auth.login("anna")
    auth.client.get("/")
    anna.team.name = "Смена «Закат»"
    db.session.commit()
    assert access._user_cache == {}
    assert "Смена «Закат»" in auth.client.get("/").get_data(as_text=True)


def test_own_write_in_another_process_is_read_again(auth, anna):
    auth.login("anna")
    auth.client.get("/")
    db.session.execute(text("UPDATE teams SET name = 'Смена «Полдень»' WHERE id = :id"), {"id": anna.team_id})
    db.session.commit()
    assert "Смена «Рассвет»" in auth.client.get("/").get_data(as_text=True)  # cached copy
    with auth.client.session_transaction() as session:  # what that process's commit stamps
        session[freshness.WRITTEN_KEY] = 4e9
    assert "Смена «Полдень»" in auth.client.get("/").get_data(as_text=True)


def test_a_write_in_a_request_stamps_the_session(auth, anna):
    auth.login("anna")
    with auth.client.session_transaction() as session:
        before = session.get(freshness.WRITTEN_KEY, 0.0)
    with auth.client.application.test_request_context():
        from flask import session as cookie_session

        cookie_session["_user_id"] = f"{anna.id}:{anna.session_version}"
        anna.full_name = "Анна Смирнова-Орлова"  # a change to a user, committed inside a request
        db.session.commit()
        assert cookie_session[freshness.WRITTEN_KEY] > before
        cookie_session.pop(freshness.WRITTEN_KEY)
        db.session.commit()  # nothing about people changed: no stamp
        assert freshness.WRITTEN_KEY not in cookie_session

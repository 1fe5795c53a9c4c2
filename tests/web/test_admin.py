import json

from sqlalchemy import select

from app.demo import seed_demo
from app.extensions import db
from app.models import ApiKey, AuditEntry, User


def admin(auth, make_user):
    make_user("boss", role="admin")
    auth.login("boss")


def test_create_user_through_form(auth, make_user):
    admin(auth, make_user)
    response = auth.post("/admin/users/new", {"login": "o.petrova", "full_name": "Ольга Петрова",
                                              "role": "operator", "team_id": "0",
                                              "password": "long-enough-1"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.login == "o.petrova"))
    assert user.full_name == "Ольга Петрова" and user.password_hash.startswith("$argon2")
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))


def test_duplicate_login_is_a_clear_error_and_writes_nothing(auth, make_user):
    admin(auth, make_user)
    make_user("o.petrova")
    count = db.session.query(User).count()
    page = auth.post("/admin/users/new", {"login": "O.Petrova", "full_name": "Другая",
                                          "role": "operator", "team_id": "0",
                                          "password": "long-enough-1"}).get_data(as_text=True)
    assert "уже есть" in page
    assert db.session.query(User).count() == count


def test_short_password_is_refused(auth, make_user):
    admin(auth, make_user)
    page = auth.post("/admin/users/new", {"login": "x.y", "full_name": "X", "role": "operator",
                                          "team_id": "0", "password": "short"}).get_data(as_text=True)
    assert "не меньше 8" in page
    assert db.session.scalar(select(User).where(User.login == "x.y")) is None


def test_disable_and_reset_password(auth, make_user):
    admin(auth, make_user)
    target = make_user("victim")
    assert auth.post(f"/admin/users/{target.id}/active", {"active": "0"}).status_code == 302
    db.session.refresh(target)
    assert target.active is False
    auth.post(f"/admin/users/{target.id}/password", {"password": "brand-new-pass"})
    from app.auth.passwords import verify_password

    db.session.refresh(target)
    assert verify_password(target.password_hash, "brand-new-pass")


def test_admin_cannot_disable_self(auth, make_user):
    make_user("boss", role="admin")
    auth.login("boss")
    me = db.session.scalar(select(User).where(User.login == "boss"))
    page = auth.client.post(f"/admin/users/{me.id}/active",
                            data={"active": "0", "csrf_token": auth.token("/")},
                            follow_redirects=True).get_data(as_text=True)
    assert "Нельзя отключить собственную" in page


def test_issue_and_revoke_key(auth, make_user):
    admin(auth, make_user)
    make_user("crm-bot", role="manager")
    page = auth.post("/admin/api-keys", {"login": "crm-bot", "name": "CRM"}).get_data(as_text=True)
    assert "больше он показан не будет" in page
    key = db.session.scalar(select(ApiKey))
    plain = page.split('id="new-key">')[1].split("<")[0]
    assert auth.client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    auth.post(f"/admin/api-keys/{key.id}/revoke")
    assert auth.client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_user_search_returns_fragment_for_htmx(auth, make_user):
    admin(auth, make_user)
    make_user("z.zorina", full_name="Зоя Зорина")
    full = auth.client.get("/admin/users?q=зорин").get_data(as_text=True)
    part = auth.client.get("/admin/users?q=зорин", headers={"HX-Request": "true"})
    assert "<html" in full and "Зоя Зорина" in full
    body = part.get_data(as_text=True)
    assert "<html" not in body and "Зоя Зорина" in body
    assert "HX-Request" in part.headers["Vary"]


def test_boosted_and_history_restore_get_whole_page(auth, make_user):
    admin(auth, make_user)
    for headers in ({"HX-Request": "true", "HX-Boosted": "true"},
                    {"HX-Request": "true", "HX-History-Restore-Request": "true"}):
        assert "<html" in auth.client.get("/admin/users", headers=headers).get_data(as_text=True)


def test_error_pages_are_russian(auth, make_user):
    admin(auth, make_user)
    page = auth.client.get("/admin/users/999999")
    assert page.status_code == 404 and "Страница не найдена" in page.get_data(as_text=True)


def test_the_demo_centre(auth, app):
    """Seeded once (it is slow): idempotent, every role, written as a native speaker would
    (before: «Смена «Рассвет» против Смена «Полдень»», and a QA listener who had the same name
    as an operator), and its people can sign in."""
    from app.models import BankQuestion as Question
    from app.models import GameChallenge as Challenge

    first = seed_demo()
    count = db.session.query(User).count()
    second = seed_demo()
    assert first["created"] == count and count >= 45
    assert second["created"] == 0 and db.session.query(User).count() == count
    roles = {r for (r,) in db.session.execute(select(User.role)).all()}
    assert roles == {"operator", "qa_listener", "manager", "admin", "subscriber"}

    titles = db.session.scalars(select(Challenge.title).where(Challenge.kind == "team")).all()
    assert titles and all("против смены «" in t for t in titles), titles
    names = db.session.scalars(select(User.full_name).where(User.role != "subscriber")).all()
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    texts = " ".join(json.dumps(q.data, ensure_ascii=False) for q in db.session.scalars(select(Question)))
    assert "Компания „мтСЕТЬ“" in texts and "Улыбка" not in texts  # the configured company

    from app.models import Subscriber, Ticket

    petr = db.session.scalar(select(Subscriber).where(Subscriber.phone == "+79161234567"))
    assert petr.carrier.code == "mts" and petr.user.login == "subscriber"
    by_carrier = dict(db.session.execute(select(Subscriber.carrier_id, db.func.count())
                                         .group_by(Subscriber.carrier_id)).all())
    assert len(by_carrier) == 3 and sum(by_carrier.values()) >= 2000
    states = {s for (s,) in db.session.execute(select(Ticket.status).distinct())}
    assert {"new", "open", "pending_subscriber", "resolved"} <= states

    for login in ("admin", "manager", "qa", "operator", "subscriber"):
        assert auth.login(login, "ulybka-demo").status_code == 302, login
        assert auth.client.get("/").status_code == 200
        auth.logout()

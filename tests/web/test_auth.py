import pytest

from app import users
from app.extensions import db
from app.models import AuditEntry
from tests.conftest import build_app, csrf_from


def test_login_page_is_russian(client):
    page = client.get("/login").get_data(as_text=True)
    assert "Вход в «Улыбку»" in page and 'name="csrf_token"' in page


def test_login_success_lands_on_home(auth, make_user):
    make_user("anna", full_name="Анна Смирнова")
    response = auth.login("anna")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Здравствуйте, Анна!" in auth.client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("login,password", [("anna", "wrong-password"), ("nobody", "secret-pass"),
                                            ("", "")])
def test_wrong_credentials_are_refused(auth, make_user, login, password):
    make_user("anna")
    response = auth.login(login, password)
    assert response.status_code in (200, 401)
    assert auth.client.get("/").status_code == 302  # still signed out


def test_wrong_password_message(auth, make_user):
    make_user("anna")
    page = auth.login("anna", "wrong-password").get_data(as_text=True)
    assert "Неверный логин или пароль." in page


def test_disabled_user_cannot_log_in(auth, make_user):
    user = make_user("anna")
    users.set_active(user, False, actor=None)
    db.session.commit()
    page = auth.login("anna").get_data(as_text=True)
    assert "Учётная запись отключена" in page
    assert auth.client.get("/").status_code == 302


def test_disabling_ends_open_sessions(auth, make_user):
    user = make_user("anna")
    auth.login("anna")
    assert auth.client.get("/").status_code == 200
    users.set_active(user, False, actor=None)
    db.session.commit()
    assert auth.client.get("/").status_code == 302


def test_password_reset_ends_open_sessions(auth, make_user):
    user = make_user("anna")
    auth.login("anna")
    users.set_password(user, "another-pass-1", actor=None)
    db.session.commit()
    assert auth.client.get("/").status_code == 302
    assert auth.login("anna", "another-pass-1").status_code == 302


def test_login_rate_limit(migrated, make_user):
    app = build_app(migrated, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    responses = []
    for _ in range(5):
        page = client.get("/login").get_data(as_text=True)
        responses.append(client.post("/login", data={"login": "x", "password": "y",
                                                     "csrf_token": csrf_from(page)}))
    assert [r.status_code for r in responses] == [401, 401, 401, 429, 429]
    assert "Слишком много" in responses[-1].get_data(as_text=True)


def test_missing_csrf_token_is_rejected(client, make_user):
    make_user("anna")
    response = client.post("/login", data={"login": "anna", "password": "secret-pass"})
    assert response.status_code == 400
    assert "защитного токена" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_htmx_post_without_csrf_header_is_rejected(auth, make_user):
    make_user("boss", role="admin")
    auth.login("boss")
    response = auth.client.post("/jobs/ping", headers={"HX-Request": "true"})
    assert response.status_code == 400


def test_htmx_post_with_csrf_header_is_accepted(auth, make_user, monkeypatch):
    make_user("boss", role="admin")
    auth.login("boss")
    token = auth.token("/")
    response = auth.client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 302


def test_tampered_session_cookie_signs_out(auth, make_user):
    make_user("anna")
    auth.login("anna")
    cookie = auth.client.get_cookie("session")
    auth.client.set_cookie("session", cookie.value[:-4] + "AAAA")
    response = auth.client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout(auth, make_user):
    make_user("anna")
    auth.login("anna")
    assert auth.logout().status_code == 302
    assert auth.client.get("/").status_code == 302


def test_failed_login_is_audited(auth, make_user):
    make_user("anna")
    auth.login("anna", "nope-nope")
    actions = [e.action for e in db.session.query(AuditEntry).all()]
    assert "login.failed" in actions


def test_open_redirect_is_refused(auth, make_user):
    make_user("anna")
    token = auth.token()
    response = auth.client.post("/login?next=//evil.example/x",
                                data={"login": "anna", "password": "secret-pass", "csrf_token": token})
    assert response.headers["Location"] == "/"

from app import users
from app.extensions import db


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_api_without_key_is_401_json(client):
    response = client.get("/api/v1/calls")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert "Bearer" in response.json["error"]["message"]


def test_api_with_unknown_key_is_401(client):
    assert client.get("/api/v1/calls", headers=bearer("ulb_nonsense")).status_code == 401
    assert client.get("/api/v1/calls", headers={"Authorization": "Basic abc"}).status_code == 401


def test_api_with_key_lists_calls(client, make_user):
    user = make_user("mgr", role="manager")
    _, key = users.issue_api_key(user, "crm", actor=None)
    db.session.commit()
    response = client.get("/api/v1/calls", headers=bearer(key))
    assert response.status_code == 200
    assert response.json["items"] == [] and response.json["total"] == 0
    me = client.get("/api/v1/me", headers=bearer(key)).json
    assert me == {"login": "mgr", "full_name": "Тест Тестов", "role": "manager"}


def test_revoked_key_is_401(client, make_user):
    user = make_user("mgr", role="manager")
    row, key = users.issue_api_key(user, "crm", actor=None)
    users.revoke_api_key(row, actor=None)
    db.session.commit()
    assert client.get("/api/v1/calls", headers=bearer(key)).status_code == 401


def test_key_of_disabled_user_is_401(client, make_user):
    user = make_user("mgr", role="manager")
    _, key = users.issue_api_key(user, "crm", actor=None)
    users.set_active(user, False, actor=None)
    db.session.commit()
    assert client.get("/api/v1/calls", headers=bearer(key)).status_code == 401


def test_key_is_stored_hashed(make_user):
    user = make_user("mgr", role="manager")
    row, key = users.issue_api_key(user, "crm", actor=None)
    assert key not in (row.key_hash, row.prefix) and len(row.key_hash) == 64


def test_api_unknown_route_is_json_404(client, make_user):
    user = make_user("mgr", role="manager")
    _, key = users.issue_api_key(user, "crm", actor=None)
    db.session.commit()
    response = client.get("/api/v1/nothing-here", headers=bearer(key))
    assert response.status_code == 404 and response.json["error"]["code"] == "http_404"


def test_api_needs_no_csrf(client, make_user):
    user = make_user("mgr", role="manager")
    _, key = users.issue_api_key(user, "crm", actor=None)
    db.session.commit()
    assert client.get("/api/v1/jobs", headers=bearer(key)).status_code == 200

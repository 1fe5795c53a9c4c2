"""Every route declares who may use it, and the declaration is what actually happens.

The test walks the URL map, so a new route is checked without anybody listing it here.
"""

import pytest

from app.access import ANY, PUBLIC, AccessRule
from app.extensions import db
from app.models import Job, Role
from app.users import issue_api_key

ROLES = [r.value for r in Role]


def rules_of(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule, getattr(app.view_functions[rule.endpoint], "_access", None)


def test_every_route_declares_access(app):
    missing = [rule.rule for rule, access in rules_of(app) if not isinstance(access, AccessRule)]
    assert missing == []


@pytest.fixture()
def url_args(app, make_user):
    target = make_user("target", role="operator")
    key, _ = issue_api_key(target, "test", actor=None)
    job = Job(kind="diagnostics.echo", args={}, status="failed")
    db.session.add(job)
    db.session.commit()
    return {"user_id": target.id, "key_id": key.id, "job_id": job.id, "call_id": 1}


def expected(access: AccessRule, role: str | None) -> bool:
    if PUBLIC in access.roles:
        return True
    if role is None:
        return False
    return ANY in access.roles or role in access.roles


@pytest.mark.parametrize("role", ROLES)
def test_session_routes_follow_their_declaration(app, auth, make_user, url_args, role):
    make_user(f"who-{role}", role=role)
    auth.login(f"who-{role}")
    checked = 0
    for rule, access in rules_of(app):
        if access.via != "session" or rule.endpoint in ("auth.logout", "auth.login"):
            continue
        url = rule.build({k: url_args.get(k, 1) for k in rule.arguments})[1]
        if "GET" in rule.methods:
            response = auth.client.get(url)
        else:
            response = auth.post(url, {})
        allowed = expected(access, role)
        assert (response.status_code == 403) != allowed, (url, role, response.status_code)
        checked += 1
    assert checked >= 8


def test_anonymous_is_sent_to_login(app, client, url_args):
    for rule, access in rules_of(app):
        if access.via != "session" or PUBLIC in access.roles or "GET" not in rule.methods:
            continue
        url = rule.build({k: url_args.get(k, 1) for k in rule.arguments})[1]
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


@pytest.mark.parametrize("role", ROLES)
def test_api_routes_follow_their_declaration(app, client, make_user, url_args, role):
    user = make_user(f"api-{role}", role=role)
    _, key = issue_api_key(user, "t", actor=None)
    db.session.commit()
    for rule, access in rules_of(app):
        if access.via != "api" or "GET" not in rule.methods:
            continue
        url = rule.build({k: url_args.get(k, 1) for k in rule.arguments})[1]
        response = client.get(url, headers={"Authorization": f"Bearer {key}"})
        assert (response.status_code == 403) != expected(access, role), (url, role)
        if response.status_code == 403:
            assert response.json["error"]["code"] == "forbidden"


def test_undeclared_view_is_denied(migrated, make_user):
    from tests.conftest import build_app

    app = build_app(migrated)
    app.add_url_rule("/secret", "secret", lambda: "leak")
    with app.app_context():
        assert app.test_client().get("/secret").status_code == 403


def test_htmx_request_of_an_expired_session_sends_the_page_to_login(client):
    """No login form inside a fragment: 401 with HX-Redirect, then back to the page."""
    response = client.get("/kb/?q=тариф", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/kb/?q=тар"})
    assert response.status_code == 401 and "войдите" in response.get_data(as_text=True)
    target = response.headers["HX-Redirect"]
    assert target.startswith("/login") and "next=%2Fkb%2F%3Fq%3D%D1%82%D0%B0%D1%80" in target
    plain = client.get("/kb/?q=тариф")  # an ordinary request: the usual redirect
    assert plain.status_code == 302 and "HX-Redirect" not in plain.headers


def test_htmx_post_of_an_expired_session_goes_to_login_not_to_a_csrf_error(client, make_user):
    """The token went with the session: the autosave of an exam is sent to log in again."""
    response = client.post("/exams/attempts/1/save", data={"q1": "x"}, headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/exams/attempts/1"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=%2Fexams%2Fattempts%2F1")

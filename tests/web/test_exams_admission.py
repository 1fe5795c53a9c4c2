"""Admission to the line: API, availability switch, recertification after a material change."""

from datetime import date, timedelta

import pytest

from app.certification import operations as ops
from app.certification.bank import import_gift
from app.demo import _ensure_reference_data
from app.extensions import db
from app.kb.operations import save_article
from app.models import CertificationPass, KbArticleVersion, TrainingNotice, utcnow
from app.users import issue_api_key
from tests.web.test_exams_attempts import GIFT


@pytest.fixture()
def lines(app, make_user):
    carriers, _ = _ensure_reference_data()
    import_gift("Линия", GIFT.read_bytes())
    bank = ops.banks_by_name("Линия")
    for code in ("mts", "beeline"):
        ops.create_exam(
            key=f"line-{code}",
            title=f"Линия {code}",
            bank=bank,
            picks=[["Тарифы", 2]],
            time_limit_min=None,
            attempt_limit=None,
            pass_mark=50,
            carrier=code,
            valid_days=100,
        )
    db.session.commit()
    op = make_user("op", role="operator", carriers=carriers)
    rules = {r.carrier: r for r in db.session.query(ops.CertificationRule)}
    now = utcnow()
    db.session.add(
        CertificationPass(certification=rules["mts"], user_id=op.id, passed_at=now - timedelta(days=10))
    )
    db.session.add(
        CertificationPass(certification=rules["beeline"], user_id=op.id, passed_at=now - timedelta(days=95))
    )
    db.session.commit()
    return op


def api_get(client, user, url):
    _, key = issue_api_key(user, "test", actor=None)
    db.session.commit()
    return client.get(url, headers={"Authorization": f"Bearer {key}"})


def test_admission_api(lines, client, make_user):
    manager = make_user("boss", role="manager")
    response = api_get(client, manager, "/api/v1/operators/op/admission")
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) == {"mts", "megafon", "beeline"}
    assert data["mts"]["admitted"] is True and data["mts"]["renew_soon"] is False
    assert data["mts"]["expires_at"].startswith((utcnow() + timedelta(days=90)).date().isoformat())
    assert data["beeline"] == {**data["beeline"], "admitted": True, "renew_soon": True}
    assert data["megafon"]["admitted"] is True and "не требуется" in data["megafon"]["reason"]
    assert api_get(client, manager, "/api/v1/operators/nobody/admission").status_code == 404
    assert client.get("/api/v1/operators/op/admission").status_code == 401
    subscriber = make_user("sub", role="subscriber")
    assert api_get(client, subscriber, "/api/v1/operators/op/admission").status_code == 403


def test_material_change_revokes_and_blocks_the_line(lines, auth, make_user):
    make_user("boss", role="manager")
    ops.set_availability(
        lines, next(c for c in ops.lines_of(lines) if c["carrier"].code == "mts")["carrier"], True
    )
    article, _ = save_article(
        None,
        title="Тариф МТС «Тест»",
        carrier="mts",
        topic="tariffs",
        body_md="Абонентская плата — 450 ₽.",
        tags=[],
        effective_from=date(2025, 1, 1),
        author=None,
    )
    _, version = save_article(
        article,
        title="Тариф МТС «Тест»",
        carrier="mts",
        topic="tariffs",
        body_md="Абонентская плата — 550 ₽.",
        tags=[],
        effective_from=date(2025, 2, 1),
        author=None,
    )
    db.session.commit()
    assert version.suggested_material is True
    auth.login("boss")
    page = auth.client.get(f"/kb/articles/{article.id}").get_data(as_text=True)
    assert "Подтвердить: нужна переаттестация" in page
    done = auth.post(f"/kb/versions/{version.id}/material", follow_redirects=True).get_data(as_text=True)
    assert "отозвано аттестаций — 1" in done
    db.session.expire_all()
    assert db.session.get(KbArticleVersion, version.id).material is True
    state = ops.admission_of(lines)
    assert state["mts"].admitted is False and "отозвана" in state["mts"].reason
    assert state["beeline"].admitted is True
    notice = db.session.query(TrainingNotice).filter_by(user_id=lines.id).one()
    assert "Линия МТС" in notice.text
    line = next(c for c in ops.lines_of(lines) if c["carrier"].code == "mts")
    assert line["available"] is False
    with pytest.raises(ops.ExamFlowError, match="переаттестация"):
        ops.set_availability(lines, line["carrier"], True)


def test_manager_page_lists_expiring_and_both_states(lines, auth, make_user):
    make_user("boss", role="manager")
    make_user("newbie", role="operator", full_name="Новенький Оператор", carriers=_ensure_reference_data()[0])
    auth.login("boss")
    page = auth.client.get("/exams/certifications").get_data(as_text=True)
    assert "Скоро истекают" in page and "Линия Билайн" in page
    assert "не допущен" in page and "допущен до" in page


def test_operator_sees_only_own_admission_page(lines, auth, make_user):
    make_user("op2", role="operator")
    auth.login("op2")
    assert auth.client.get("/exams/operators/op").status_code == 403
    assert auth.client.get("/exams/operators/op2").status_code == 200
    assert auth.post("/exams/operators/op/lines/mts", {"available": "1"}).status_code == 403

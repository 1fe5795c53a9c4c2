"""Admission to the line: API, availability switch, recertification after a material change,
several exams granting one certification, and the exam creation form."""

import re
from datetime import date, timedelta

import pytest

from app.demo import _ensure_reference_data
from app.exams import admission as admissions
from app.exams import attempts, authoring, errors
from app.exams.bank import import_gift
from app.extensions import db
from app.formatting import format_datetime
from app.kb.operations import save_article
from app.models import (
    Carrier,
    CertificationPass,
    CertificationRule,
    Exam,
    KbArticleVersion,
    TrainingNotice,
    utcnow,
)
from app.users import issue_api_key
from tests.web.test_exams_attempts import GIFT


@pytest.fixture()
def lines(app, make_user):
    carriers, _ = _ensure_reference_data()
    import_gift("Линия", GIFT.read_bytes())
    bank = authoring.banks_by_name("Линия")
    for code in ("mts", "beeline"):
        authoring.create_exam(
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
    rules = {r.carrier: r for r in db.session.query(CertificationRule)}
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
    admissions.set_availability(
        lines, next(c for c in admissions.lines_of(lines) if c["carrier"].code == "mts")["carrier"], True
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
    state = admissions.admission_of(lines)
    assert state["mts"].admitted is False and "отозвана" in state["mts"].reason
    assert state["beeline"].admitted is True
    notice = db.session.query(TrainingNotice).filter_by(user_id=lines.id).one()
    assert "Линия МТС" in notice.text
    line = next(c for c in admissions.lines_of(lines) if c["carrier"].code == "mts")
    assert line["available"] is False
    with pytest.raises(errors.ExamFlowError, match="переаттестация"):
        admissions.set_availability(lines, line["carrier"], True)


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


# --- API access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "role", "target", "status"),
    [
        ("op", None, "op", 200),  # an operator reads their own admission
        ("op2", "operator", "op2", 200),
        ("op2", "operator", "op", 403),  # but nobody else's
        ("op2", "operator", "nobody", 404),  # as on the page: an unknown login is 404
        ("qa", "qa_listener", "op", 200),  # staff keys (the telephony integration) read anyone's
        ("adm", "admin", "op", 200),
        ("boss", "manager", "op2", 200),
    ],
)
def test_admission_api_lets_an_operator_read_only_their_own(
    lines, client, make_user, caller, role, target, status
):
    user = lines if role is None else make_user(caller, role=role)
    if caller != "op2" and target == "op2":
        make_user("op2", role="operator")
    response = api_get(client, user, f"/api/v1/operators/{target}/admission")
    assert response.status_code == status
    data = response.get_json()
    if status == 403:
        assert data == {"error": {"code": "forbidden", "message": data["error"]["message"]}}
        assert "own admission" in data["error"]["message"]
    elif status == 404:
        assert data["error"]["code"] == "not_found"
    else:
        assert set(data) == {"mts", "megafon", "beeline"}


# --- several exams grant one certification -----------------------------------------------------


def exam_form(bank_id: int, **overrides: str) -> dict[str, str]:
    return {
        "title": "Линия МТС, весна",
        "bank_id": str(bank_id),
        "picks": "Тарифы/МТС: 4",
        "time_limit_min": "",
        "attempt_limit": "",
        "pass_mark": "75",
        "carrier": "mts",
        "valid_days": "180",
        "shuffle_questions": "y",
        **overrides,
    }


RIGHT_ANSWERS = {  # the Тарифы/МТС questions of the demo fixture
    "МТС — цена «Связь+ 15»": "450",
    "МТС — пакет интернета": "40",
    "МТС — APN": "internet.mts.ru",
    "МТС — тариф для пенсионеров": "false",
}


def pass_exam(user, exam):
    attempt = attempts.start_attempt(user, exam)
    paper = attempts.paper_of(attempt)
    attempts.submit_attempt(attempt, {item.slot: RIGHT_ANSWERS[item.question.name] for item in paper.items})
    db.session.commit()
    assert attempt.passed is True and attempt.status == "graded"
    return attempt


def test_a_second_line_exam_keeps_everyone_admitted(lines, auth, client, make_user):
    manager = make_user("boss", role="manager")
    before = admissions.admission_of(lines)["mts"]
    assert before.admitted is True
    auth.login("boss")
    form = exam_form(authoring.banks_by_name("Линия").id)
    page = auth.post("/exams/new", form, follow_redirects=True).get_data(as_text=True)
    assert "Экзамен «Линия МТС, весна» создан." in page
    assert db.session.query(CertificationRule).filter_by(carrier="mts").count() == 2
    assert admissions.admission_of(lines)["mts"] == before
    data = api_get(client, manager, "/api/v1/operators/op/admission").get_json()
    assert data["mts"]["admitted"] is True and "Линия МТС" in data["mts"]["reason"]
    grid = auth.client.get("/exams/certifications").get_data(as_text=True)
    assert f"допущен до {format_datetime(before.expires_at, '%d.%m.%Y')}" in grid  # the centre's day


@pytest.mark.parametrize(("valid_days", "moves"), [(180, True), (30, False)])
def test_passing_another_exam_moves_the_expiry_only_when_later(lines, valid_days, moves):
    exam = authoring.create_exam(
        key="line-mts-2",
        title="Линия МТС, весна",
        bank=authoring.banks_by_name("Линия"),
        picks=[["Тарифы/МТС", 4]],
        time_limit_min=None,
        attempt_limit=None,
        pass_mark=75,
        carrier="mts",
        valid_days=valid_days,
    )
    db.session.commit()
    old = admissions.admission_of(lines)["mts"].expires_at  # the first exam's pass: 90 days left
    attempt = pass_exam(lines, exam)
    admission = admissions.admission_of(lines)["mts"]
    assert admission.admitted is True
    newer = attempt.submitted_at + timedelta(days=valid_days)
    assert admission.expires_at == (newer if moves else old)
    assert f"действует до {format_datetime(admission.expires_at, '%d.%m.%Y')}" in admission.reason


def second_exam_passed(user, carrier: str, category: str, valid_days: int, days_ago: int):
    """Another exam for ``carrier``'s line (same certification), passed by ``user`` ``days_ago``;
    returns when."""
    exam = authoring.create_exam(
        key=f"line-{carrier}-2", title="Линия, весна", bank=authoring.banks_by_name("Линия"),
        picks=[[category, 2]], time_limit_min=None, attempt_limit=None, pass_mark=50,
        carrier=carrier, valid_days=valid_days,
    )
    rule = db.session.query(CertificationRule).filter_by(exam_id=exam.id).one()
    passed_at = utcnow() - timedelta(days=days_ago)
    db.session.add(CertificationPass(certification=rule, user_id=user.id, passed_at=passed_at))
    db.session.commit()
    return passed_at


def test_revocation_names_the_certification_once(lines, auth):
    second_exam_passed(lines, "mts", "Тарифы/МТС", valid_days=100, days_ago=3)
    assert admissions.revoke_for_carrier("mts", "Изменился тариф МТС «Тест».") == 2
    db.session.commit()
    reason = admissions.admission_of(lines)["mts"].reason
    assert reason.startswith("Не допущен: аттестация «Линия МТС» отозвана ")
    assert reason.count("Линия МТС") == 1 and ";" not in reason
    notice = db.session.query(TrainingNotice).filter_by(user_id=lines.id).one()
    assert notice.text.startswith("Аттестация «Линия МТС» отозвана: Изменился тариф МТС «Тест».")
    auth.login("op")
    page = auth.client.get("/exams/operators/op").get_data(as_text=True)
    assert page.count("«Линия МТС» отозвана") == 1


def expiring_section(page: str) -> str:
    return page.split("<h2>Скоро истекают</h2>", 1)[1].split("</section>", 1)[0]


def test_expiring_list_agrees_with_the_grid(lines, auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    soon = expiring_section(auth.client.get("/exams/certifications").get_data(as_text=True))
    assert "Линия Билайн" in soon and "Тест Тестов" in soon and "Линия МТС" not in soon
    renewed = second_exam_passed(lines, "beeline", "Тарифы", valid_days=60, days_ago=1)
    page = auth.client.get("/exams/certifications").get_data(as_text=True)
    assert "В ближайшие две недели ничего не истекает." in expiring_section(page)
    ends = format_datetime(renewed + timedelta(days=60), "%d.%m.%Y")  # in Moscow, as the page
    assert re.search(rf'<span class="badge ok" title="[^"]*">допущен до {ends}</span>', page)
    assert 'class="badge warn"' not in page


# --- the exam creation form ------------------------------------------------------------------------


@pytest.fixture()
def boss(lines, auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    return auth


def test_exam_form_says_that_exams_of_one_line_share_the_admission(boss):
    page = boss.client.get("/exams/new").get_data(as_text=True)
    hint = "Все экзамены одной линии дают один и тот же допуск: оператору достаточно сдать любой из них"
    assert f'<small class="hint">{hint}</small>' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pass_mark", "0", "От 1 до 100."),
        ("pass_mark", "101", "От 1 до 100."),
        ("pass_mark", "75.5", "Целое число процентов, без дробной части: от 1 до 100."),
        ("pass_mark", "abc", "Целое число процентов, без дробной части: от 1 до 100."),
        ("pass_mark", "", "Укажите проходной балл."),
        ("time_limit_min", "1.5", "Целое число минут, от 1 до 600."),
        ("time_limit_min", "0", "От 1 до 600 минут."),
        ("attempt_limit", "2,5", "Целое число, от 1 до 100."),
        ("valid_days", "0", "От 1 до 3650 дней."),
        ("valid_days", "30.5", "Целое число дней, от 1 до 3650."),
    ],
)
def test_exam_form_names_what_is_wrong_with_a_number(boss, field, value, message):
    form = exam_form(authoring.banks_by_name("Линия").id, **{field: value})
    page = boss.post("/exams/new", form).get_data(as_text=True)
    assert re.findall(r'<small class="error">([^<]*)</small>', page) == [message]
    assert db.session.query(Exam).count() == 2  # the fixture's two


@pytest.mark.parametrize(
    ("picks", "message"),
    [
        (
            "Тарифы/МТС: 50",
            "Экзамен не создан — в банке не хватает вопросов: в категории «Тарифы/МТС» 4 вопроса, "
            "а экзамен берёт 50. Добавьте вопросы в банк или уменьшите их число в экзамене.",
        ),
        (
            "*: 500",
            "Экзамен не создан — в банке не хватает вопросов: во всём банке 25 вопросов, "
            "а экзамен берёт 500.",
        ),
        (
            "Тарифы/МТС: 4\n*: 30\nРоуминг: 1",
            "в банке не хватает вопросов: во всём банке 25 вопросов, из них 4 уже взяты строками выше, а "
            "экзамен берёт ещё 30; в категории «Роуминг» нет вопросов, а экзамен берёт 1. Добавьте",
        ),
    ],
)
def test_exam_creation_explains_a_short_bank_in_russian(boss, picks, message):
    form = exam_form(authoring.banks_by_name("Линия").id, picks=picks)
    page = boss.post("/exams/new", form, follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert not re.search(r"category|unused|draws|\(all\)", page)
    assert db.session.query(Exam).count() == 2


def test_a_call_on_a_line_without_admission_is_flagged_on_the_call_page_and_for_managers(
        lines, auth, make_user):
    """Before: operators took calls on lines they were not admitted to with no warning anywhere."""
    from tests.web.test_calls import make_done_call

    mts = db.session.query(Carrier).filter_by(code="mts").one()
    newcomer = make_user("newbie", role="operator", full_name="Новый Оператор", carriers=[mts])
    yesterday = utcnow() - timedelta(days=1)
    flagged = make_done_call(newcomer, sha256="1" * 64, carrier=mts, started_at=yesterday)
    fine = make_done_call(lines, sha256="2" * 64, carrier=mts, started_at=yesterday)
    month_ago = utcnow() - timedelta(days=20)  # before the operator's pass 10 days ago
    before_pass = make_done_call(lines, sha256="3" * 64, carrier=mts, started_at=month_ago)
    db.session.commit()
    assert set(admissions.unadmitted_calls([flagged, fine, before_pass])) == {flagged.id, before_pass.id}

    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get(f"/calls/{flagged.id}").get_data(as_text=True)
    assert "Звонок принят на линии МТС без допуска." in page and "Не допущен" in page
    assert "без допуска" not in auth.client.get(f"/calls/{fine.id}").get_data(as_text=True)
    listed = auth.client.get("/exams/").get_data(as_text=True)
    section = listed[listed.index('id="unadmitted"'):]
    section = section[:section.index("</section>")]
    assert f"№{flagged.id}" in section and "Новый Оператор" in section
    assert f"№{fine.id}" not in section and f"№{before_pass.id}" not in section  # older than 7 days

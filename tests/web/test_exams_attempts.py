"""Exam attempts end to end: start, autosave, reload, submit, admission; and every refusal."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import exams
from app.demo import _ensure_reference_data
from app.exams import attempts, authoring, errors
from app.exams.bank import import_gift
from app.extensions import db
from app.formatting import format_datetime
from app.models import CertificationPass, ExamAttempt, User, utcnow

GIFT = Path(__file__).resolve().parents[1] / "fixtures" / "gift" / "demo.gift"


@pytest.fixture()
def setup(app, make_user):
    carriers, _ = _ensure_reference_data()
    import_gift("Линия", GIFT.read_bytes())
    bank = authoring.banks_by_name("Линия")
    exam = authoring.create_exam(
        key="line-mts",
        title="Аттестация: линия МТС",
        bank=bank,
        picks=[["Тарифы/МТС", 4], ["Тарифы/Билайн", 3]],
        time_limit_min=20,
        attempt_limit=3,
        pass_mark=75.0,
        carrier="mts",
        valid_days=180,
    )
    essay = authoring.create_exam(
        key="standards",
        title="Стандарты",
        bank=bank,
        picks=[["Стандарты обслуживания", 9]],
        time_limit_min=None,
        attempt_limit=None,
        pass_mark=50.0,
        carrier="beeline",
    )
    db.session.commit()
    operator = make_user("op", role="operator", carriers=carriers)
    return {"exam": exam, "essay": essay, "operator": operator, "carriers": carriers}


def right_answers(attempt: ExamAttempt) -> dict[str, object]:
    form: dict[str, object] = {}
    for item in attempts.paper_of(attempt).items:
        q, slot = item.question, item.slot
        best = [c for c in q.choices if c.weight == 100]
        if q.type == "multichoice" and q.single:
            form[slot] = best[0].id
        elif q.type == "multichoice":
            form[slot] = [c.id for c in q.choices if c.weight > 0]
        elif q.type == "truefalse":
            form[slot] = best[0].id
        elif q.type == "shortanswer":
            form[slot] = best[0].text
        elif q.type == "numerical":
            answer = next(n for n in q.numeric if n.weight == 100)
            form[slot] = str(answer.value if answer.value is not None else answer.minimum)
        elif q.type == "matching":
            form.update({f"{slot}.{p.id}": p.right for p in q.pairs if p.left})
        elif q.type == "essay":
            form[slot] = "Поблагодарю абонента, подведу итог и предложу следующий шаг."
    return form


def start(auth, exam) -> ExamAttempt:
    response = auth.post(f"/exams/{exam.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)
    attempt_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    return db.session.get(ExamAttempt, attempt_id)


def test_pass_end_to_end_admits_to_the_line(setup, auth, client):
    auth.login("op")
    blocked = auth.post("/exams/operators/op/lines/mts", {"available": "1"}, follow_redirects=True)
    assert "Нельзя поставить на линию МТС. Не допущен: нет аттестации «Линия МТС»" in blocked.get_data(
        as_text=True
    )

    attempt = start(auth, setup["exam"])
    page = auth.client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert "Аттестация: линия МТС" in page and 'hx-post="/exams/attempts/' in page
    answers = right_answers(attempt)
    first = next(iter(answers))
    saved = auth.post(
        f"/exams/attempts/{attempt.id}/save", {first: answers[first]}, headers={"HX-Request": "true"}
    )
    assert saved.status_code == 200 and "Ответы сохранены" in saved.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExamAttempt, attempt.id).responses[first.split(".")[0]] not in (None, [], {})
    reloaded = auth.client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert "Ответы сохранены в" in reloaded

    result = auth.post(f"/exams/attempts/{attempt.id}/submit", answers, follow_redirects=True)
    text = result.get_data(as_text=True)
    assert "сдан" in text and "100%" in text
    assert "Поздравляем! Экзамен сдан — допуск «Линия МТС» обновлён." in text
    db.session.expire_all()
    assert db.session.query(CertificationPass).count() == 1
    ok = auth.post("/exams/operators/op/lines/mts", {"available": "1"}, follow_redirects=True)
    assert "Линия МТС: на линии." in ok.get_data(as_text=True)


def test_second_concurrent_attempt_is_refused(setup, auth):
    auth.login("op")
    start(auth, setup["exam"])
    again = auth.post(f"/exams/{setup['exam'].id}/start", follow_redirects=True)
    assert "Сначала завершите начатую попытку." in again.get_data(as_text=True)
    assert db.session.query(ExamAttempt).count() == 1


def test_open_key_refuses_a_race(setup, monkeypatch):
    """Two requests that both passed the permission check: the unique open key stops the second."""
    user = setup["operator"]
    attempts.start_attempt(user, setup["exam"])
    db.session.commit()
    monkeypatch.setattr(attempts, "permission", lambda *_: exams.Permission(True))
    with pytest.raises(errors.ExamFlowError, match="Сначала завершите"):
        attempts.start_attempt(user, setup["exam"])
    assert db.session.query(ExamAttempt).count() == 1


def test_tampered_answer_ids_are_refused(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["exam"])
    item = next(i for i in attempts.paper_of(attempt).items
                if i.question.type in ("multichoice", "truefalse"))
    bad = auth.post(f"/exams/attempts/{attempt.id}/save", {item.slot: "a99"})
    assert bad.status_code == 409
    assert "содержит варианты, которых в вопросе нет" in bad.get_data(as_text=True)
    stranger = auth.post(f"/exams/attempts/{attempt.id}/save", {"q999": "x"})
    assert stranger.status_code == 409 and "не относится к этой попытке" in stranger.get_data(as_text=True)


def test_answers_after_the_time_limit_are_refused(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["exam"])
    answers = right_answers(attempt)
    attempt.started_at = utcnow() - timedelta(minutes=25)
    db.session.commit()
    page = auth.post(f"/exams/attempts/{attempt.id}/submit", answers, follow_redirects=True).get_data(
        as_text=True
    )
    assert "ответы после окончания времени не принимаются" in page
    db.session.expire_all()
    graded = db.session.get(ExamAttempt, attempt.id)
    assert graded.status == "graded" and graded.passed is False and graded.score_pct == 0


def test_other_people_cannot_open_an_attempt(setup, auth, make_user):
    attempt = attempts.start_attempt(setup["operator"], setup["exam"])
    db.session.commit()
    make_user("op2", role="operator")
    auth.login("op2")
    assert auth.client.get(f"/exams/attempts/{attempt.id}").status_code == 403
    assert auth.post(f"/exams/attempts/{attempt.id}/save", {}).status_code == 403


def test_essay_goes_to_the_grading_queue(setup, auth, make_user):
    make_user("qa1", role="qa_listener")
    auth.login("op")
    attempt = start(auth, setup["essay"])
    page = auth.post(
        f"/exams/attempts/{attempt.id}/submit", right_answers(attempt), follow_redirects=True
    ).get_data(as_text=True)
    assert "ждёт проверки" in page
    auth.logout()
    auth.login("qa1")
    queue = auth.client.get("/exams/grading").get_data(as_text=True)
    assert "Тест Тестов" in queue and "Стандарты" in queue
    db.session.expire_all()
    slot = attempts.result_of(db.session.get(ExamAttempt, attempt.id)).pending_manual[0]
    wrong = auth.post(f"/exams/attempts/{attempt.id}/grade", {slot: "много"}, follow_redirects=True)
    assert "укажите баллы числом" in wrong.get_data(as_text=True)
    done = auth.post(f"/exams/attempts/{attempt.id}/grade", {slot: "1"}, follow_redirects=True)
    assert "Оценка сохранена." in done.get_data(as_text=True)
    db.session.expire_all()
    graded = db.session.get(ExamAttempt, attempt.id)
    assert graded.status == "graded" and graded.passed is True and graded.score_pct == 100
    assert db.session.query(CertificationPass).filter_by(user_id=setup["operator"].id).count() == 1


def test_attempt_limit(setup):
    user = setup["operator"]
    for _ in range(3):
        attempt = attempts.start_attempt(user, setup["exam"])
        attempts.submit_attempt(attempt, {})
        db.session.commit()
    with pytest.raises(errors.ExamFlowError, match="Попытки исчерпаны: использовано 3 из 3"):
        attempts.start_attempt(user, setup["exam"])


def test_manager_builds_an_exam_on_the_page(setup, auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    bank = authoring.banks_by_name("Линия")
    form = {
        "title": "Мини-тест",
        "bank_id": str(bank.id),
        "picks": "Тарифы/МегаФон: 2\n*: 3",
        "time_limit_min": "10",
        "attempt_limit": "",
        "pass_mark": "70",
        "carrier": "megafon",
        "valid_days": "90",
        "shuffle_questions": "y",
    }
    page = auth.post("/exams/new", form, follow_redirects=True).get_data(as_text=True)
    assert "Экзамен «Мини-тест» создан." in page
    too_many = auth.post("/exams/new", {**form, "picks": "Тарифы/МегаФон: 50"}, follow_redirects=True)
    assert "в банке не хватает вопросов" in too_many.get_data(as_text=True).lower()
    bad = auth.post("/exams/new", {**form, "picks": "просто текст"}, follow_redirects=True)
    assert "пишите «Категория: число»" in bad.get_data(as_text=True)
    assert db.session.query(User).filter_by(login="boss").one()


def test_late_autosave_says_the_answers_were_not_saved(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["exam"])
    answers = right_answers(attempt)
    attempt.started_at = utcnow() - timedelta(minutes=21)  # 20 minutes + the 30 s grace are over
    db.session.commit()
    deadline = attempts.deadline_of(attempt)
    late = auth.post(f"/exams/attempts/{attempt.id}/save", answers, headers={"HX-Request": "true"})
    text = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "<html" not in text  # a fragment: app.js swaps it into #save-state
    assert 'role="alert"' in text and "data-closed" in text
    assert "Ответы не сохранены:" in text
    assert f"время на попытку вышло в {format_datetime(deadline, '%H:%M')}." in text
    assert f'href="/exams/attempts/{attempt.id}/result"' in text
    db.session.expire_all()
    closed = db.session.get(ExamAttempt, attempt.id)
    assert closed.status == "graded" and closed.submitted_at == deadline and closed.score_pct == 0


def test_refused_answer_says_so_once(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["exam"])
    item = next(i for i in attempts.paper_of(attempt).items
                if i.question.type in ("multichoice", "truefalse"))
    text = auth.post(f"/exams/attempts/{attempt.id}/save", {item.slot: "a99"}).get_data(as_text=True)
    assert text.count("не сохранены") == 1 and "data-closed" not in text
    stranger = auth.post(f"/exams/attempts/{attempt.id}/save", {"q999": "x"}).get_data(as_text=True)
    assert stranger.count("не сохранены") == 1 and "не относится к этой попытке" in stranger


def test_attempt_page_carries_the_server_deadline(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["exam"])
    before = utcnow()
    page = auth.client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    deadline = attempts.deadline_of(attempt)
    box = re.search(r'<span id="countdown" hidden data-deadline="([^"]+)"\s+data-now="([^"]+)">', page)
    assert box, "the countdown is hidden until exam_timer.js shows it (the page works without JS)"
    in_ms = deadline.replace(microsecond=deadline.microsecond // 1000 * 1000)
    assert datetime.fromisoformat(box.group(1)) == in_ms
    assert before - timedelta(seconds=1) <= datetime.fromisoformat(box.group(2)) <= utcnow()
    assert f"сдать до <strong>{format_datetime(deadline, '%H:%M')}</strong>" in page
    assert "/static/js/exam_timer.js" in page and 'data-request-error="save-state error"' in page


def test_untimed_attempt_has_no_countdown(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["essay"])
    page = auth.client.get(f"/exams/attempts/{attempt.id}").get_data(as_text=True)
    assert 'id="countdown"' not in page and "сдать до" not in page


def verdict_of(page: str) -> tuple[str, str]:
    match = re.search(r'<p class="big ([^"]*)" id="verdict">([^<]+)</p>', page)
    assert match, page
    return match.group(1), match.group(2)


def test_result_verdict_colours(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["essay"])
    pending = auth.post(f"/exams/attempts/{attempt.id}/submit", right_answers(attempt), follow_redirects=True)
    assert verdict_of(pending.get_data(as_text=True)) == ("muted", "ждёт проверки")
    attempt = start(auth, setup["exam"])
    failed = auth.post(f"/exams/attempts/{attempt.id}/submit", {}, follow_redirects=True)
    assert verdict_of(failed.get_data(as_text=True)) == ("score-bad", "не сдан")
    attempt = start(auth, setup["exam"])
    passed = auth.post(f"/exams/attempts/{attempt.id}/submit", right_answers(attempt), follow_redirects=True)
    assert verdict_of(passed.get_data(as_text=True)) == ("score-ok", "сдан")


def test_result_shows_each_answer_feedback_under_its_answer(setup, auth):
    auth.login("op")
    attempt = start(auth, setup["essay"])
    page = auth.post(
        f"/exams/attempts/{attempt.id}/submit", right_answers(attempt), follow_redirects=True
    ).get_data(as_text=True)
    for option in ("Спрашивает разрешения и называет примерное время ожидания",
                   "Возвращается на линию не реже чем раз в 40 секунд"):
        assert re.search(re.escape(option) + r'</label>\s*<p class="feedback option-feedback">Да\.</p>', page)
    assert page.count(">Да.</p>") == 2  # no second copy under the question
    assert "Слишком долго." not in page  # feedback of an answer that was not chosen


def test_grading_keeps_the_typed_score_and_names_the_question(setup, auth, make_user):
    make_user("qa1", role="qa_listener")
    auth.login("op")
    attempt = start(auth, setup["essay"])
    auth.post(f"/exams/attempts/{attempt.id}/submit", right_answers(attempt))
    auth.logout()
    auth.login("qa1")
    db.session.expire_all()
    slot = attempts.result_of(db.session.get(ExamAttempt, attempt.id)).pending_manual[0]
    number = slot[1:]
    queue = auth.client.get("/exams/grading").get_data(as_text=True)
    assert format_datetime(db.session.get(ExamAttempt, attempt.id).submitted_at) in queue  # Moscow time
    form = auth.client.get(f"/exams/attempts/{attempt.id}/grade").get_data(as_text=True)
    assert f"<h3>Вопрос {number}. " in form
    page = auth.post(f"/exams/attempts/{attempt.id}/grade", {slot: "7"}).get_data(as_text=True)
    assert f'name="{slot}" value="7"' in page and 'aria-invalid="true"' in page
    error = f'<span class="error" id="{slot}-error">Вопрос {number}: баллы должны быть от 0 до 1.</span>'
    assert error in page and "Оценка не сохранена — исправьте отмеченное поле." in page
    db.session.expire_all()
    assert db.session.get(ExamAttempt, attempt.id).status == "pending"


def test_an_exam_without_a_line_says_nothing_of_admission(setup, auth):
    plain = authoring.create_exam(key="practice", title="Тренировка", bank=setup["exam"].bank,
                            picks=[["Тарифы/МТС", 2]], time_limit_min=None, attempt_limit=None,
                            pass_mark=50.0)
    db.session.commit()
    auth.login("op")
    attempt = start(auth, plain)
    text = auth.post(f"/exams/attempts/{attempt.id}/submit", right_answers(attempt),
                     follow_redirects=True).get_data(as_text=True)
    assert "Поздравляем! Экзамен сдан." in text and "допуск" not in text.split("Поздравляем")[1][:80]
    assert "100%" in text


def test_grading_an_attempt_that_waits_for_nothing_says_so(setup, auth, make_user):
    make_user("qa1", role="qa_listener")
    auth.login("op")
    attempt = start(auth, setup["essay"])  # open: nothing to grade yet
    auth.logout()
    auth.login("qa1")
    response = auth.post(f"/exams/attempts/{attempt.id}/grade", {"q1": "1"})
    assert response.status_code == 200
    assert "Эта попытка не ждёт ручной проверки." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ExamAttempt, attempt.id).status == "open"

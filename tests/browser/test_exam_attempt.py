"""An exam attempt in the real browser: the countdown, the answers sent when time runs out, and
autosaves that fail (time over, no connection) saying so instead of looking saved.

Time is moved by shifting the attempt's ``started_at`` in the database, never by waiting minutes.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

import exams
from app.exams import attempts, authoring
from app.extensions import db
from app.models import ExamAttempt, User, utcnow
from tests.browser.conftest import screenshot
from tests.browser.test_smoke import log_in

pytestmark = pytest.mark.browser

# Only the browser's own line for the refused autosave may reach the console; htmx must not
# report an unhandled "Response Status Error Code".
REFUSED_SAVE = "the server responded with a status of 409"


def open_attempt(base: str, page, started_ago: timedelta) -> ExamAttempt:
    """A one-minute exam for the demo operator (logged in), started ``started_ago``."""
    log_in(page, base, "operator")
    exam = authoring.create_exam(
        key="browser-minute",
        title="Минутный тест",
        bank=authoring.banks_by_name("Аттестация операторов"),
        picks=[["Стандарты обслуживания", 3]],
        time_limit_min=1,
        attempt_limit=None,
        pass_mark=50.0,
    )
    operator = db.session.scalar(select(User).where(User.login == "operator"))
    attempt = attempts.start_attempt(operator, exam, now=utcnow() - started_ago)
    db.session.commit()
    return attempt


def change_an_answer(page):
    page.locator("#paper .options input:not(:checked)").first.check()


def test_countdown_warns_and_sends_the_answers_when_time_runs_out(live_server, page):
    # Twenty seconds left: enough for a loaded CI machine to open the page and change an answer
    # before the time runs out (with six, a slow page load met the automatic sending first).
    attempt = open_attempt(live_server, page, started_ago=timedelta(seconds=40))
    page.goto(f"{live_server}/exams/attempts/{attempt.id}")
    countdown = page.locator("#countdown")
    assert countdown.is_visible()
    assert countdown.inner_text().replace("\xa0", " ").startswith("Осталось 00:")
    assert "warn" in countdown.locator(".badge").get_attribute("class")
    assert "Меньше минуты" in countdown.inner_text()
    change_an_answer(page)
    page.wait_for_selector("#save-state :text('Ответы сохранены в')")
    screenshot(page, "exam-countdown")

    page.wait_for_url(f"{live_server}/exams/attempts/{attempt.id}/result", timeout=45_000)
    assert page.locator("#verdict").is_visible()
    db.session.expire_all()
    done = db.session.get(ExamAttempt, attempt.id)
    deadline = attempts.deadline_of(done)
    assert done.status != "open" and done.responses
    assert done.submitted_at <= deadline + timedelta(seconds=exams.GRACE_SECONDS)
    assert page.console_errors == [], page.console_errors


def test_failed_autosaves_say_the_answers_were_not_saved(live_server, page):
    attempt = open_attempt(live_server, page, started_ago=timedelta(seconds=5))
    page.goto(f"{live_server}/exams/attempts/{attempt.id}")
    state = page.locator("#save-state")

    # No connection: htmx gets no answer at all.
    page.route("**/save", lambda route: route.abort())
    change_an_answer(page)
    page.wait_for_selector("#save-state [role=alert]")
    assert "Нет связи с сервером — ответы не сохранены." in state.inner_text()
    screenshot(page, "exam-autosave-offline")

    # An error page instead of a fragment (here: the CSRF refusal) is not swapped in; its words are.
    error_page = ("<!doctype html><html><body><section class=error-page><h1>Некорректный запрос</h1>"
                  "<p>Форма устарела или пришла без защитного токена. Обновите страницу.</p></section>")
    page.unroute("**/save")
    page.route("**/save", lambda route: route.fulfill(status=400, content_type="text/html", body=error_page))
    change_an_answer(page)
    page.wait_for_function("() => document.querySelector('#save-state').innerText.includes('Форма устарела')")
    assert state.inner_text().startswith("Ответы не сохранены. Некорректный запрос: Форма устарела")
    page.unroute("**/save")

    # A request with no place of its own for errors: the message is an error flash on top.
    page.evaluate("() => htmx.ajax('GET', '/exams/no-such-page', {target: '#main', swap: 'none'})")
    page.wait_for_selector("#request-error.flash-error")
    assert page.inner_text("#request-error").startswith("Данные не обновлены. Страница не найдена")
    assert page.locator("#paper").count() == 1  # the error page was not swapped into the page
    page.console_errors.clear()  # htmx and Chromium report the lost request there, rightly

    # The time limit and its grace are over: the server refuses with 409 and a fragment.
    row = db.session.get(ExamAttempt, attempt.id)
    row.started_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    change_an_answer(page)
    page.wait_for_selector("#save-state [data-closed]")
    text = state.inner_text()
    assert text.startswith("Ответы не сохранены: время на попытку вышло в")
    assert "посмотреть результат" in text
    page.wait_for_selector("#countdown .badge.off")  # the countdown stopped: nothing left to send
    screenshot(page, "exam-autosave-too-late")
    assert [e for e in page.console_errors if REFUSED_SAVE not in e] == [], page.console_errors
    page.click("text=посмотреть результат")
    page.wait_for_url(f"{live_server}/exams/attempts/{attempt.id}/result")
    assert page.locator("#verdict").inner_text() == "не сдан"

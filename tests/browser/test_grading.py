"""A QA listener grades in whatever order they click and type, and finds exactly that after a reload."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Call, CallEvaluation, QaReview, QaVerdict
from tests.browser.conftest import screenshot
from tests.browser.test_smoke import log_in

pytestmark = pytest.mark.browser


def a_call_to_grade() -> int:
    """A scored call with its recording that no listener has touched (the demo's listener has
    drafts on some; which calls still have audio depends on the hour the demo was seeded)."""
    touched = select(QaVerdict.id).where(QaVerdict.call_id == Call.id).exists()
    reviewed = select(QaReview.id).where(QaReview.call_id == Call.id).exists()
    call_id = db.session.scalar(select(Call.id).join(CallEvaluation, CallEvaluation.call_id == Call.id)
                                .where(Call.status == "done", Call.audio_removed_at.is_(None),
                                       Call.source != "chat", ~touched, ~reviewed)
                                .order_by(Call.id))
    db.session.remove()
    assert call_id, "the demo has scored calls"
    return call_id


def settle(page, form):
    """Wait until the row has no save in flight (the server has answered the last one)."""
    page.wait_for_function("f => !f.classList.contains('htmx-request')", arg=form.element_handle())
    page.wait_for_timeout(150)  # a save queued behind the one that just finished starts now
    page.wait_for_function("f => !f.classList.contains('htmx-request')", arg=form.element_handle())


def stored(call_id: int, key: str) -> tuple[str, str] | None:
    db.session.remove()
    row = db.session.scalar(select(QaVerdict).where(QaVerdict.call_id == call_id, QaVerdict.key == key,
                                                    QaVerdict.session_id.is_(None)))
    return (row.verdict, row.comment) if row else None


def test_grading_keeps_exactly_what_the_listener_did_in_any_order(live_server, page):
    """One page, three criteria, three orders of clicking and typing (the demo is seeded once).

    Before: typing a comment at human speed, pausing, then clicking «нарушено» saved only the
    comment with the old verdict (the click's save was dropped while the comment's was in
    flight), and the row still said «сохранено»."""
    call_id = a_call_to_grade()
    log_in(page, live_server, "qa")
    page.goto(f"{live_server}/qa/calls/{call_id}")

    # 1. comment first, a pause, then the verdict
    empathy = page.locator("#crit-empathy")
    empathy.locator("input[name=comment]").click()
    empathy.locator("input[name=comment]").press_sequentially("Не выслушала абонента", delay=60)
    page.wait_for_timeout(1000)
    empathy.locator("label.choice-violated").click()
    settle(page, empathy)
    assert empathy.locator(".saved-note").is_visible()
    assert stored(call_id, "empathy") == ("violated", "Не выслушала абонента")

    # 2. a verdict, changed at once, then a comment: the last of each counts
    closing = page.locator("#crit-closing")
    closing.locator("label.choice-violated").click()
    closing.locator("label.choice-met").click()
    closing.locator("input[name=comment]").fill("Попрощалась, но скомкано")
    closing.locator("input[name=comment]").press("Tab")
    settle(page, closing)
    assert stored(call_id, "closing") == ("met", "Попрощалась, но скомкано")

    # 3. a save the server refuses says so, and what was typed stays on the page
    greeting = page.locator("#crit-greeting")
    page.evaluate("() => { const i = document.querySelector('#crit-greeting input[name=verdict]');"
                  " i.value = 'maybe'; i.checked = true; }")
    greeting.locator("input[name=comment]").fill("Поздоровалась, назвала компанию")
    greeting.locator("input[name=comment]").press("Tab")
    settle(page, greeting)
    assert greeting.locator(".crit-state .error").is_visible()
    assert not greeting.locator(".saved-note").is_visible()
    assert greeting.locator("input[name=comment]").input_value() == "Поздоровалась, назвала компанию"
    assert stored(call_id, "greeting") is None

    page.reload()
    empathy, closing = page.locator("#crit-empathy"), page.locator("#crit-closing")
    assert empathy.locator("input[value=violated]").is_checked()
    assert empathy.locator("input[name=comment]").input_value() == "Не выслушала абонента"
    assert closing.locator("input[value=met]").is_checked()
    assert closing.locator("input[name=comment]").input_value() == "Попрощалась, но скомкано"
    screenshot(page, "qa-grading-any-order")
    unexpected = [e for e in page.console_errors if "status of 400" not in e]  # step 3's refusal
    assert unexpected == [], page.console_errors

    # the grade is a draft until finished: the call stays in the queue as «Продолжить»
    page.goto(f"{live_server}/qa/")
    row = page.locator("#results tr", has=page.locator(f"td:text-is('{call_id}')"))
    assert row.get_by_role("link", name="Продолжить").is_visible()
    waiting = int(page.locator(".queue-total strong").inner_text().replace("\u00a0", ""))
    row.get_by_role("link", name="Продолжить").click()
    page.get_by_role("button", name="Завершить оценку").click()
    page.wait_for_url(f"{live_server}/qa/")
    assert page.get_by_text(f"Оценка звонка №{call_id} завершена").is_visible()
    assert page.locator("#results tr", has=page.locator(f"td:text-is('{call_id}')")).count() == 0
    assert int(page.locator(".queue-total strong").inner_text().replace("\u00a0", "")) == waiting - 1
    assert stored(call_id, "greeting") is not None  # left as the automatic verdict, now confirmed
    page.goto(f"{live_server}/")
    assert page.locator(".card", has_text="Ждут оценки").locator(".big").inner_text().replace(
        "\u00a0", "") == str(waiting - 1)


def test_the_queue_filters_fit_the_page(live_server, page):
    """Before: the seven filters ran off the right edge at 1280 px."""
    log_in(page, live_server, "qa")
    page.goto(f"{live_server}/qa/")
    right = page.locator("form.filters > *").evaluate_all(
        "els => Math.max(...els.map(e => e.getBoundingClientRect().right))")
    assert right <= page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280

"""Listening questions fit the call they are about (issue 13, item 9).

Before: every assignment asked the same generic questions, whatever the call had done.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CallEvaluation, ListeningAssignment
from tests.browser.conftest import screenshot
from tests.browser.test_smoke import log_in
from training.listening import MET_QUESTIONS, MISSED_QUESTIONS

pytestmark = pytest.mark.browser


def test_a_listener_is_asked_about_the_standards_the_call_missed(live_server, page):
    log_in(page, live_server, "qa")
    page.goto(f"{live_server}/listening/")
    page.locator("a[href*='/listening/']", has_text=re.compile("Звонок")).first.click()
    page.wait_for_url(re.compile(r"/listening/\d+$"))
    assignment_id = int(page.url.rsplit("/", 1)[1])
    shown = [q.strip() for q in page.locator(".questions-list li").all_inner_texts()]
    db.session.remove()
    row = db.session.get(ListeningAssignment, assignment_id)
    verdicts = db.session.scalar(select(CallEvaluation.verdicts).where(CallEvaluation.call_id == row.call_id)
                                 .order_by(CallEvaluation.id.desc()).limit(1))
    own = {(MISSED_QUESTIONS if v["verdict"] is False else MET_QUESTIONS)[k]
           for k, v in verdicts.items() if k in MET_QUESTIONS and v["verdict"] is not None}
    db.session.remove()
    assert shown and any(any(q.startswith(text) for text in own) for q in shown), (shown, own)
    screenshot(page, "qa-listening-questions")
    assert page.console_errors == []

"""Daily listening: reproducible, idempotent assignments; completion; overdue for managers."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.extensions import db
from app.listening import operations as ops
from app.models import Call, CallEvaluation, ListeningAssignment
from app.qa.operations import active_scorecard


@pytest.fixture()
def calls(app, make_user):
    authors = [make_user(f"author{i}", role="operator") for i in range(4)]
    day = date(2026, 3, 10)
    for n in range(30):
        db.session.add(
            Call(
                sha256=f"{n:064d}",
                original_name=f"{n}.wav",
                stored_path=f"x/{n}",
                size_bytes=1,
                operator_id=authors[n % 4].id,
                status="done",
                created_at=datetime(2026, 3, 9, 10, tzinfo=UTC) - timedelta(hours=n),
            )
        )
    db.session.flush()
    card = active_scorecard()
    for call in db.session.query(Call).all():
        db.session.add(CallEvaluation(call_id=call.id, scorecard_id=card.id, verdicts={},
                                      auto_score=60 + int(call.original_name.split(".")[0])))
    db.session.commit()
    return day


def picks(user, day):
    return [(a.call_id, a.reason) for a in ops.assign_for(user, day)]


def test_listener_assignments_are_reproducible_and_idempotent(calls, make_user):
    qa = make_user("qa1", role="qa_listener")
    first = picks(qa, calls)
    db.session.commit()
    assert len(first) == ops.DEFAULT_PER_LISTENER
    assert picks(qa, calls) == first
    db.session.query(ListeningAssignment).delete()
    db.session.commit()
    assert picks(qa, calls) == first  # the seed is the date and the login
    assert picks(qa, calls + timedelta(days=1)) != first


def test_operator_gets_exemplary_calls_with_questions(calls, make_user):
    op = make_user("learner", role="operator")
    rows = ops.assign_for(op, calls)
    assert 1 <= len(rows) <= 2
    assert all(r.kind == "exemplary" and 2 <= len(r.questions) <= 3 for r in rows)


def test_complete_and_overdue(calls, make_user, auth):
    op = make_user("learner", role="operator")
    make_user("boss", role="manager")
    rows = ops.assign_for(op, calls)
    db.session.commit()
    auth.login("learner")
    empty = auth.post(f"/listening/{rows[0].id}", {"answer": ["", ""]}, follow_redirects=True)
    assert "Ответьте на все вопросы" in empty.get_data(as_text=True)
    answers = {"answer": ["Да"] * len(rows[0].questions)}
    assert "Задание выполнено" in auth.post(
        f"/listening/{rows[0].id}", answers, follow_redirects=True
    ).get_data(as_text=True)
    auth.logout()
    auth.login("boss")
    page = auth.client.get("/listening/").get_data(as_text=True)
    assert "Просроченные задания" in page
    overdue = ops.overdue(calls + timedelta(days=1))
    assert [a.id for a in overdue] == [r.id for r in rows[1:]]


def test_cli_assign(calls, make_user, runner, monkeypatch):
    from app import cli

    make_user("qa1", role="qa_listener")
    monkeypatch.setattr(cli, "make_app", lambda: runner.app)
    result = runner.invoke(cli.main, ["listening", "assign", "--date", calls.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    assert '"qa1": 5' in result.output

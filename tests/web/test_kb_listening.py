"""Daily listening: reproducible, idempotent assignments; completion; overdue for managers."""

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.calls.operations import CallMeta, ingest_recording
from app.extensions import db
from app.listening import operations as ops
from app.models import Call, CallEvaluation, ListeningAssignment, utcnow
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
    result = runner.invoke(cli.main, ["listening", "assign", "--date", calls.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    assert '"qa1": 5' in result.output


# --- listening to an assignment: player, transcript, links, audio access, manager overview ---

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
RECORDING = FIXTURES / "stereo_pcm16.wav"


def _segments() -> list[dict]:
    """The fixture recording's script as transcript segments with words."""
    timeline = json.loads((FIXTURES / "fixtures.json").read_text(encoding="utf-8"))["timeline"]
    segments = []
    for turn in timeline:
        words = turn["text"].split()
        step = (turn["end"] - turn["start"]) / len(words)
        segments.append({**turn, "words": [
            {"w": w, "start": round(turn["start"] + i * step, 2),
             "end": round(turn["start"] + (i + 1) * step, 2), "p": 0.9} for i, w in enumerate(words)]})
    return segments


@pytest.fixture()
def recorded_call(app, make_user) -> Call:
    """A finished call of operator ``author`` with the real stereo fixture stored as its audio."""
    make_user("author", role="operator", full_name="Анна Смирнова")
    with RECORDING.open("rb") as stream:
        call = ingest_recording(stream, "stereo_pcm16.wav", CallMeta(operator="author"),
                                source="cli", uploaded_by=None).call
    call.status, call.segments = "done", _segments()
    db.session.commit()
    return call


def _assign(user, call: Call, kind: str, day: date | None = None, done: bool = False):
    row = ListeningAssignment(user_id=user.id, day=day or date.today(), call_id=call.id, kind=kind,
                              reason="exemplary" if kind == "exemplary" else "random", seed="t",
                              questions=["Как оператор поздоровался?", "Что предложил?"],
                              answers=["а", "б"] if done else None,
                              completed_at=utcnow() if done else None)
    db.session.add(row)
    db.session.commit()
    return row


def test_operator_listens_to_a_colleagues_call(recorded_call, make_user, auth):
    learner = make_user("learner", role="operator")
    task = _assign(learner, recorded_call, "exemplary")
    auth.login("learner")
    assert auth.client.get(f"/calls/{recorded_call.id}").status_code == 403  # not their call
    page = auth.client.get(f"/listening/{task.id}").get_data(as_text=True)
    assert f'<audio id="player" controls preload="metadata" src="/listening/{task.id}/audio">' in page
    assert "js/player.js" in page and 'class="transcript' in page
    assert "Хочу" in page and "интернет." in page and "Абонент" in page and "Оператор" in page
    assert "Анна Смирнова" in page
    assert "Открыть карточку звонка" not in page and "/qa/calls/" not in page
    whole = auth.client.get(f"/listening/{task.id}/audio")
    assert whole.status_code == 200 and whole.mimetype.startswith("audio/")
    assert whole.data == RECORDING.read_bytes()
    whole.close()
    part = auth.client.get(f"/listening/{task.id}/audio", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.data == RECORDING.read_bytes()[:100]
    part.close()


@pytest.mark.parametrize(("login", "role", "status"), [
    ("other", "operator", 403),
    ("qa2", "qa_listener", 403),  # may open the call page, but this is not their assignment
    ("boss", "manager", 200),
    ("root", "admin", 200),
])
def test_only_the_assignee_and_managers_open_an_assignment(recorded_call, make_user, auth,
                                                           login, role, status):
    task = _assign(make_user("learner", role="operator"), recorded_call, "exemplary")
    make_user(login, role=role)
    auth.login(login)
    page = auth.client.get(f"/listening/{task.id}")
    assert page.status_code == status
    audio = auth.client.get(f"/listening/{task.id}/audio")
    assert audio.status_code == status
    audio.close()
    if status == 200:
        body = page.get_data(as_text=True)
        assert "Открыть карточку звонка" in body and "Отправить ответы" not in body
        assert "disabled" in body  # a manager reads the answers, does not write them


def test_qa_listener_gets_the_call_card_and_the_scorecard(recorded_call, make_user, auth):
    task = _assign(make_user("qa1", role="qa_listener"), recorded_call, "review")
    auth.login("qa1")
    page = auth.client.get(f"/listening/{task.id}").get_data(as_text=True)
    assert f'href="/calls/{recorded_call.id}">Открыть карточку звонка' in page
    assert f'href="/qa/calls/{recorded_call.id}">Оценить по чек-листу' in page
    assert "оцените звонок по чек-листу" in page and "Отправить ответы" in page
    assert auth.client.get(f"/qa/calls/{recorded_call.id}").status_code == 200
    assert auth.client.get(f"/calls/{recorded_call.id}").status_code == 200


def test_missing_recording_is_a_clear_404(calls, make_user, auth):
    learner = make_user("learner", role="operator")
    task = _assign(learner, db.session.scalars(select(Call)).first(), "exemplary")  # no file stored
    auth.login("learner")
    audio = auth.client.get(f"/listening/{task.id}/audio")
    assert audio.status_code == 404 and "Запись не найдена" in audio.get_data(as_text=True)
    page = auth.client.get(f"/listening/{task.id}").get_data(as_text=True)
    assert "Файла записи нет в хранилище" in page and "<audio" not in page
    assert "Расшифровки этого звонка пока нет" in page


def test_refused_answers_are_kept_in_the_form(recorded_call, make_user, auth):
    task = _assign(make_user("learner", role="operator"), recorded_call, "exemplary")
    auth.login("learner")
    page = auth.post(f"/listening/{task.id}", {"answer": ["Спокойно и по имени", ""]}).get_data(as_text=True)
    assert "Ответьте на все вопросы" in page and ">Спокойно и по имени</textarea>" in page


def test_manager_sees_todays_progress_per_person(recorded_call, make_user, auth):
    today = date.today()
    anna, boris = make_user("anna", full_name="Анна Белова"), make_user("boris", full_name="Борис Волков")
    make_user("carl", full_name="Карл Гусев")  # has not opened listening today
    qa = make_user("qa1", role="qa_listener", full_name="Вера Дёмина")
    make_user("gone", full_name="Уволен").active = False
    other = Call(sha256="e" * 64, original_name="e.wav", stored_path="e", size_bytes=1,
                 operator_id=recorded_call.operator_id, status="done")
    db.session.add(other)
    db.session.commit()
    _assign(anna, recorded_call, "exemplary", done=True)
    _assign(anna, other, "exemplary")
    _assign(boris, recorded_call, "exemplary", done=True)
    _assign(qa, recorded_call, "review")
    _assign(qa, other, "review", done=True)
    _assign(boris, other, "exemplary", day=today - timedelta(days=1))  # overdue, not today's

    overview = ops.day_overview(today)
    rows = {p.login: (p.assigned, p.completed, p.finished) for p in overview.people}
    assert rows == {"qa1": (2, 1, False), "anna": (2, 1, False), "boris": (1, 1, True),
                    "carl": (0, 0, False), "author": (0, 0, False)}
    assert overview.people[0].login == "qa1"  # QA listeners first
    assert (overview.assigned, overview.completed, overview.finished, overview.not_started) == (5, 3, 1, 2)

    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get("/listening/").get_data(as_text=True)
    assert "Сегодня" in page and "Просроченные задания" in page and "Уволен" not in page
    row = re.search(r"<tr><td>Борис Волков.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="num">(\d+)<', row) == ["1", "1"] and "всё выполнено" in row
    row = re.search(r"<tr><td>Анна Белова.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="num">(\d+)<', row) == ["2", "1"] and "в работе" in row
    assert "нет заданий" in re.search(r"<tr><td>Карл Гусев.*?</tr>", page, re.S).group(0)
    overdue = page.split('id="overdue"')[1]
    assert "Борис Волков" in overdue and "Анна Белова" not in overdue


def test_listening_questions_come_from_the_calls_own_verdicts(app, make_user):
    """A real evaluation's verdicts reach the questions: the call missed the greeting."""
    from training.listening import MET_QUESTIONS, MISSED_QUESTIONS

    author = make_user("author", role="operator")
    call = Call(sha256="e" * 64, original_name="e.wav", stored_path="e/e", size_bytes=1,
                operator_id=author.id, status="done", created_at=datetime(2026, 3, 9, 10, tzinfo=UTC))
    db.session.add(call)
    db.session.flush()
    verdicts = {"greeting": {"verdict": False}, "empathy": {"verdict": None},
                "resolution": {"verdict": True}}
    db.session.add(CallEvaluation(call_id=call.id, scorecard_id=active_scorecard().id, verdicts=verdicts,
                                  auto_score=40))
    db.session.commit()
    qa = make_user("qa1", role="qa_listener")
    rows = ops.assign_for(qa, date(2026, 3, 10))
    assert [r.call_id for r in rows] == [call.id]
    assert MISSED_QUESTIONS["greeting"] in rows[0].questions
    assert MET_QUESTIONS["resolution"] not in rows[0].questions
    assert not any("сочувств" in q.lower() and "не прозвучало" in q for q in rows[0].questions)

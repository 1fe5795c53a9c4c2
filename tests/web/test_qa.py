"""Scoring in the app: automatic evaluation, listeners' verdicts, disputes, ratings, calibration."""

from __future__ import annotations

import json
import re
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from app import users
from app.extensions import db
from app.formatting import format_decimal, format_number
from app.jobs.operations import enqueue, execute_job
from app.models import AuditEntry, Call, CallEvaluation, Dispute, QaVerdict, Scorecard
from app.qa import operations, survey
from tests.web.test_calls import make_done_call

GOOD_CALL = [
    ("operator", 0.5, 4.0, "Здравствуйте, компания мтСЕТЬ, меня зовут Анна, чем могу помочь?"),
    ("subscriber", 4.5, 7.0, "Хочу подключить пакет интернета."),
    ("operator", 7.5, 9.0, "Назовите, пожалуйста, номер телефона."),
    ("subscriber", 9.5, 11.0, "Девятьсот пятнадцать триста сорок."),
    ("operator", 11.5, 14.0, "Я подключила пакет, он будет действовать до понедельника."),
    ("operator", 14.5, 17.0, "Спасибо за обращение, хорошего дня, до свидания!"),
]
RUDE_CALL = [
    ("operator", 0.5, 1.0, "Да."),
    ("subscriber", 1.5, 4.0, "Здравствуйте, у меня не проходят звонки за границу."),
    ("operator", 4.5, 6.0, "Перезвоните позже, система не работает."),
]


def segments(turns):
    out = []
    for speaker, start, end, text in turns:
        words = text.split()
        step = (end - start) / len(words)
        out.append({"speaker": speaker, "start": start, "end": end, "text": text,
                    "words": [{"w": w, "start": round(start + i * step, 2),
                               "end": round(start + (i + 1) * step, 2), "p": 0.9}
                              for i, w in enumerate(words)]})
    return out


def scored_call(operator, turns=GOOD_CALL, sha="a") -> Call:
    call = make_done_call(operator, sha256=sha * 64)
    call.segments_original = call.segments = segments(turns)
    call.duration = turns[-1][2] + 0.5
    call.metrics = {"holds": [], "overtalk": [], "speakers": {}, "silence_share": 0.1}
    db.session.commit()
    job = enqueue("calls.score", call_id=call.id)
    execute_job(job.id)
    db.session.expire_all()
    return db.session.get(Call, call.id)


def test_processed_call_is_scored_with_evidence(app, make_user):
    call = scored_call(make_user("anna", full_name="Анна Смирнова"))
    result = operations.score_call(call)
    assert result.evaluation.scorecard.version == 1
    verdicts = {k: v["verdict"] for k, v in result.evaluation.verdicts.items()}
    assert verdicts["greeting"] is True and verdicts["forbidden_words"] is True
    assert all(v["evidence"] for v in result.evaluation.verdicts.values())
    assert result.score.value is not None and result.score.value > 80


def test_rude_call_gets_violations_and_a_capped_score(app, make_user):
    call = scored_call(make_user("igor"), RUDE_CALL)
    result = operations.score_call(call)
    verdicts = {k: v["verdict"] for k, v in result.evaluation.verdicts.items()}
    assert verdicts["greeting"] is False and verdicts["forbidden_words"] is False
    assert result.score.value <= result.card.critical_cap


def test_call_json_has_standards_and_score(app, client, make_user):
    call = scored_call(make_user("anna"))
    boss = make_user("boss", role="manager")
    _, key = users.issue_api_key(boss, "t", actor=None)
    db.session.commit()
    data = client.get(f"/api/v1/calls/{call.id}", headers={"Authorization": f"Bearer {key}"}).json
    assert set(data["standards"]) == {"greeting", "identification", "empathy", "no_interruption",
                                      "resolution", "forbidden_words", "closing", "hold_etiquette"}
    assert data["standards"]["greeting"]["evidence"][0]["speaker"] == "operator"
    assert data["score"] == round(operations.score_call(call).score.value, 1)


def test_listener_overrides_a_verdict_and_both_are_kept(app, auth, make_user):
    call = scored_call(make_user("anna"))
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    before = operations.score_call(call).score.value
    response = auth.post(f"/qa/calls/{call.id}/verdict/closing",
                         {"verdict": "violated", "comment": "Не попрощалась", "at_seconds": "15.0",
                          "revision": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "сохранено" in response.get_data(as_text=True)
    db.session.expire_all()
    assert operations.score_call(call).score.value == before  # a draft counts nowhere yet
    finished = auth.post(f"/qa/calls/{call.id}/finish")
    assert finished.status_code == 302 and finished.headers["Location"].endswith("/qa/")
    db.session.expire_all()
    result = operations.score_call(call)
    assert result.evaluation.verdicts["closing"]["verdict"] is True  # the automatic one is kept
    assert result.human["closing"].verdict == "violated"
    assert result.score.value < before
    page = auth.client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Не попрощалась" in page and "слушатель ОКК" in page


def test_two_listeners_conflict_is_detected(app, auth, make_user, client):
    call = scored_call(make_user("anna"))
    first = make_user("qa1", role="qa_listener")
    operations.save_verdict(call, "empathy", "met", grader=first, revision_seen=0)
    operations.finish_review(call, grader=first)  # finished: edits by anyone count at once
    db.session.commit()
    make_user("qa2", role="qa_listener")
    auth.login("qa2")
    stale = auth.post(f"/qa/calls/{call.id}/verdict/empathy",
                      {"verdict": "violated", "comment": "сухо", "revision": "0"})
    body = stale.get_data(as_text=True)
    assert stale.status_code == 409 and "Пока вы оценивали" in body and "сухо" in body
    db.session.expire_all()
    assert operations.score_call(call).human["empathy"].verdict == "met"  # nothing lost silently
    again = auth.post(f"/qa/calls/{call.id}/verdict/empathy",
                      {"verdict": "violated", "comment": "сухо", "revision": "1"})
    assert again.status_code == 200


@pytest.mark.parametrize("key,verdict", [("nonsense", "met"), ("greeting", "maybe")])
def test_bad_grading_input_is_refused(app, auth, make_user, key, verdict):
    call = scored_call(make_user("anna"))
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    response = auth.post(f"/qa/calls/{call.id}/verdict/{key}", {"verdict": verdict})
    assert response.status_code == 400
    said = "нет критерия «nonsense»" if key == "nonsense" else "Оценка — «выполнено»"
    assert said in response.get_data(as_text=True)  # shown in the row, not flashed
    assert db.session.query(QaVerdict).count() == 0


def test_dispute_accepted_changes_the_score_through_a_recorded_verdict(app, auth, make_user):
    anna = make_user("anna")
    call = scored_call(anna, RUDE_CALL)
    auth.login("anna")
    auth.post(f"/qa/calls/{call.id}/dispute", {"key": "greeting", "comment": "Я поздоровалась"})
    dispute = db.session.scalar(select(Dispute))
    assert dispute.status == "open" and dispute.operator_id == anna.id
    auth.logout()
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    before = operations.score_call(call).score.value
    auth.post(f"/qa/disputes/{dispute.id}", {"decision": "accept", "reason": "Приветствие было"})
    db.session.expire_all()
    assert db.session.get(Dispute, dispute.id).status == "accepted"
    result = operations.score_call(call)
    assert result.human["greeting"].verdict == "met" and result.score.value >= before
    actions = {a for (a,) in db.session.execute(select(AuditEntry.action))}
    assert {"dispute.open", "dispute.accepted", "qa.verdict"} <= actions


def test_dispute_rules(app, make_user):
    anna, oleg = make_user("anna"), make_user("oleg")
    call = scored_call(anna, RUDE_CALL)
    with pytest.raises(operations.QaError, match="собственного"):
        operations.open_dispute(call, "greeting", "не так", operator=oleg)
    evaluation = db.session.scalar(select(CallEvaluation))
    evaluation.created_at = evaluation.created_at - timedelta(days=4)
    db.session.commit()
    with pytest.raises(operations.QaError, match="Срок оспаривания истёк"):
        operations.open_dispute(call, "greeting", "не так", operator=anna)


def test_ratings_api(app, client, make_user):
    call = scored_call(make_user("anna"))
    boss = make_user("boss", role="manager")
    _, key = users.issue_api_key(boss, "t", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    before = operations.score_call(call).score
    ok = client.post("/api/v1/ratings", json={"call_id": call.id, "stars": 1, "comment": "долго"},
                     headers=headers)
    assert ok.status_code == 201 and ok.json["stars"] == 1
    assert client.post("/api/v1/ratings", json={"call_id": call.id, "stars": 5},
                       headers=headers).status_code == 409
    missing = client.post("/api/v1/ratings", json={"call_id": 9999, "stars": 5}, headers=headers)
    assert missing.status_code == 404 and missing.json["error"]["message"] == "Звонка №9999 нет."
    for stars in (0, 6, "пять", None):
        bad = client.post("/api/v1/ratings", json={"ticket": "T-1", "stars": stars}, headers=headers)
        assert bad.status_code == 400, stars
    db.session.expire_all()
    after = operations.score_call(call).score
    assert after.components["csat"] == 0 and after.value < before.value


def test_survey_link_rates_once(app, client, make_user):
    call = scored_call(make_user("anna"))
    token = survey.token_for(call)
    page = client.get(f"/qa/survey/{token}").get_data(as_text=True)
    assert "Как прошёл разговор?" in page
    from tests.conftest import csrf_from

    client.post(f"/qa/survey/{token}", data={"stars": "5", "csrf_token": csrf_from(page)})
    assert "Спасибо!" in client.get(f"/qa/survey/{token}").get_data(as_text=True)
    assert operations.rating_of(call).stars == 5
    assert client.get("/qa/survey/forged-token").status_code == 404
    again = client.post(f"/qa/survey/{token}", data={"stars": "1", "csrf_token": csrf_from(page)})
    assert "Спасибо!" in again.get_data(as_text=True)
    assert operations.rating_of(call).stars == 5  # single use: the second rating changes nothing


def test_a_subscribers_rating_reaches_the_points_ledger_once(app, client, make_user):
    from app.models import GameEvent, PointEvent
    from tests.conftest import csrf_from

    anna = make_user("anna")
    call = scored_call(anna)
    token = survey.token_for(call)
    page = client.get(f"/qa/survey/{token}").get_data(as_text=True)
    for _ in range(2):  # a double submission rates once
        client.post(f"/qa/survey/{token}", data={"stars": "5", "csrf_token": csrf_from(page)})
    rating = operations.rating_of(call)
    events = db.session.scalars(select(GameEvent).where(GameEvent.source_kind == "rating")).all()
    got = [(e.source_id, e.operator_id, e.payload["stars"]) for e in events]
    assert got == [(str(rating.id), anna.id, 5)]
    points = db.session.scalars(select(PointEvent).where(PointEvent.source_kind == "rating",
                                                         PointEvent.source_id == str(rating.id))).all()
    assert points and all(p.operator_id == anna.id for p in points)


def test_survey_link_from_the_command_line_expires(app, client, runner, make_user, monkeypatch):
    call = scored_call(make_user("anna"))
    from app.cli import main

    result = runner.invoke(main, ["calls", "survey-link", str(call.id), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["call_id"] == call.id and data["valid_days"] == 7
    assert data["url"].startswith("http://127.0.0.1:5000/qa/survey/")
    path = data["url"].removeprefix("http://127.0.0.1:5000")
    assert "Как прошёл разговор?" in client.get(path).get_data(as_text=True)
    monkeypatch.setattr(survey, "VALID_FOR", timedelta(seconds=-1))  # a week has passed
    expired = client.get(path)
    assert expired.status_code == 410 and "Ссылка устарела" in expired.get_data(as_text=True)
    missing = runner.invoke(main, ["calls", "survey-link", "999999"])
    assert missing.exit_code == 2 and "no call with id 999999" in missing.output


def test_scorecard_edit_makes_a_new_version_and_old_scores_keep_theirs(app, auth, make_user):
    call = scored_call(make_user("anna"))
    make_user("boss", role="manager")
    auth.login("boss")
    form = {f"weight-{k}": "12,5" for k in ("greeting", "identification", "empathy", "no_interruption",
                                            "resolution", "forbidden_words", "closing", "hold_etiquette")}
    form.update({"critical-forbidden_words": "on", "critical_cap": "40", "forbidden": "короче\nблин"})
    auth.post("/qa/scorecard", form)
    assert operations.active_scorecard().version == 2
    db.session.expire_all()
    assert operations.score_call(call).card.version == 1
    bad = dict(form, **{"weight-greeting": "-5"})
    page = auth.client.post("/qa/scorecard", data={**bad, "csrf_token": auth.token("/")},
                            follow_redirects=True).get_data(as_text=True)
    assert "не сохранена" in page and operations.active_scorecard().version == 2
    assert "Вес критерия «Приветствие» — больше 0 и не больше 100 %; получено -5 %." in page


def test_scorecard_weights_must_add_up_to_100_percent(app, auth, make_user):
    """Before: weights were relative numbers in any sum, and a call's column read 101 %."""
    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get("/qa/scorecard").get_data(as_text=True)
    shown = [float(v.replace(",", ".")) for v in re.findall(r'name="weight-\w+" value="([\d.,]+)"', page)]
    assert len(shown) == 8 and sum(shown) == pytest.approx(100.0)
    form = {f"weight-{k}": v for k, v in zip(
        ("greeting", "identification", "empathy", "no_interruption", "resolution",
         "forbidden_words", "closing", "hold_etiquette"),
        ("10", "10", "15", "10", "30", "15", "5", "6"), strict=True)}  # 101 %
    form.update({"critical_cap": "50", "forbidden": "короче"})
    page = auth.client.post("/qa/scorecard", data={**form, "csrf_token": auth.token("/")},
                            follow_redirects=True).get_data(as_text=True)
    assert "Веса критериев в сумме дают 101 %, а должны — ровно 100 %. Уменьшите веса на 1 %." in page
    assert db.session.scalar(select(func.max(Scorecard.version))) in (None, 1)  # nothing saved
    db.session.rollback()
    assert 'name="weight-hold_etiquette" value="6"' in page  # what was typed stays in the form
    auth.post("/qa/scorecard", {**form, "weight-hold_etiquette": "5"})
    card = operations.card_of(operations.active_scorecard())
    assert card.version == 2 and card.weights()["resolution"] == pytest.approx(0.30)


def test_call_page_weights_add_up_to_100_and_a_cap_explains_itself(app, auth, make_user):
    call = scored_call(make_user("anna"))
    make_user("qa", role="qa_listener")
    auth.login("qa")
    html = auth.client.get(f"/calls/{call.id}").get_data(as_text=True)
    weights = [int(w) for w in re.findall(r"<td>(\d+)&nbsp;%</td>", html)]
    assert weights and sum(weights) == 100
    auth.post(f"/qa/calls/{call.id}/verdict/resolution", {"verdict": "violated", "revision": "0"})
    assert auth.post(f"/qa/calls/{call.id}/finish").status_code == 302
    db.session.expire_all()
    html = auth.client.get(f"/calls/{call.id}").get_data(as_text=True)
    result = operations.score_call(call)
    assert result.score.capped
    assert ("Нарушен критичный критерий «Решение вопроса»: по правилам карты оценка звонка не выше 50, "
            f"без этого ограничения было бы {format_decimal(result.score.uncapped, 1)}.") in html


def test_calibration_report(app, auth, make_user):
    anna = make_user("anna")
    calls = [scored_call(anna, sha=c) for c in "abc"]
    qa1, qa2 = make_user("qa1", role="qa_listener"), make_user("qa2", role="qa_listener")
    make_user("boss", role="manager")
    auth.login("boss")
    auth.post("/qa/calibration", {"title": "Ноябрь", "call_ids": [c.id for c in calls],
                                  "listener_ids": [qa1.id, qa2.id]})
    from app.models import CalibrationSession
    from app.qa.calibration import report_context, sessions_for

    session = db.session.scalar(select(CalibrationSession))
    keys = [c.key for c in operations.card_of(operations.active_scorecard()).criteria]
    for grader, verdicts in ((qa1, ["met", "violated", "met"]), (qa2, ["met", "violated", "violated"])):
        for call, verdict in zip(calls, verdicts, strict=True):
            for key in keys:
                operations.save_verdict(call, key, verdict, grader=grader, session_id=session.id)
    db.session.commit()
    report = auth.client.get(f"/qa/calibration/{session.id}").get_data(as_text=True)
    assert "α Криппендорфа" in report and "Попарное согласие" in report
    # a grading left half-way counts nowhere: not in progress, not in agreement
    before = report_context(session)["report"]
    fourth = scored_call(anna, sha="d")
    session.call_ids = [*session.call_ids, fourth.id]
    operations.save_verdict(fourth, keys[0], "violated", grader=qa1, session_id=session.id)
    db.session.commit()
    operations.save_verdict(fourth, keys[0], "violated", grader=qa2, session_id=session.id)
    db.session.commit()
    after = report_context(session)
    assert list(after["progress"].values()) == [3, 3]
    assert [s["done"] for s in sessions_for(qa1)] == [3]
    assert (fourth.id, keys[0]) not in after["report"].consensus
    assert after["report"].alpha == before.alpha and after["report"].consensus == before.consensus
    # blind grades never touch the calls' scores
    assert all(not operations.score_call(c).human for c in calls)


def test_score_changes_reach_the_points_ledger_once(app, make_user):
    from app.models import PointEvent

    anna = make_user("anna")
    call = scored_call(anna)
    rows = db.session.scalars(select(PointEvent).where(PointEvent.source_id == str(call.id))).all()
    total = sum(r.points for r in rows)
    assert rows and total > 0
    job = enqueue("calls.score", call_id=call.id)  # scoring again awards nothing twice
    execute_job(job.id)
    assert sum(r.points for r in db.session.scalars(
        select(PointEvent).where(PointEvent.source_id == str(call.id)))) == total
    qa = make_user("qa1", role="qa_listener")
    operations.save_verdict(call, "empathy", "violated", grader=qa)
    operations.save_verdict(call, "resolution", "violated", grader=qa)
    db.session.commit()
    draft = sum(r.points for r in db.session.scalars(
        select(PointEvent).where(PointEvent.source_id == str(call.id))))
    assert draft == total  # a draft grade moves no points
    operations.finish_review(call, grader=qa)
    db.session.expire_all()
    after = sum(r.points for r in db.session.scalars(
        select(PointEvent).where(PointEvent.source_id == str(call.id))))
    assert after < total  # corrected by appended rows, never edited


def test_a_call_stays_in_the_queue_until_its_grade_is_finished(app, auth, make_user):
    """One saved criterion keeps the call in the listener's queue (first, as «Продолжить»);
    «Завершить оценку» confirms the untouched criteria and the queue moves on."""
    call = scored_call(make_user("anna"))
    other = scored_call(make_user("boris"), sha="b")
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    auth.post(f"/qa/calls/{call.id}/verdict/empathy", {"verdict": "violated", "revision": "0"})
    queue = auth.client.get("/qa/").get_data(as_text=True)
    assert f"/qa/calls/{call.id}" in queue and "Продолжить" in queue
    assert "Ждут оценки: <strong>2</strong>" in queue
    page = auth.client.get(f"/qa/calls/{call.id}").get_data(as_text=True)
    assert "Завершить оценку" in page and "черновик" in page
    auth.post(f"/qa/calls/{call.id}/finish")
    db.session.expire_all()
    review = operations.review_of(call, operations.current_evaluation(call).scorecard_id)
    assert review.status == "finished" and review.finished_at is not None
    verdicts = operations.score_call(call).human
    card = operations.card_of(operations.current_evaluation(call).scorecard)
    assert set(verdicts) == {c.key for c in card.criteria}  # the untouched ones confirmed
    assert verdicts["empathy"].verdict == "violated"
    queue = auth.client.get("/qa/").get_data(as_text=True)
    assert f"/qa/calls/{call.id}\"" not in queue and f"/qa/calls/{other.id}" in queue
    assert "Ждут оценки: <strong>1</strong>" in queue
    again = auth.post(f"/qa/calls/{call.id}/finish", follow_redirects=True).get_data(as_text=True)
    assert "уже завершена" in again
    page = auth.client.get(f"/qa/calls/{call.id}").get_data(as_text=True)
    assert "Оценка завершена" in page and "Завершить оценку" not in page


def test_a_call_being_graded_is_not_offered_to_another_listener(app, auth, make_user):
    from app.models import QaReview, utcnow

    call = scored_call(make_user("anna"))
    first = make_user("qa1", role="qa_listener")
    operations.save_verdict(call, "empathy", "met", grader=first, revision_seen=0)
    db.session.commit()
    make_user("qa2", role="qa_listener")
    auth.login("qa2")
    assert f"/qa/calls/{call.id}" not in auth.client.get("/qa/").get_data(as_text=True)
    page = auth.client.get(f"/qa/calls/{call.id}").get_data(as_text=True)
    assert "Этот звонок сейчас оценивает Тест Тестов" in page
    refused = auth.post(f"/qa/calls/{call.id}/verdict/closing", {"verdict": "violated", "revision": "0"})
    assert refused.status_code == 400 and "сейчас оценивает" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert operations.find_verdict(call, "closing", operations.current_evaluation(call).scorecard_id,
                                   None, first) is None
    review = db.session.scalar(select(QaReview).where(QaReview.call_id == call.id))
    review.touched_at = utcnow() - operations.CLAIM_FOR - timedelta(minutes=1)  # left for lunch
    db.session.commit()
    assert f"/qa/calls/{call.id}" in auth.client.get("/qa/").get_data(as_text=True)
    taken = auth.post(f"/qa/calls/{call.id}/verdict/closing", {"verdict": "violated", "revision": "0"})
    assert taken.status_code == 200
    db.session.expire_all()
    assert db.session.get(QaReview, review.id).grader.login == "qa2"


def test_queue_filters_pages_and_total(app, auth, make_user):
    from app.models import Carrier

    anna, boris = make_user("anna"), make_user("boris")
    calls = [scored_call(anna, sha=str(n)) for n in range(3)] + [scored_call(boris, sha="b")]
    mts = db.session.scalar(select(Carrier).where(Carrier.code == "mts"))
    calls[0].carrier_id = mts.id
    db.session.commit()
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    assert "Ждут оценки: <strong>4</strong>" in auth.client.get("/qa/").get_data(as_text=True)
    mine = auth.client.get("/qa/?operator=anna").get_data(as_text=True)
    assert "Ждут оценки: <strong>3</strong>" in mine and f"/qa/calls/{calls[3].id}" not in mine
    line = auth.client.get("/qa/?carrier=mts").get_data(as_text=True)
    assert "Ждут оценки: <strong>1</strong>" in line and f"/qa/calls/{calls[0].id}" in line
    assert "Ждут оценки: <strong>0</strong>" in auth.client.get("/qa/?score_max=-1").get_data(as_text=True)
    broken = auth.client.get("/qa/?score_max=abc&date_from=31.02&team=x")
    assert broken.status_code == 200 and "Ждут оценки: <strong>4</strong>" in broken.get_data(as_text=True)
    fragment = auth.client.get("/qa/?operator=boris", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and "Ждут оценки: <strong>1</strong>" in fragment


def test_calls_list_is_newest_first_with_the_score_of_the_call_page(app, auth, make_user):
    """Before: sorted by id (an older recording ingested later came first) and no score column."""
    from datetime import datetime

    anna = make_user("anna")
    late = scored_call(anna, sha="a")
    early = scored_call(anna, sha="b")
    late.started_at = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    early.started_at = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    db.session.commit()
    make_user("boss", role="manager")
    auth.login("boss")
    html = auth.client.get("/calls/").get_data(as_text=True)
    assert html.index(f'<a href="/calls/{late.id}">') < html.index(f'<a href="/calls/{early.id}">')
    value = operations.score_call(late).score.value
    row = html[html.index(f'<a href="/calls/{late.id}">'):]
    assert f"<strong>{format_number(value)}</strong>" in row[:row.index("</tr>")]

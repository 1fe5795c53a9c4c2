"""Calls: one ingest operation behind the web upload, the API and the CLI."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import soundfile as sf
from sqlalchemy import select

from app import users
from app.calls import operations
from app.calls.cli import ingest as ingest_command
from app.cli import main
from app.extensions import db
from app.jobs.operations import execute_job
from app.models import AuditEntry, Call, Job


def wav_bytes(seconds: float = 1.0, rate: int = 8000, channels: int = 2, amplitude: float = 0.3,
              freq: float = 440.0) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    tone = (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    data = np.stack([tone] * channels, axis=1) if channels > 1 else tone
    buffer = io.BytesIO()
    sf.write(buffer, data, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


@pytest.fixture()
def listener(auth, make_user):
    make_user("qa1", role="qa_listener")
    auth.login("qa1")
    return auth


def upload(auth, files, **form):
    data = {"files": [(io.BytesIO(content), name) for name, content in files], **form}
    return auth.post("/calls/upload", data, headers={"Accept": "application/json"},
                     content_type="multipart/form-data")


def stored_files(app) -> list:
    root = app.config["ULYBKA"].audio_dir
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp"]


def test_upload_several_files_one_bad(app, listener, make_user):
    make_user("anna")
    before = len(stored_files(app))
    response = upload(listener, [("ok.wav", wav_bytes()), ("notes.wav", b"this is text, not audio")],
                      operator="anna", carrier="mts")
    results = response.json["results"]
    assert response.status_code == 400
    assert results[0]["created"] is True and results[0]["status"] == "queued"
    assert "Это не аудиофайл" in results[1]["error"]["message"]
    calls = db.session.scalars(select(Call)).all()
    assert len(calls) == 1 and calls[0].operator.login == "anna" and calls[0].carrier.code == "mts"
    assert calls[0].channels == 2 and calls[0].sample_rate == 8000
    assert len(stored_files(app)) == before + 1
    job = db.session.scalar(select(Job))
    assert job.kind == "calls.process" and job.args == {"call_id": calls[0].id}


def test_duplicate_returns_the_existing_call_and_stores_nothing(app, listener):
    audio = wav_bytes(freq=500)
    first = upload(listener, [("a.wav", audio)]).json["results"][0]
    count = len(stored_files(app))
    second = upload(listener, [("copy-of-a.wav", audio)]).json["results"][0]
    assert second["id"] == first["id"] and second["created"] is False
    assert "уже был загружен" in second["message"]
    assert len(stored_files(app)) == count and db.session.query(Call).count() == 1


def test_a_database_error_is_not_taken_for_a_concurrent_duplicate(app):
    """Only a twin of the same audio makes a failed insert «already there»; anything else raises
    and leaves no stored file."""
    from sqlalchemy.exc import IntegrityError

    before = stored_files(app)
    with pytest.raises(IntegrityError):
        operations.ingest_recording(io.BytesIO(wav_bytes(freq=700)), "a.wav", operations.CallMeta(),
                                    source="fax", uploaded_by=None)  # no such source
    db.session.rollback()
    assert db.session.query(Call).count() == 0 and stored_files(app) == before


@pytest.mark.parametrize("name,content,code", [
    pytest.param("empty.wav", b"", "empty", id="empty"),
    pytest.param("image.wav", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "unsupported_format", id="image"),
    pytest.param("cut.wav", wav_bytes()[:60], "corrupt", id="truncated"),
])
def test_bad_files_get_a_clear_reason_and_leave_nothing(app, listener, name, content, code):
    before = stored_files(app)
    result = upload(listener, [(name, content)]).json["results"][0]
    assert "error" in result and result["error"]["message"].startswith(name)
    if code:
        assert result["error"]["code"] == code
    assert db.session.query(Call).count() == 0 and stored_files(app) == before
    assert list((app.config["ULYBKA"].audio_dir / "tmp").glob("*")) == []


def test_unknown_operator_or_carrier_is_refused(app, listener):
    bad_op = upload(listener, [("a.wav", wav_bytes())], operator="ghost").json["results"][0]
    assert bad_op["error"]["code"] == "unknown_operator" and "ghost" in bad_op["error"]["message"]
    bad_carrier = upload(listener, [("a.wav", wav_bytes())], carrier="tele2").json["results"][0]
    assert bad_carrier["error"]["code"] == "unknown_carrier"
    assert db.session.query(Call).count() == 0


def test_no_file_selected(listener):
    result = upload(listener, []).json["results"][0]
    assert result["error"]["code"] == "no_file"


def test_operator_cannot_upload(auth, make_user):
    make_user("anna")
    auth.login("anna")
    assert upload(auth, [("a.wav", wav_bytes())]).status_code == 403


def api_key(make_user, role="manager"):
    user = make_user(f"api-{role}", role=role)
    _, key = users.issue_api_key(user, "t", actor=None)
    db.session.commit()
    return {"Authorization": f"Bearer {key}"}


def test_api_ingest_list_and_detail(client, make_user):
    make_user("anna")
    headers = api_key(make_user)
    meta = json.dumps({"operator": "anna", "carrier": "beeline", "direction": "inbound",
                       "subscriber_number": "+79161234567", "started_at": "2026-11-20T10:15:00"})
    response = client.post("/api/v1/calls", headers=headers, content_type="multipart/form-data",
                           data={"audio": (io.BytesIO(wav_bytes()), "rec.wav"), "metadata": meta})
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "queued" and body["operator"] == "anna" and body["carrier"] == "beeline"
    assert "1234567" not in body["subscriber_number"]  # masked
    again = client.post("/api/v1/calls", headers=headers, content_type="multipart/form-data",
                        data={"audio": (io.BytesIO(wav_bytes()), "rec.wav"), "metadata": meta})
    assert again.status_code == 200 and again.json["created"] is False
    listing = client.get("/api/v1/calls", headers=headers).json
    assert listing["total"] == 1 and listing["items"][0]["id"] == body["id"]
    detail = client.get(f"/api/v1/calls/{body['id']}", headers=headers).json
    assert detail["segments"] == [] and detail["status"] == "queued"


@pytest.mark.parametrize("data,code", [
    ({}, "no_file"),
    ({"audio": (io.BytesIO(b"x"), "a.wav"), "metadata": "{not json"}, "bad_metadata"),
    ({"audio": (io.BytesIO(b"x"), "a.wav"), "metadata": '{"direction": "sideways"}'}, "bad_metadata"),
])
def test_api_ingest_bad_requests(client, make_user, data, code):
    response = client.post("/api/v1/calls", headers=api_key(make_user),
                           content_type="multipart/form-data", data=data)
    assert response.status_code == 400 and response.json["error"]["code"] == code


def test_api_upload_over_the_limit_is_413(migrated, make_user):
    from tests.conftest import build_app

    small = build_app(migrated, MAX_CONTENT_LENGTH=100_000)  # a body the test client keeps in memory
    with small.app_context():
        headers = api_key(make_user)
        big = b"RIFF" + b"\x00" * 200_000
        response = small.test_client().post("/api/v1/calls", headers=headers,
                                            content_type="multipart/form-data",
                                            data={"audio": (io.BytesIO(big), "a.wav")})
        assert response.status_code == 413 and response.json["error"]["code"] == "payload_too_large"
        assert db.session.query(Call).count() == 0


def make_done_call(operator, **fields) -> Call:
    segments = [
        {"speaker": "operator", "start": 0.5, "end": 3.0, "text": "Здравствуйте, компания мтСЕТЬ",
         "words": [{"w": "Здравствуйте,", "start": 0.5, "end": 1.4, "p": 0.9},
                   {"w": "компания", "start": 1.5, "end": 2.2, "p": 0.9},
                   {"w": "мтСЕТЬ", "start": 2.3, "end": 3.0, "p": 0.4}]},
        {"speaker": "subscriber", "start": 3.5, "end": 6.0, "text": "мой номер 8 916 123 45 67",
         "words": [{"w": w, "start": 3.5 + i * 0.3, "end": 3.7 + i * 0.3, "p": 0.8}
                   for i, w in enumerate("мой номер 8 916 123 45 67".split())]},
    ]
    call = Call(sha256=fields.pop("sha256", "f" * 64), original_name="x.wav", stored_path="ff/ff/x.wav",
                size_bytes=10, duration=6.5, operator=operator, status="done",
                segments_original=segments, segments=operations.redact_segments(segments),
                metrics={"speakers": {"operator": {"talk_seconds": 2.5, "talk_share": 0.5}},
                         "silence_share": 0.2, "holds": [], "overtalk": []}, **fields)
    db.session.add(call)
    db.session.commit()
    return call


def test_call_page_shows_redacted_transcript_and_manager_sees_original(auth, make_user):
    anna = make_user("anna")
    call = make_done_call(anna)
    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Здравствуйте," in page and "123 45 67" not in page and "Показать без маскировки" in page
    assert 'class="timeline"' in page
    original = auth.client.get(f"/calls/{call.id}?original=1").get_data(as_text=True)
    assert "123" in original and "без маскировки" in original
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "call.view_original"))


def test_operators_see_only_their_own_calls(auth, make_user):
    anna, oleg = make_user("anna"), make_user("oleg")
    mine = make_done_call(anna, sha256="a" * 64)
    theirs = make_done_call(oleg, sha256="b" * 64)
    auth.login("anna")
    assert auth.client.get(f"/calls/{mine.id}").status_code == 200
    assert auth.client.get(f"/calls/{theirs.id}").status_code == 403
    assert auth.client.get(f"/calls/{theirs.id}/audio").status_code == 403
    listing = auth.client.get("/calls/").get_data(as_text=True)
    assert f"/calls/{mine.id}\"" in listing and f"/calls/{theirs.id}\"" not in listing
    # the original transcript is for managers only
    assert "123" not in auth.client.get(f"/calls/{mine.id}?original=1").get_data(as_text=True)


def test_audio_is_served_with_ranges(app, listener):
    audio = wav_bytes()
    call_id = upload(listener, [("a.wav", audio)]).json["results"][0]["id"]
    whole = listener.client.get(f"/calls/{call_id}/audio")
    assert whole.status_code == 200 and whole.data == audio
    whole.close()
    part = listener.client.get(f"/calls/{call_id}/audio", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100
    part.close()


def test_list_filters_and_htmx_fragment(auth, make_user):
    anna = make_user("anna")
    make_done_call(anna, sha256="a" * 64)
    failed = make_done_call(anna, sha256="b" * 64)
    failed.status = "failed"
    db.session.commit()
    make_user("boss", role="manager")
    auth.login("boss")
    fragment = auth.client.get("/calls/?status=failed", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and body.count("state-failed") == 1 and "state-done" not in body


def test_silent_recording_fails_with_a_russian_reason(app, listener):
    call_id = upload(listener, [("quiet.wav", wav_bytes(seconds=3, amplitude=0.0))]).json["results"][0]["id"]
    job = db.session.scalar(select(Job))
    execute_job(job.id)
    db.session.expire_all()
    call = db.session.get(Call, call_id)
    assert call.status == "failed" and call.failure_code == "silence"
    assert "нет речи" in call.failure_reason
    assert db.session.get(Job, job.id).status == "failed"  # a bad recording is not retried
    page = listener.client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Запись не обработана" in page


def test_cli_ingest_json_and_show(app, runner, monkeypatch, tmp_path, make_user):
    make_user("anna")
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "one.wav").write_bytes(wav_bytes(freq=300))
    (tmp_path / "calls" / "two.flac").write_bytes(wav_bytes(freq=600))
    (tmp_path / "calls" / "readme.txt").write_text("skip me")
    result = runner.invoke(main, ["ingest", str(tmp_path / "calls"), "--operator", "anna", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["queued", "queued"] and all(r["created"] for r in rows)
    shown = json.loads(runner.invoke(main, ["calls", "show", str(rows[0]["id"]), "--json"]).stdout)
    assert shown["id"] == rows[0]["id"] and shown["operator"] == "anna"
    missing = runner.invoke(main, ["calls", "show", "9999"])
    assert missing.exit_code == 2 and "no call with id 9999" in missing.output
    assert ingest_command.name == "ingest"


def test_cli_ingest_reports_bad_files(app, runner, monkeypatch, tmp_path):
    (tmp_path / "bad.wav").write_text("not audio")
    result = runner.invoke(main, ["ingest", str(tmp_path / "bad.wav")])
    assert result.exit_code == 1 and "Это не аудиофайл" in result.stderr


FIXTURES = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def test_real_recording_is_transcribed_scored_and_shown(app, listener, make_user, monkeypatch):
    """The whole path on a real stereo recording: upload → worker job → transcript → score,
    with the recognition prompt on (the fixture's synthetic voice needs it)."""
    import dataclasses

    monkeypatch.setitem(app.config, "ULYBKA", dataclasses.replace(app.config["ULYBKA"], asr_prompt=True))
    make_user("anna", full_name="Анна Смирнова")
    audio = (FIXTURES / "stereo_pcm16.wav").read_bytes()
    call_id = upload(listener, [("stereo_pcm16.wav", audio)], operator="anna",
                     carrier="mts").json["results"][0]["id"]
    from app.calls.cli import run_jobs_of_call

    run_jobs_of_call(call_id, execute_job)  # processing, then the scoring job it enqueues
    db.session.expire_all()
    call = db.session.get(Call, call_id)
    assert call.status == "done", call.failure_reason
    speakers = {s["speaker"] for s in call.segments}
    assert speakers == {"operator", "subscriber"}
    operator_text = " ".join(s["text"] for s in call.segments if s["speaker"] == "operator").lower()
    assert "компания" in operator_text or "помочь" in operator_text  # synthetic voice: loose check
    assert all(s["words"] and s["start"] <= s["words"][0]["start"] + 0.01 for s in call.segments)
    page = listener.client.get(f"/calls/{call_id}").get_data(as_text=True)
    assert "Оценка звонка" in page and "Расшифровка" in page and 'class="w"' in page


def test_demo_calls_are_scored_once_and_are_what_the_ledger_counts(app):
    """Seeded once (it is slow). Every call the points ledger counts is a call of the call
    list, in every period; the last week's calls keep their recordings, older ones do not."""
    from datetime import UTC, datetime, timedelta

    import games
    from app.calls import store
    from app.demo import seed_demo
    from app.games.queries import Board, leaderboard
    from app.models import GameEvent, Rating, User, utcnow
    from app.qa.operations import score_call

    first = seed_demo()
    calls = db.session.scalars(select(Call).where(Call.source != "chat")).all()  # recordings
    chat_ids = {str(i) for i in db.session.scalars(select(Call.id).where(Call.source == "chat"))}
    assert len(chat_ids) == first["chats"] == 2  # the demo's finished chats, judged as writing
    assert first["demo_calls"] == len(calls) > 500
    assert all(c.status == "done" and score_call(c).score.value is not None for c in calls)
    week_ago = utcnow() - timedelta(days=7)
    recorded = [c for c in calls if c.audio_removed_at is None]
    assert len(recorded) == first["demo_recordings"] > 50
    assert all(c.started_at >= week_ago and store.audio_path(c).is_file() for c in recorded)
    assert all(c.started_at < week_ago for c in calls if c.audio_removed_at is not None)

    call_ids = {str(c.id) for c in calls}
    counted = set(db.session.scalars(select(GameEvent.source_id).where(GameEvent.source_kind == "call")))
    assert counted - chat_ids == call_ids
    rating_ids = {str(i) for i in db.session.scalars(select(Rating.id))}
    rated = set(db.session.scalars(select(GameEvent.source_id).where(GameEvent.source_kind == "rating")))
    assert rated == rating_ids and rated
    now = datetime.now(UTC)
    moment = db.func.coalesce(Call.started_at, Call.created_at)
    for period in ("week", "month", "all"):
        start, end = games.period_bounds(period, now)
        board = {r.operator: r.calls for r in leaderboard(Board(period), now)}
        query = (select(User.login, db.func.count(Call.id)).join(Call, Call.operator_id == User.id)
                 .where(moment < end).group_by(User.login))
        if start is not None:
            query = query.where(moment >= start)
        assert {k: v for k, v in board.items() if v} == dict(db.session.execute(query).all()), period

    assert seed_demo()["demo_calls"] == 0 and db.session.query(Call).count() == len(calls) + len(chat_ids)


def test_call_goes_through_every_state(app, listener, make_user, monkeypatch):
    from app.calls import operations as call_ops

    seen = []
    original = call_ops._set_stage
    monkeypatch.setattr(call_ops, "_set_stage", lambda call, stage: (seen.append(stage),
                                                                       original(call, stage)))
    audio = (FIXTURES / "stereo_flac.flac" if (FIXTURES / "stereo_flac.flac").exists()
             else FIXTURES / "stereo.flac").read_bytes()
    call_id = upload(listener, [("call.flac", audio)]).json["results"][0]["id"]
    assert db.session.get(Call, call_id).status == "queued"
    execute_job(db.session.scalar(select(Job).where(Job.kind == "calls.process")).id)
    db.session.expire_all()
    assert seen == ["decoding", "transcribing", "analysing"]
    assert db.session.get(Call, call_id).status == "done"


def test_call_of_a_killed_worker_is_finished_by_the_next(app, listener):
    """Kill the worker process in the middle of a call; the next worker finishes it."""
    import os
    import signal
    import subprocess
    import sys
    import time

    settings = app.config["ULYBKA"]
    env = {**os.environ, "ULYBKA_DATA_DIR": str(settings.data_dir),
           "DATABASE_URL": settings.database_url, "SECRET_KEY": "test-secret"}
    env.pop("REDIS_URL", None)
    call_id = upload(listener, [("long.wav", (FIXTURES / "stereo_pcm16.wav").read_bytes())]
                     ).json["results"][0]["id"]

    def status() -> str:
        db.session.expire_all()
        return db.session.get(Call, call_id).status

    def wait_for(states, timeout=120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (current := status()) in states:
                return current
            time.sleep(0.05)
        return status()

    first = subprocess.Popen([sys.executable, "-m", "app", "worker"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        state = wait_for({"decoding", "transcribing", "analysing", "done"})
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert state in {"decoding", "transcribing", "analysing"}, state  # killed mid-call
    second = subprocess.Popen([sys.executable, "-m", "app", "worker"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert wait_for({"done", "failed"}) == "done"
    finally:
        second.terminate()
        second.wait(timeout=30)
    db.session.expire_all()
    assert db.session.get(Call, call_id).segments


def test_recognition_prompt_follows_the_setting(app, monkeypatch):
    import dataclasses

    from app.calls.operations import prompt_for
    from app.models import Carrier, User

    call = Call(operator=User(full_name="Анна Петрова"), carrier=Carrier(code="mts", name="МТС"))
    assert prompt_for(call) is None  # off by default
    settings = dataclasses.replace(app.config["ULYBKA"], asr_prompt=True, company_name="мтСЕТЬ")
    monkeypatch.setitem(app.config, "ULYBKA", settings)
    prompt = prompt_for(call)
    assert "мтСЕТЬ" in prompt and "Анна" in prompt and "Петрова" not in prompt and "МТС" in prompt


def test_transcript_marks_uncertain_words_once(app):
    """The shared transcript macro (call page, scorecard, listening): one class attribute, so
    the browser keeps the dotted underline of an uncertain word."""
    macro = app.jinja_env.get_template("calls/_transcript.html").module.turns
    html = str(macro([{"speaker": "operator", "start": 1.0, "text": "добрый день", "words": [
        {"w": "добрый", "start": 1.0, "end": 1.4, "p": 0.9},
        {"w": "день", "start": 1.4, "end": 1.8, "p": 0.3}]}], anchors=True))
    assert 'id="seg-0"' in html and html.count('class="w') == 2
    assert '<span class="w" data-start="1.0"' in html
    assert '<span class="w low" title="неуверенно распознано" data-start="1.4"' in html


def _old_call(listener, days: int) -> Call:
    from datetime import timedelta

    from app.models import utcnow

    call_id = upload(listener, [(f"old{days}.wav", wav_bytes(0.5, freq=300 + days))]).json["results"][0]["id"]
    call = db.session.get(Call, call_id)
    call.started_at = utcnow() - timedelta(days=days)
    db.session.commit()
    return call


def test_old_recordings_are_removed_and_the_call_stays(app, listener, make_user, runner):
    from app.calls import store
    from app.models import Dispute

    operator = make_user("op_keep")
    old, disputed, fresh = _old_call(listener, 40), _old_call(listener, 41), _old_call(listener, 2)
    db.session.add(Dispute(call_id=disputed.id, operator_id=operator.id, key="greeting",
                           comment="Прослушайте, пожалуйста."))
    db.session.commit()
    paths = {c.id: store.audio_path(c) for c in (old, disputed, fresh)}
    size = paths[old.id].stat().st_size
    result = runner.invoke(main, ["calls", "remove-audio", "--older-than", "30", "--json"])
    assert json.loads(result.output) == {"removed": 1, "bytes": size, "kept_for_disputes": 1}
    assert not paths[old.id].exists() and paths[disputed.id].exists() and paths[fresh.id].exists()
    db.session.expire_all()
    assert db.session.get(Call, old.id).audio_removed_at is not None
    assert db.session.get(Call, fresh.id).audio_removed_at is None
    gone = listener.client.get(f"/calls/{old.id}/audio")
    assert gone.status_code == 410 and "удалена" in gone.get_data(as_text=True)
    page = listener.client.get(f"/calls/{old.id}").get_data(as_text=True)
    assert "по сроку хранения" in page and 'id="player"' not in page
    kept = listener.client.get(f"/calls/{fresh.id}/audio")
    assert kept.status_code == 200 and kept.get_data()
    kept.close()
    again = json.loads(runner.invoke(main, ["calls", "remove-audio", "--older-than", "30", "--json"]).output)
    assert again["removed"] == 0 and again["kept_for_disputes"] == 1


def test_remove_audio_needs_a_positive_period(app, runner):
    result = runner.invoke(main, ["calls", "remove-audio", "--older-than", "0"])
    assert result.exit_code == 2 and "older-than" in result.output


def test_a_recording_missing_from_the_store_is_a_clear_404(app, listener):
    from app.calls import store

    call = _old_call(listener, 1)
    path = store.audio_path(call)
    path.chmod(0o640)
    path.unlink()
    missing = listener.client.get(f"/calls/{call.id}/audio")
    assert missing.status_code == 404 and "нет в хранилище" in missing.get_data(as_text=True)


def test_the_keep_period_setting(app):
    from app.config import ConfigError, load_settings

    assert load_settings({"ULYBKA_DATA_DIR": str(app.config["ULYBKA"].data_dir)}).audio_keep_days == 0
    assert load_settings({"ULYBKA_DATA_DIR": str(app.config["ULYBKA"].data_dir),
                          "ULYBKA_AUDIO_KEEP_DAYS": "90"}).audio_keep_days == 90
    with pytest.raises(ConfigError, match="ULYBKA_AUDIO_KEEP_DAYS"):
        load_settings({"ULYBKA_DATA_DIR": str(app.config["ULYBKA"].data_dir), "ULYBKA_AUDIO_KEEP_DAYS": "-3"})

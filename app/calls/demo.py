"""Demo calls for ``ulybka demo``: scripted conversations that go through the real scoring.

The demo cannot ship real recordings, so each call gets a short synthetic stereo signal (soft
tones on the operator's channel while the operator speaks, on the other channel for the
subscriber) that lines up with its scripted transcript; the transcript, the standards, the
score, the ratings, a dispute and a listener's verdicts are all made by the real operations.
Call names start with ``demo-``; a second run adds nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import soundfile as sf
from flask import current_app
from sqlalchemy import select

import games
from app.calls import store
from app.calls.privacy import redact_segments
from app.extensions import db
from app.models import Call, Rating, User, utcnow

RATE = 8000
DAYS = 30  # the demo's month of calls, today included
KEPT_DAYS = 7  # the demo centre keeps recordings a week: older calls have only their transcripts

OPENINGS_GOOD = ["Здравствуйте, компания мтСЕТЬ, меня зовут {name}, чем могу помочь?",
                 "Добрый день, мтСЕТЬ, {name}, слушаю вас."]
OPENINGS_BAD = ["Да.", "Алло, слушаю."]
REQUESTS = [
    ("Хочу подключить пакет интернета на выходные.",
     "Пакет подключён, он будет действовать до понедельника."),
    ("Подскажите, как перейти на тариф подешевле?",
     "Оформил переход на тариф «Домашний», он начнёт действовать завтра."),
    ("У меня не работает мобильный интернет.",
     "Отправил вам настройки интернета и перезагрузил профиль в сети, проверьте, пожалуйста."),
    ("Хочу отключить платную подписку.", "Подписка отключена, списаний больше не будет."),
]
COMPLAINTS = ["Это какой-то кошмар, с меня второй месяц списывают деньги за услугу, которую я не подключал!",
              "Я очень недоволен, третий раз звоню и никто не может помочь!"]
EMPATHY = "Я понимаю ваше недовольство, мне очень жаль, что так вышло."
ASK_ID = "Назовите, пожалуйста, номер телефона."
GIVE_ID = "Девятьсот пятнадцать, триста, сорок, пятьдесят."
RUDE = ["Перезвоните позже, система не работает.", "Короче, я не знаю, это не ко мне."]
CLOSINGS_GOOD = ["Спасибо за обращение, хорошего дня!", "Могу я ещё чем-то помочь? Спасибо, до свидания!"]
CLOSINGS_BAD = ["Всё.", "До свидания."]


def script(rng: random.Random, name: str, skill: float) -> list[tuple[str, str]]:
    """A conversation: a skilled operator keeps the standards more often."""
    def keeps() -> bool:
        return rng.random() < skill

    request, action = rng.choice(REQUESTS)
    turns = [("operator", rng.choice(OPENINGS_GOOD if keeps() else OPENINGS_BAD).format(name=name))]
    if rng.random() < 0.3:
        turns.append(("subscriber", rng.choice(COMPLAINTS)))
        if keeps():
            turns.append(("operator", EMPATHY))
    turns.append(("subscriber", request))
    if keeps():
        turns += [("operator", ASK_ID), ("subscriber", GIVE_ID)]
    turns.append(("operator", action if keeps() or rng.random() < 0.5 else rng.choice(RUDE)))
    turns.append(("operator", rng.choice(CLOSINGS_GOOD if keeps() else CLOSINGS_BAD)))
    return turns


def timed_segments(turns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    t, out = 0.6, []
    for speaker, text in turns:
        words = text.split()
        step = 0.33
        seg_words = [{"w": w, "start": round(t + i * step, 2), "end": round(t + i * step + 0.28, 2),
                      "p": 0.92} for i, w in enumerate(words)]
        end = round(t + len(words) * step, 2)
        out.append({"speaker": speaker, "start": round(t, 2), "end": end, "text": text,
                    "words": seg_words})
        t = end + 0.7
    return out


def tone_audio(segments: list[dict[str, Any]], seed: int) -> bytes:
    duration = segments[-1]["end"] + 0.8
    n = int(duration * RATE)
    left, right = np.zeros(n, np.float32), np.zeros(n, np.float32)
    rng = np.random.default_rng(seed)
    for seg in segments:
        a, b = int(seg["start"] * RATE), int(seg["end"] * RATE)
        t = np.arange(b - a) / RATE
        freq = 180 + 40 * rng.random() if seg["speaker"] == "operator" else 120 + 30 * rng.random()
        wave = 0.08 * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t) ** 2)
        (left if seg["speaker"] == "operator" else right)[a:b] += wave.astype(np.float32)
    buffer = io.BytesIO()
    sf.write(buffer, np.stack([left, right], axis=1), RATE, format="FLAC", subtype="PCM_16")
    return buffer.getvalue()


def _shifts(rng: random.Random, user: User, night: bool, now: datetime) -> list[datetime]:
    """When the operator's demo calls began: a month of shifts (days off, the night team from
    22:00 Moscow), one or two sampled calls a shift, a few more for the featured operator."""
    moments = []
    for back in range(DAYS - 1, -1, -1):
        if rng.random() < 0.28:
            continue  # day off
        start_hour = 22 if night else rng.choice([8, 9, 12, 14])
        shift = games.moscow_midnight(games.moscow_day(now - timedelta(days=back))) + timedelta(
            hours=start_hour)
        calls = rng.randint(2, 4) if user.login == "operator" else rng.randint(1, 2)
        moments += [m for m in (shift + timedelta(minutes=rng.randint(0, 7 * 60)) for _ in range(calls))
                    if m < now]
    return sorted(moments)


def seed_demo_calls(rng: random.Random) -> dict[str, Any]:
    """A month of calls of every operator, scored by the real standards, with the subscribers'
    ratings; the last week's keep their (synthetic) recordings, older ones only their transcripts.

    These are the calls the leaderboards, streaks and badges count (the games demo awards what
    exists). A call whose recording is gone has no audio to hash: its ``sha256`` is that of
    its script, which only has to be unique.
    """
    from app.qa import operations as qa

    if db.session.scalar(select(Call.id).where(Call.original_name.like("demo-%")).limit(1)):
        return {"demo_calls": 0}
    from app.demo import demo_operators

    listener = db.session.scalar(select(User).where(User.login == "qa"))
    featured = db.session.scalar(select(User).where(User.login == "operator"))
    audio_root = current_app.config["ULYBKA"].audio_dir
    now = utcnow()
    kept_since = now - timedelta(days=KEPT_DAYS)
    created: list[Call] = []
    recorded: list[Call] = []
    for user, lines, night in demo_operators():
        skill = 0.6 + 0.38 * rng.random()
        name = user.full_name.split()[0]
        for at in _shifts(rng, user, night, now):
            n = len(created) + 1
            segments = timed_segments(script(rng, name, skill))
            call = Call(original_name=f"demo-{n:04d}.flac", audio_format="flac", channels=2,
                        sample_rate=RATE, duration=segments[-1]["end"] + 0.8, operator=user,
                        carrier_id=rng.choice(lines or [None]), direction="inbound",
                        started_at=at, subscriber_number=f"+79{rng.randint(100000000, 999999999)}",
                        status="done", diarization="channels", segments_original=segments,
                        segments=redact_segments(segments), source="cli",
                        created_at=at + timedelta(minutes=2), processed_at=at + timedelta(minutes=3),
                        metrics={"speakers": {}, "silence_share": 0.2, "holds": [], "overtalk": []})
            if at >= kept_since:
                audio = tone_audio(segments, n)
                incoming = store.receive(io.BytesIO(audio), audio_root, len(audio) + 1)
                call.sha256, call.size_bytes = incoming.sha256, incoming.size
                call.stored_path = store.keep(incoming, audio_root, ".flac")
                recorded.append(call)
            else:
                call.sha256 = hashlib.sha256(json.dumps([user.login, n, segments], ensure_ascii=False)
                                             .encode()).hexdigest()
                call.stored_path, call.size_bytes = store.relative_path(call.sha256, ".flac"), 0
                call.audio_removed_at = at + timedelta(days=KEPT_DAYS)
            db.session.add(call)
            db.session.flush()
            qa.evaluate_call(call)
            if rng.random() < 0.18:
                stars = 5 if rng.random() < skill - 0.1 else rng.randint(2, 4)
                db.session.add(Rating(call_id=call.id, stars=stars, source="demo",
                                      created_at=at + timedelta(minutes=20)))
            created.append(call)
        db.session.commit()
    recorded.sort(key=lambda c: c.started_at)
    if listener is not None:
        for call in recorded[1:4]:
            qa.save_verdict(call, "empathy", "met", grader=listener, comment="Тёплый тон, хорошо.",
                            at_seconds=call.segments[0]["start"])
        if len(recorded) > 1:  # one grade finished, the other two left as the listener's drafts
            qa.finish_review(recorded[1], grader=listener)
    for call in (c for c in reversed(recorded) if featured and c.operator_id == featured.id):
        violated = [line.key for line in qa.score_call(call).score.lines if line.verdict is False]
        if violated:
            qa.open_dispute(call, violated[0], "Я выполнила стандарт — прослушайте, пожалуйста, запись.",
                            operator=featured)
            break
    db.session.commit()
    return {"demo_calls": len(created), "demo_recordings": len(recorded)}

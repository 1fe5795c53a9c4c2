"""Demo calls for ``ulybka demo``: scripted conversations that go through the real scoring.

The demo cannot ship real recordings, so each call gets a short synthetic stereo signal (soft
tones on the operator's channel while the operator speaks, on the other channel for the
subscriber) that lines up with its scripted transcript; the transcript, the standards, the
score, the ratings, a dispute and a listener's verdicts are all made by the real operations.
Call names start with ``demo-``; a second run adds nothing.
"""

from __future__ import annotations

import io
import random
from datetime import UTC, timedelta
from typing import Any

import numpy as np
import soundfile as sf
from flask import current_app
from sqlalchemy import select

from app.calls import store
from app.calls.privacy import redact_segments
from app.extensions import db
from app.models import Call, Carrier, OperatorSkill, Role, User, utcnow

RATE = 8000
CALLS = 48

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
    sf.write(buffer, np.stack([left, right], axis=1), RATE, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def seed_demo_calls(rng: random.Random) -> dict[str, Any]:
    from app.qa import operations as qa

    if db.session.scalar(select(Call.id).where(Call.original_name.like("demo-%")).limit(1)):
        return {"demo_calls": 0}
    operators = db.session.scalars(select(User).where(User.role == Role.OPERATOR, User.active)
                                   .order_by(User.login)).all()
    listener = db.session.scalar(select(User).where(User.login == "qa"))
    skills = {u.id: 0.55 + 0.4 * rng.random() for u in operators}
    lines = dict(db.session.execute(select(OperatorSkill.user_id, Carrier.id)
                                    .join(Carrier, Carrier.id == OperatorSkill.carrier_id)).all())
    audio_root = current_app.config["ULYBKA"].audio_dir
    featured = db.session.scalar(select(User).where(User.login == "operator"))
    created: list[Call] = []
    now = utcnow()
    for n in range(CALLS):
        operator = featured if n % 4 == 0 and featured else rng.choice(operators)
        name = operator.full_name.split()[0]
        segments = timed_segments(script(rng, name, skills[operator.id]))
        audio = tone_audio(segments, n)
        incoming = store.receive(io.BytesIO(audio), audio_root, len(audio) + 1)
        rel = store.keep(incoming, audio_root, ".wav")
        started = now - timedelta(days=rng.uniform(0, 6), hours=rng.uniform(0, 10))
        call = Call(sha256=incoming.sha256, original_name=f"demo-{n + 1:03d}.wav", stored_path=rel,
                    size_bytes=incoming.size, audio_format="wav", channels=2, sample_rate=RATE,
                    duration=segments[-1]["end"] + 0.8, operator=operator,
                    carrier_id=lines.get(operator.id), direction="inbound",
                    started_at=started.astimezone(UTC),
                    subscriber_number=f"+7916{rng.randint(1000000, 9999999)}",
                    status="done", diarization="channels", segments_original=segments,
                    segments=redact_segments(segments), source="cli", processed_at=now,
                    metrics={"speakers": {}, "silence_share": 0.2, "holds": [], "overtalk": []})
        db.session.add(call)
        db.session.flush()
        qa.evaluate_call(call)
        created.append(call)
    db.session.commit()
    for call in created:
        if rng.random() < 0.5:
            qa.add_rating(stars=rng.choice([3, 4, 5, 5, 5, 2]), call_id=call.id, source="demo")
        else:
            qa.announce_score(call)
    if listener is not None:
        for call in created[1:4]:
            qa.save_verdict(call, "empathy", "met", grader=listener, comment="Тёплый тон, хорошо.",
                            at_seconds=call.segments[0]["start"])
        if len(created) > 1:  # one grade finished, the other two left as the listener's drafts
            qa.finish_review(created[1], grader=listener)
    mine = [c for c in created if featured and c.operator_id == featured.id]
    for call in mine:
        result = qa.score_call(call)
        violated = [line.key for line in result.score.lines if line.verdict is False]
        if violated:
            qa.open_dispute(call, violated[0], "Я выполнила стандарт — прослушайте, пожалуйста, запись.",
                            operator=featured)
            break
    db.session.commit()
    return {"demo_calls": len(created)}


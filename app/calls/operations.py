"""Ingest recordings and process them: one operation for the web upload, the CLI and the API."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import speech
from app import audit
from app.calls import store
from app.calls.privacy import redact_segments
from app.calls.store import audio_path
from app.extensions import db
from app.features import announce
from app.jobs.operations import JobError, enqueue
from app.models import Call, Carrier, Job, Role, User, utcnow
from app.outcome import Refused
from app.users import find_user
from app.wording import say

log = logging.getLogger("ulybka.calls")

ACCEPTED = ".wav, .mp3, .ogg, .opus, .flac"

class IngestError(Refused):
    """A recording or its metadata was refused; ``message`` is Russian, ``code`` is stable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class CallMeta:
    operator: str | None = None
    carrier: str | None = None
    direction: str | None = None
    started_at: datetime | None = None
    subscriber_number: str | None = None
    queue_wait_seconds: float | None = None
    operator_channel: str = "left"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Ingested:
    call: Call
    created: bool
    job_id: int | None = None


def _resolve_operator(login: str | None) -> User | None:
    if not login:
        return None
    user = find_user(login)
    if user is None or user.role != Role.OPERATOR:
        raise IngestError("unknown_operator", f"Оператор с логином «{login}» не найден.")
    return user


def _resolve_carrier(code: str | None) -> Carrier | None:
    if not code:
        return None
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == code.strip().lower()))
    if carrier is None:
        known = ", ".join(c.code for c in db.session.scalars(select(Carrier).order_by(Carrier.id)))
        raise IngestError("unknown_carrier", f"Неизвестный оператор связи «{code}». Допустимо: {known}.")
    return carrier


def metadata_from_name(filename: str, meta: CallMeta) -> CallMeta:
    """Fill what the caller did not give from a recorder file name (Asterisk MixMonitor ...)."""
    found = speech.parse_recording_name(filename) or {}
    meta.direction = meta.direction or found.get("direction")
    meta.started_at = meta.started_at or found.get("started_at")
    meta.subscriber_number = meta.subscriber_number or found.get("subscriber_number")
    return meta


def ingest_recording(stream: BinaryIO, filename: str, meta: CallMeta, *, source: str,
                     uploaded_by: User | None) -> Ingested:
    """Store a recording once and queue its processing.

    The same audio (by SHA-256) returns the existing call and stores nothing twice. Bad audio or
    metadata raises :class:`IngestError` and leaves nothing behind.
    """
    settings = current_app.config["ULYBKA"]
    operator = _resolve_operator(meta.operator)
    carrier = _resolve_carrier(meta.carrier)
    if meta.operator_channel not in ("left", "right"):
        raise IngestError("bad_channel", "Канал оператора — только left или right.")
    try:
        incoming = store.receive(stream, settings.audio_dir, current_app.config["MAX_CONTENT_LENGTH"])
    except store.TooLarge:
        limit = current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        raise IngestError("too_large", f"Файл больше допустимых {limit} МБ.") from None
    existing = db.session.scalar(select(Call).where(Call.sha256 == incoming.sha256))
    if existing is not None:
        incoming.discard()
        return Ingested(existing, False)
    try:
        info = speech.probe(incoming.path)
    except speech.AudioDecodeError as exc:
        incoming.discard()
        raise IngestError(exc.code, say(exc)) from None
    meta = metadata_from_name(filename, meta)
    rel = store.keep(incoming, settings.audio_dir, Path(filename).suffix)
    call = Call(sha256=incoming.sha256, original_name=Path(filename).name[:255], stored_path=rel,
                size_bytes=incoming.size, audio_format=info.codec, channels=info.channels,
                sample_rate=info.sample_rate, duration=info.duration, operator=operator,
                carrier=carrier, direction=meta.direction, started_at=meta.started_at,
                subscriber_number=meta.subscriber_number,
                queue_wait_seconds=meta.queue_wait_seconds, operator_channel=meta.operator_channel,
                source=source, uploaded_by=uploaded_by)
    db.session.add(call)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        twin = db.session.scalar(select(Call).where(Call.sha256 == incoming.sha256))
        if twin is None:  # not the same audio arriving concurrently: a real error
            (settings.audio_dir / rel).unlink(missing_ok=True)
            raise
        return Ingested(twin, False)
    audit.record(uploaded_by, "call.ingest", "call", call.id, name=call.original_name, source=source)
    job = enqueue("calls.process", call_id=call.id)
    db.session.commit()  # the processing job goes on the queue with this commit
    log.info("call %s ingested from %s (%s)", call.id, source, call.original_name)
    return Ingested(call, True, job.id)


def prompt_for(call: Call) -> str | None:
    """The recogniser's prompt for a call, or ``None`` when ``ULYBKA_ASR_PROMPT`` is off.

    Off by default: on the labelled eval calls a prompt made recognition worse and slower
    (WER 0.49 → 0.57 and 28× → 21× real time on the 5-minute call, standards agreement
    0.88 → 0.83; see README), and a greeting the model could not hear came back as the
    prompt's own words."""
    settings = current_app.config["ULYBKA"]
    if not settings.asr_prompt:
        return None
    first_name = call.operator.full_name.split()[0] if call.operator else None
    terms = [call.carrier.name] if call.carrier else []
    return speech.build_prompt(settings.company_name, first_name, terms)


def _set_stage(call: Call, stage: str) -> None:
    call.status = stage
    db.session.commit()


def fail_call(call: Call, code: str, reason: str) -> None:
    call.status, call.failure_code, call.failure_reason = "failed", code, reason
    call.processed_at = utcnow()
    db.session.commit()


def process_call(args: dict[str, Any], job_id: int) -> None:
    """Decode, transcribe and measure a call (a job); the call's status follows each stage."""
    call = db.session.get(Call, args["call_id"])
    if call is None:
        raise JobError(f"call {args['call_id']} no longer exists")
    settings = current_app.config["ULYBKA"]
    call.failure_code = call.failure_reason = None
    try:
        result = speech.analyse(audio_path(call), operator_channel=call.operator_channel,
                                model_cache=settings.model_dir, prompt=prompt_for(call),
                                company=settings.company_name,
                                on_stage=lambda stage: _set_stage(call, stage))
    except speech.AudioDecodeError as exc:
        db.session.rollback()
        fail_call(call, exc.code, say(exc))
        raise JobError(str(exc)) from None
    data = result.to_dict()
    call.duration = data["duration"]
    call.diarization = data.get("diarization")
    call.segments_original = data["segments"]
    call.segments = redact_segments(data["segments"])
    call.metrics = data["metrics"]
    call.asr_backend = data.get("backend") or "faster-whisper"
    call.status, call.processed_at = "done", utcnow()
    db.session.commit()
    announce("call.processed", call)


def process_failed(job: Job) -> None:
    """A processing job failed for the last time: the call says so, with what to do."""
    call = db.session.get(Call, job.args.get("call_id"))
    if call is not None and call.status != "failed":
        fail_call(call, "processing_error",
                  "Не удалось обработать запись после нескольких попыток. "
                  "Повторите обработку на странице «Очередь задач».")


def reprocess(call: Call, *, actor: User | None) -> None:
    call.status, call.failure_code, call.failure_reason = "queued", None, None
    audit.record(actor, "call.reprocess", "call", call.id)
    enqueue("calls.process", call_id=call.id)
    db.session.commit()


def meta_from_form(form) -> CallMeta:
    """Metadata sent with an upload (web form or API JSON); empty values mean "unknown"."""
    def text(name: str) -> str | None:
        value = (form.get(name) or "").strip()
        return value or None

    started = text("started_at")
    wait = text("queue_wait_seconds")
    try:
        started_at = datetime.fromisoformat(started) if started else None
        if started_at is not None and started_at.tzinfo is None:
            from app.formatting import MOSCOW

            started_at = started_at.replace(tzinfo=MOSCOW)
        queue_wait = float(wait) if wait else None
    except ValueError:
        raise IngestError("bad_metadata", "Время начала — в формате ГГГГ-ММ-ДДTЧЧ:ММ, ожидание — "
                                          "число секунд.") from None
    direction = text("direction")
    if direction not in (None, "inbound", "outbound"):
        raise IngestError("bad_metadata", "Направление звонка — inbound или outbound.")
    return CallMeta(operator=text("operator"), carrier=text("carrier"), direction=direction,
                    started_at=started_at, subscriber_number=text("subscriber_number"),
                    queue_wait_seconds=queue_wait, operator_channel=text("operator_channel") or "left")


def ingest_uploads(files, form, user: User) -> list[dict[str, Any]]:
    """Ingest every uploaded file; one bad file does not stop the others."""
    if not files or all(not f.filename for f in files):
        return [{"file": "", "error": {"code": "no_file",
                                       "message": f"Выберите хотя бы один файл ({ACCEPTED})."}}]
    results = []
    for upload in files:
        try:
            meta = meta_from_form(form)
            done = ingest_recording(upload.stream, upload.filename or "recording", meta,
                                    source="upload", uploaded_by=user)
        except IngestError as exc:
            db.session.rollback()
            results.append({"file": upload.filename, "error": {"code": exc.code, "message":
                                                               f"{upload.filename}: {exc.message}"}})
            continue
        verb = "загружен" if done.created else "уже был загружен раньше"
        results.append({"file": upload.filename, "id": done.call.id, "status": done.call.status,
                        "created": done.created, "url": f"/calls/{done.call.id}",
                        "message": f"{upload.filename}: {verb}, звонок №{done.call.id}."})
    return results

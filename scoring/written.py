"""Standards of a written conversation (a chat): what only makes sense in writing, and which of
the spoken standards a chat cannot be judged on.

A chat comes to :func:`scoring.evaluate` as a call object whose ``metrics`` say
``"medium": "chat"``: each message is a segment (``start``/``end`` in seconds from the chat's
start), with no audio. Spoken standards (:data:`SPOKEN`) are then *not applicable*, never
failed. The written ones (:data:`WRITTEN_DETECTORS`) apply only to chats (gate ``written``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import cues
from .context import Context
from .transcript import Transcript
from .verdicts import Finding

SPOKEN = frozenset({"no_interruption", "hold_etiquette"})  # detectors that need a voice
# a chat's subscriber signed in to the cabinet by number and one-time code: already identified
SIGNED_IN = frozenset({"identification"})
REPLY_MINUTES = 3
WALL_CHARS = 700


def is_written(tr: Transcript) -> bool:
    return tr.metrics.get("medium") == "chat"


def not_written(tr: Transcript, detector: str) -> Finding | None:
    """Why a standard does not apply to a chat at all, or None when it does."""
    if detector in SPOKEN:
        note = "в переписке не оценивается: стандарт о живой речи"
    elif detector in SIGNED_IN:
        note = "абонент вошёл в кабинет по номеру и коду: личность уже подтверждена"
    else:
        return None
    return Finding(None, (cues.call_evidence(tr, note),), 1.0)


def gate_written(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding | None:
    """Only in a chat."""
    if is_written(tr):
        return None
    return Finding(None, (cues.call_evidence(tr, "оценивается только в переписке"),), 1.0)


def detect_reply_time(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """Every message of the subscriber gets an answer within ``minutes`` (3 by default)."""
    limit = float(params.get("minutes", REPLY_MINUTES)) * 60
    worst = None
    waiting_since = None
    for turn in tr.turns:
        if turn.speaker == "subscriber":  # waiting from the first unanswered message
            waiting_since = turn.segments[0].end if waiting_since is None else waiting_since
        elif waiting_since is not None:
            delay = turn.start - waiting_since
            if worst is None or delay > worst[0]:
                worst = (delay, turn)
            waiting_since = None
    if worst is None:
        return Finding(None, (cues.call_evidence(tr, "абоненту не пришлось ждать ответа"),), 0.9)
    delay, turn = worst
    minutes = int(limit // 60)
    if delay <= limit:
        return Finding(True, (cues.turn_evidence(turn, f"самый долгий ответ — через {round(delay)} с"),), 1.0)
    late = f"ответ через {round(delay / 60, 1)} мин — дольше {minutes} мин".replace(".", ",")
    return Finding(False, (cues.turn_evidence(turn, late),), 1.0)


def detect_no_wall_of_text(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """No operator message longer than ``max_chars`` (700 by default): a wall of pasted text."""
    limit = int(params.get("max_chars", WALL_CHARS))
    for segment in tr.segments:
        if segment.speaker == "operator" and len(segment.text) > limit:
            turn = next(t for t in tr.turns if segment in t.segments)
            note = f"сообщение из {len(segment.text)} знаков — больше {limit}: разбейте на короткие"
            return Finding(False, (cues.turn_evidence(turn, note),), 1.0)
    note = f"все сообщения оператора не длиннее {limit} знаков"
    return Finding(True, (cues.call_evidence(tr, note, "operator"),), 1.0)


def detect_addressed_by_name(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """The operator addresses the subscriber by name at least once (when the name is known)."""
    name = (ctx.subscriber_name or "").strip()
    if not name:
        return Finding(None, (cues.call_evidence(tr, "имя абонента неизвестно"),), 0.9)
    for turn in tr.turns_of("operator"):
        found = cues.find_name(turn.tokens, (name,), 85.0)
        if found is not None:
            i, j, ratio = found
            return Finding(True, (cues.span_evidence(turn.tokens, i, j, "обращение по имени"),), ratio)
    note = f"оператор ни разу не обратился к абоненту по имени ({name})"
    return Finding(False, (cues.call_evidence(tr, note, "operator"),), 0.9)


WRITTEN_DETECTORS = {"reply_time": detect_reply_time, "no_wall_of_text": detect_no_wall_of_text,
                     "addressed_by_name": detect_addressed_by_name}

"""A call as JSON (CLI ``calls show --json`` and ``GET /api/v1/calls/<id>``) and as a page."""

from __future__ import annotations

from typing import Any

from app.calls.queries import mask_number
from app.calls.timeline import render_timeline
from app.features import announce
from app.models import Call


def call_summary(call: Call) -> dict[str, Any]:
    return {
        "id": call.id,
        "status": call.status,
        "file": call.original_name,
        "duration": call.duration,
        "operator": call.operator.login if call.operator else None,
        "carrier": call.carrier.code if call.carrier else None,
        "direction": call.direction,
        "started_at": call.started_at.isoformat() if call.started_at else None,
        "subscriber_number": mask_number(call.subscriber_number) if call.subscriber_number else None,
        "created_at": call.created_at.isoformat(),
        "failure": ({"code": call.failure_code, "reason": call.failure_reason}
                    if call.status == "failed" else None),
    }


def call_to_dict(call: Call) -> dict[str, Any]:
    data = call_summary(call)
    data.update({
        "channels": call.channels,
        "diarization": call.diarization,
        "speakers": ["operator", "subscriber"] if call.segments else [],
        "segments": call.segments or [],
        "metrics": call.metrics or {},
        "sha256": call.sha256,
    })
    for extra in announce("call.json", call):  # e.g. QA adds standards and score
        data.update(extra)
    return data


def call_view(call: Call, *, original: bool = False) -> dict[str, Any]:
    segments = (call.segments_original if original else call.segments) or []
    metrics = call.metrics or {}
    ctx = {
        "call": call,
        "segments": segments,
        "original": original,
        "metrics": metrics,
        "speakers": metrics.get("speakers", {}),
        "masked_number": mask_number(call.subscriber_number),
        "timeline": render_timeline(segments, metrics, call.duration or 0.0),
        "redacted": any(s.get("redacted") for s in (call.segments or [])),
    }
    for extra in announce("call.page", call):
        ctx.update(extra)
    return ctx

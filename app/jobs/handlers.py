"""Diagnostic jobs: prove the queue works end to end (``ulybka jobs ping``, status page)."""

from __future__ import annotations

import time
from typing import Any

from app import audit


def echo(args: dict[str, Any], job_id: int) -> None:
    if args.get("fail_times", 0) and _attempts(job_id) <= args["fail_times"]:
        raise RuntimeError(f"requested failure on attempt {_attempts(job_id)}")
    audit.record(None, "diagnostics.echo", "job", job_id, message=args.get("message", ""))


def sleep(args: dict[str, Any], job_id: int) -> None:
    time.sleep(float(args.get("seconds", 1)))
    audit.record(None, "diagnostics.sleep", "job", job_id, seconds=args.get("seconds", 1))


def _attempts(job_id: int) -> int:
    from app.extensions import db
    from app.models import Job

    return db.session.get(Job, job_id).attempts

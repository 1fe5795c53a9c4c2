"""``ulybka ingest`` and ``ulybka calls``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask

if TYPE_CHECKING:
    from app.models import Call

import carriers
from app.console import CliError, emit, with_app

AUDIO_SUFFIXES = {".wav", ".mp3", ".ogg", ".opus", ".flac", ".oga"}


def expand(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise CliError(f"{raw}: no such file or directory")
    return files


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--operator", help="Operator login the calls belong to.")
@click.option("--carrier", type=click.Choice(carriers.CODES))
@click.option("--operator-channel", type=click.Choice(["left", "right"]), default="left",
              show_default=True, help="Operator's side of stereo recordings.")
@click.option("--wait", is_flag=True, help="Process the calls before returning.")
@click.option("--json", "as_json", is_flag=True, help="Print the calls as JSON.")
@with_app
def ingest(app: Flask, paths: tuple[str, ...], operator: str | None, carrier: str | None,
           operator_channel: str, wait: bool, as_json: bool) -> None:
    """Ingest recordings (files or folders): store once, transcribe and score."""
    from app.calls.operations import CallMeta, IngestError, ingest_recording
    from app.calls.serialize import call_summary, call_to_dict
    from app.extensions import db
    from app.jobs.operations import execute_job

    files = expand(paths)
    if not files:
        raise CliError("no audio files found (accepted: " + ", ".join(sorted(AUDIO_SUFFIXES)) + ")")
    results, failures = [], 0
    with click.progressbar(files, label="ingesting", file=sys.stderr,
                           item_show_func=lambda p: p.name if p else "") as bar:
        for path in bar:
            meta = CallMeta(operator=operator, carrier=carrier, operator_channel=operator_channel)
            try:
                with open(path, "rb") as stream:
                    done = ingest_recording(stream, path.name, meta, source="cli", uploaded_by=None)
            except IngestError as exc:
                db.session.rollback()
                failures += 1
                results.append({"file": str(path), "error": {"code": exc.code, "message": exc.message}})
                continue
            if wait:
                run_jobs_of_call(done.call.id, execute_job)
                db.session.refresh(done.call)
            data = call_to_dict(done.call) if wait else call_summary(done.call)
            results.append({**data, "file": str(path), "created": done.created})
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1, default=str))
    else:
        for r in results:
            if "error" in r:
                click.echo(f"{r['file']}: error: {r['error']['message']}", err=True)
            else:
                state = "new" if r["created"] else "duplicate"
                click.echo(f"call {r['id']}: {r['status']} ({state}) {r['file']}")
    if failures:
        sys.exit(1)


def run_jobs_of_call(call_id: int, execute) -> None:
    """Run here, in order, the queued jobs of a call (processing, then scoring it enqueued)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Job

    while True:
        jobs = [j for j in db.session.scalars(select(Job).where(Job.status == "queued",
                                                                 Job.kind.like("calls.%"))
                                              .order_by(Job.id))
                if j.args.get("call_id") == call_id]
        if not jobs:
            return
        execute(jobs[0].id)


@click.group()
def calls() -> None:
    """Inspect calls."""


def _call(call_id: int) -> Call:
    """The call with this id, else a one-line error."""
    from app.extensions import db
    from app.models import Call

    call = db.session.get(Call, call_id)
    if call is None:
        raise CliError(f"no call with id {call_id}")
    return call


@calls.command("survey-link")
@click.argument("call_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print {call_id, url, valid_days} as JSON.")
@with_app
def calls_survey_link(app: Flask, call_id: int, as_json: bool) -> None:
    """Print the subscriber's survey link for a call: rate once, valid 7 days."""
    from app.qa import survey

    call = _call(call_id)
    url = survey.link_for(call)
    emit({"call_id": call.id, "url": url, "valid_days": survey.VALID_FOR.days}, as_json, url)


@calls.command("show")
@click.argument("call_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The call object as JSON.")
@with_app
def calls_show(app: Flask, call_id: int, as_json: bool) -> None:
    """Show a call: status, transcript by speaker, metrics."""
    from app.calls.serialize import call_to_dict

    data = call_to_dict(_call(call_id))
    if as_json:
        emit(data, True)
        return
    click.echo(f"call {data['id']} [{data['status']}] {data['file']} {data['duration'] or 0:.1f}s")
    if data["failure"]:
        click.echo(f"  failed: {data['failure']['reason']}")
    for seg in data["segments"]:
        who = "OP " if seg["speaker"] == "operator" else "SUB"
        click.echo(f"  {seg['start']:7.2f} {who} {seg['text']}")


@calls.command("remove-audio")
@click.option("--older-than", "days", type=click.IntRange(min=1), required=True,
              help="Remove the recordings of calls older than this many days.")
@click.option("--json", "as_json", is_flag=True, help="Print {removed, bytes, kept_for_disputes} as JSON.")
@with_app
def calls_remove_audio(app: Flask, days: int, as_json: bool) -> None:
    """Remove old recordings now (what the daily task does with ULYBKA_AUDIO_KEEP_DAYS).

    The calls stay with their transcripts, verdicts and grades; a call with an open dispute
    keeps its recording.
    """
    from app.calls.retention import remove_old_audio

    report = remove_old_audio(days)
    emit(report, as_json, f"removed {report['removed']} recording(s), {report['bytes']} bytes; "
                          f"kept for open disputes: {report['kept_for_disputes']}")

"""``ulybka tickets list|show|create`` and ``ulybka subscribers show``."""

from __future__ import annotations

import click
from flask import Flask

import tickets as domain
from app.console import CliError, emit, with_app
from app.models import TICKET_CHANNELS, TICKET_TYPES


def _ticket(number: int):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Ticket

    ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
    if ticket is None:
        raise CliError(f"no ticket #{number}")
    return ticket


@click.group()
def tickets() -> None:
    """Subscribers' tickets: list, show, create."""


@tickets.command("list")
@click.option("--status", help="A status (new, open, pending_subscriber, …), 'active' (default: every "
                               "open one) or 'all'.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the tickets as JSON rows.")
@with_app
def tickets_list(app: Flask, status: str | None, limit: int, as_json: bool) -> None:
    """List tickets, the nearest deadline first."""
    from app.extensions import db
    from app.tickets.queries import queue_select, ticket_json

    if status and status not in (*domain.STATUSES, "active", "all"):
        raise CliError(f"unknown status {status!r}; accepted: {', '.join(domain.STATUSES)}, active, all")
    rows = db.session.scalars(queue_select(None, {"status": status or "active"}).limit(limit)).all()
    data = [ticket_json(t) for t in rows]
    emit(data, as_json, "\n".join(f"#{d['number']} [{d['status']}] {d['sla']['state']:8} {d['subject']}"
                                  for d in data) or "no tickets")


@tickets.command("show")
@click.argument("number", type=int)
@click.option("--json", "as_json", is_flag=True, help="The ticket with its comments (oldest first) and SLA.")
@with_app
def tickets_show(app: Flask, number: int, as_json: bool) -> None:
    """Show ticket #NUMBER: the thread and the SLA clocks."""
    from app.tickets.queries import ticket_json

    data = ticket_json(_ticket(number), with_comments=True)
    if as_json:
        emit(data, True)
        return
    click.echo(f"#{data['number']} [{data['status']}] {data['subject']} — SLA {data['sla']['state']}")
    for c in data["comments"]:
        who = "subscriber" if c["from_subscriber"] else (c["author"] or "system")
        click.echo(f"  {c['created_at']} {who}{'' if c['public'] else ' (note)'}: {c['body']}")


@tickets.command("create")
@click.option("--phone", required=True, help="The subscriber's number (+79161234567, 8 916 …).")
@click.option("--type", "ticket_type", type=click.Choice(TICKET_TYPES), required=True)
@click.option("--option", help="The option's code (option_on, option_off).")
@click.option("--tariff", help="The tariff's code (tariff_change).")
@click.option("--subject", required=True)
@click.option("--body", default="")
@click.option("--channel", type=click.Choice(TICKET_CHANNELS), default="phone", show_default=True)
@click.option("--priority", type=click.Choice(tuple(domain.PRIORITIES)), default="normal", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print {id, number} as JSON.")
@with_app
def tickets_create(app: Flask, phone: str, ticket_type: str, option: str | None, tariff: str | None,
                   subject: str, body: str, channel: str, priority: str, as_json: bool) -> None:
    """Create a ticket for a subscriber of the base."""
    from app.extensions import db
    from app.tickets import operations

    try:
        subscriber = operations.find_subscriber(phone)
        if subscriber is None:
            raise CliError(f"{phone}: not in the subscriber base (numbers are portable: the range tells "
                           "nothing about the carrier)")
        ticket = operations.create_ticket(channel=channel, type=ticket_type, subject=subject, body=body,
                                          subscriber=subscriber, option=option, tariff=tariff,
                                          priority=priority)
    except operations.TicketFlowError as exc:
        db.session.rollback()
        raise CliError(str(exc)) from None
    db.session.commit()
    emit({"id": ticket.id, "number": ticket.number}, as_json, f"ticket #{ticket.number} created")


@click.group()
def subscribers() -> None:
    """The subscriber base."""


@subscribers.command("show")
@click.argument("phone")
@click.option("--json", "as_json", is_flag=True,
              help="Print {phone, carrier, tariff, options, tariffs_available, balance} as JSON.")
@with_app
def subscribers_show(app: Flask, phone: str, as_json: bool) -> None:
    """Show a subscriber by number."""
    from app.tickets import operations

    try:
        subscriber = operations.find_subscriber(phone)
    except operations.TicketFlowError as exc:
        raise CliError(str(exc)) from None
    if subscriber is None:
        raise CliError(f"{phone}: not in the subscriber base")
    data = operations.subscriber_json(subscriber)
    emit(data, as_json, f"{data['phone']} {data['carrier']} tariff {data['tariff']} options "
                        f"{', '.join(data['options']) or '-'} balance {data['balance']:.2f}")


@tickets.command("act")
@click.argument("number", type=int)
@click.option("--wait", is_flag=True, help="Run the action here, retries included, until it is final.")
@click.option("--json", "as_json", is_flag=True,
              help='With --wait: {"status": "done|failed|manual", "attempts", "reference"}; '
                   'without: {"status": "queued", "job"}.')
@with_app
def tickets_act(app: Flask, number: int, wait: bool, as_json: bool) -> None:
    """Carry out ticket #NUMBER's option or tariff request in the carrier's system (via the job queue)."""
    import time

    from app.extensions import db
    from app.jobs.operations import execute_job
    from app.models import Job
    from app.tickets import actions, operations

    ticket = _ticket(number)
    try:
        action, _ = actions.request_action(ticket, None)
    except operations.TicketFlowError as exc:
        db.session.rollback()
        raise CliError(str(exc)) from None
    db.session.commit()
    if not wait or action.status in ("done", "failed", "manual"):
        queued = not wait and action.status in ("queued", "running")
        data = {"status": "queued", "job": action.job_id} if queued else actions.action_json(action)
        emit(data, as_json, f"ticket #{number}: {data['status']}")
        return
    while action.status in ("queued", "running"):
        job = db.session.get(Job, action.job_id)
        if job is None or job.status not in ("queued", "running"):
            break
        delay = execute_job(job.id) if job.status == "queued" else 1.0
        db.session.expire_all()
        action = db.session.get(type(action), action.id)
        if delay and action.status in ("queued", "running"):
            time.sleep(delay)
    data = actions.action_json(action)
    emit(data, as_json, f"ticket #{number}: {data['status']} after {data['attempts']} attempt(s)"
                        f"{' — ' + data['reference'] if data['reference'] else ''}")


@click.command("carrier-sandbox")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8025, show_default=True, type=click.IntRange(1, 65535))
@click.option("--fail-first", type=click.IntRange(min=0), default=0,
              help="The first K submissions are applied, then time out (the hard case for idempotency).")
@click.option("--latency-ms", type=click.IntRange(min=0), default=0, help="Delay every answer.")
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0.0,
              help="Share of requests answered with a 503 or with garbage.")
@click.option("--hang-s", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="How long a timed-out submission hangs before the connection is dropped.")
def carrier_sandbox(host: str, port: int, fail_first: int, latency_ms: int, fail_rate: float,
                    hang_s: float) -> None:
    """Serve the MTS, MegaFon and Beeline back-office protocols on loopback (demo and tests)."""
    from carriers.sandbox import Sandbox

    box = Sandbox(host, port, fail_first=fail_first, latency_ms=latency_ms, fail_rate=fail_rate,
                  hang_s=hang_s)
    click.echo(f"carrier sandbox on {box.url} (MTS /mts, MegaFon /megafon, Beeline /beeline; "
               "operations: /_sandbox/operations?phone=P)")
    try:
        box.serve()
    except KeyboardInterrupt:
        pass
    finally:
        box.server.server_close()

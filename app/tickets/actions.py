"""Carrier actions from a ticket: the option or tariff a ticket asks for, carried out in the
subscriber's carrier's system by a job (``tickets.carrier_action``), never twice.

One action per ticket request, under one idempotency key: a double click or a second ``act``
finds the action already there; the job's retries reuse the key, and the adapter asks about the
earlier submission (or reads the line, for the carrier that keeps no key) before submitting again
(:func:`carriers.runner.carry_out`). The result, the carrier's reference, the line before and
after and whether that is what the ticket asked for are written to the action and to the ticket
(an internal note and its history). A request the carrier has no API for (porting, device set-up)
becomes a manual task with a checklist, confirmed by hand.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

import carriers
from app import audit
from app.extensions import db
from app.jobs.operations import enqueue
from app.models import CarrierAction, Role, Ticket, User, utcnow
from app.tickets import operations
from app.wording import say
from carriers.adapters import Settings, adapter
from carriers.protocol import CarrierError, CarrierUnavailable, Line, Operation
from carriers.runner import carry_out

log = logging.getLogger("ulybka.tickets")
KINDS = {"option_on": "enable_option", "option_off": "disable_option", "tariff_change": "change_tariff"}
MANUAL = {
    "porting": ["Проверить паспортные данные абонента", "Проверить, что нет задолженности",
                "Подать заявление в систему оператора связи", "Сообщить абоненту дату переноса"],
    "device_setup": ["Уточнить модель устройства", "Отправить настройки", "Перезагрузить профиль в сети",
                     "Проверить с абонентом, что всё работает"],
}
MAX_ATTEMPTS = 5


def _settings(code: str) -> Settings:
    config = current_app.config["ULYBKA"]
    for carrier, url, user, secret in config.carrier_systems:
        if carrier == code:
            return Settings(url, user, secret)
    return Settings(config.carrier_sandbox_url)


def adapter_for(code: str):
    """The adapter of the carrier, pointed at its real system or the sandbox (the app's seam)."""
    return adapter(code, _settings(code))


def _line_json(line: Line) -> dict[str, Any]:
    return {"tariff": line.tariff, "options": list(line.options), "balance": line.balance,
            "status": line.status}


def _check_gate(ticket: Ticket, actor: User | None) -> None:
    if actor is not None and actor.role == Role.OPERATOR and ticket.subscriber is not None:
        from app.exams.admission import admission_of

        line = ticket.subscriber.carrier
        admission = admission_of(actor)[line.code]
        if not admission.admitted:
            raise operations.TicketFlowError(
                f"Действия в системе {line.name} выполняют операторы с допуском к линии: {admission.reason}")


def request_action(ticket: Ticket, actor: User | None) -> tuple[CarrierAction, bool]:
    """The ticket's action, created and queued on the first call; the same one after that
    (a failed one is queued again). Returns the action and whether a job was queued now.

    :raises TicketFlowError: no subscriber, nothing the carrier can do for this ticket, no line gate.
    """
    if ticket.subscriber is None:
        raise operations.TicketFlowError("У обращения нет абонента из базы: действовать не у кого.")
    if ticket.status in ("closed", "rejected"):
        raise operations.TicketFlowError(
            f"Обращение #{ticket.number} закрыто: действия по нему не выполняются.")
    _check_gate(ticket, actor)
    kind = KINDS.get(ticket.type) or ("manual" if ticket.type in MANUAL else None)
    if kind is None:
        raise operations.TicketFlowError("Для этого вида обращения действий в системе оператора связи нет.")
    code = ticket.requested.get("tariff") or ticket.requested.get("option") or ""
    action = db.session.scalar(select(CarrierAction).where(
        CarrierAction.ticket_id == ticket.id, CarrierAction.kind == kind, CarrierAction.code == code))
    if action is not None and action.status != "failed":
        return action, False
    if action is None:
        action = CarrierAction(ticket_id=ticket.id, carrier=ticket.subscriber.carrier.code, kind=kind,
                               code=code, key=f"ulybka-{ticket.number}-{kind}-{code}"[:80], actor=actor)
        try:
            with db.session.begin_nested():  # two clicks at once: the second finds the first's action
                db.session.add(action)
        except IntegrityError:
            first = db.session.scalar(select(CarrierAction).where(
                CarrierAction.ticket_id == ticket.id, CarrierAction.kind == kind, CarrierAction.code == code))
            return first, False
    action.status, action.error = ("manual", "") if kind == "manual" else ("queued", "")
    db.session.flush()
    if kind == "manual":
        checklist = "\n".join(f"☐ {step}" for step in MANUAL[ticket.type])
        operations.add_comment(ticket, f"Ручная задача для бэк-офиса {ticket.subscriber.carrier.name}:\n"
                                       f"{checklist}", author=actor, public=False)
        return action, False
    action.job_id = enqueue("tickets.carrier_action", max_attempts=MAX_ATTEMPTS, action_id=action.id).id
    operations.record_change(ticket, "action", None, f"{kind} {code}", actor)
    audit.record(actor, "carrier.action.request", "ticket", ticket.number, kind=kind, code=code)
    return action, True


def run_action(args: dict[str, Any], job_id: int) -> None:
    """The job: one attempt; a transient failure raises, so the queue retries with back-off."""
    action = db.session.get(CarrierAction, args["action_id"])
    if action is None or action.status in ("done", "failed", "manual"):
        return  # done already: a retried or duplicated job changes nothing
    ticket = action.ticket
    action.status, action.attempts = "running", action.attempts + 1
    db.session.commit()
    operation = Operation(action.kind, ticket.subscriber.phone, action.code)
    client = adapter_for(action.carrier)
    try:
        if action.before is None:  # the line as it was before the first attempt, for the audit
            action.before = _line_json(client.get_line(operation.phone))
            db.session.commit()
        result = carry_out(client, operation, action.key)
    except CarrierUnavailable as exc:
        action.status, action.error = "queued", say(exc)
        db.session.commit()
        raise
    except CarrierError as exc:
        _finish(action, "failed", error=say(exc))
        return
    action.reference = result.submission.reference
    action.after = _line_json(result.after)
    if result.submission.state == "failed":
        note = result.submission.note or "без объяснений"
        _finish(action, "failed", error=f"Оператор связи отказал: {note}.")
        return
    action.matches = operation.done_in(result.after)
    subscriber = ticket.subscriber
    subscriber.tariff, subscriber.options = result.after.tariff, list(result.after.options)
    subscriber.balance = Decimal(str(result.after.balance))
    _finish(action, "done")


def _finish(action: CarrierAction, status: str, *, error: str = "") -> None:
    action.status, action.error, action.finished_at = status, error, utcnow()
    ticket = action.ticket
    name = carriers.carrier_name(action.carrier)
    what = carriers.describe(action.carrier, action.kind, action.code)
    if status == "done":
        check = "совпадает с заявкой" if action.matches else "НЕ совпадает с заявкой — проверьте вручную"
        text = (f"Выполнено в системе {name}: {what} (номер операции "
                f"{action.reference or 'не выдан — изменение подтверждено по данным абонента'}). "
                f"Состояние абонента после операции {check}.")
    else:
        text = f"Не выполнено в системе {name}: {what}. {error}"
    operations.add_comment(ticket, text, public=False, mail=False)
    operations.record_change(ticket, "action", None, f"{action.kind} {action.code}: {status}", None)
    db.session.commit()
    log.info("carrier action %s for ticket #%s: %s after %d attempt(s)", action.id, ticket.number, status,
             action.attempts)


def action_failed(job) -> None:
    """After the last attempt: the action failed, the ticket says why."""
    action = db.session.get(CarrierAction, job.args["action_id"])
    if action is not None and action.status not in ("done", "failed"):
        _finish(action, "failed",
                error=f"Оператор связи не ответил за {action.attempts} попыток: {action.error}")


def confirm_manual(action: CarrierAction, actor: User) -> None:
    """The back-office operator did it by hand (once: a second click finds it done)."""
    done = db.session.execute(update(CarrierAction).where(CarrierAction.id == action.id,
                                                          CarrierAction.status == "manual")
                              .values(status="done", finished_at=utcnow(), actor_id=actor.id))
    if done.rowcount != 1:
        raise operations.TicketFlowError("Эта задача уже отмечена выполненной или не ручная.")
    db.session.expire(action)
    operations.record_change(action.ticket, "action", "manual", "done", actor)
    operations.add_comment(action.ticket, "Ручная задача выполнена.", author=actor, public=False)


def action_json(action: CarrierAction) -> dict[str, Any]:
    return {"status": action.status if action.status != "running" else "queued",
            "attempts": action.attempts, "reference": action.reference, "matches": action.matches,
            "error": action.error or None, "before": action.before, "after": action.after}

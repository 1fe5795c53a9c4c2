"""The cabinet's JSON API for a mobile app (``/api/v1/cabinet``), on the same rules as the pages.

``POST /cabinet/otp {"phone"}`` → 202 (the same for numbers not in the base);
``POST /cabinet/session {"phone", "code"}`` → ``{"token"}``, a key of the subscriber's account
(revoked like any API key); with ``Authorization: Bearer TOKEN``: ``GET /cabinet/me``,
``GET/POST /cabinet/tickets``, ``GET /cabinet/tickets/N`` (another subscriber's → 404).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request

from app.access import PUBLIC, access, storable_text
from app.access import api_error as error
from app.api.blueprint import api_blueprint
from app.cabinet import operations, otp
from app.extensions import db, limiter
from app.models import Role, Subscriber, Ticket
from app.tickets.operations import TicketFlowError
from app.tickets.queries import ticket_json
from app.users import issue_api_key

bp = api_blueprint("cabinet_api", __name__)
TOKEN_NAME = "Личный кабинет (приложение)"


def _rate_limit() -> str:
    return current_app.config["CABINET_RATE_LIMIT"]


def _body() -> dict[str, Any] | None:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict) or any(v is not None and not storable_text(v) for v in data.values()):
        return None
    return data


def me_json(subscriber: Subscriber) -> dict[str, Any]:
    line = operations.line_of(subscriber)
    return {"phone": subscriber.phone, "name": subscriber.full_name, "carrier": subscriber.carrier.code,
            "carrier_name": subscriber.carrier.name, "status": subscriber.status,
            "tariff": {"code": subscriber.tariff, "name": line["tariff_name"]},
            "options": [{"code": o.code, "name": o.name} for o in line["options"]],
            "balance": str(subscriber.balance)}


def cabinet_ticket_json(ticket: Ticket, *, with_comments: bool = False) -> dict[str, Any]:
    """A request as its subscriber sees it: the ticket contract keys, no staff logins, no notes."""
    data = ticket_json(ticket)
    for staff_only in ("assignee", "contact_email", "calls"):
        data.pop(staff_only, None)
    thread = operations.public_thread(ticket)
    data["comment_count"] = len(thread)
    data["promise"] = operations.promise(ticket)
    if with_comments:
        data["body"] = ticket.body
        data["comments"] = [{"id": c.id, "from_subscriber": c.from_subscriber, "body": c.body,
                             "author": c.author.full_name if c.author and not c.from_subscriber else None,
                             "created_at": c.created_at.isoformat()} for c in thread]
    return data


def _own() -> Subscriber | None:
    return operations.subscriber_of(g.api_user)


@bp.route("/cabinet/otp", methods=["POST"])
@access(PUBLIC)
@limiter.limit(_rate_limit)
def otp_request():
    data = _body()
    if data is None or not data.get("phone"):
        return error(400, "bad_json", 'Send {"phone": "+79161234567"}')
    try:
        sent = otp.request_code(data["phone"], address=request.remote_addr or "")
    except otp.TooSoon as exc:
        db.session.rollback()
        response = error(429, "too_soon", str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except otp.CabinetError as exc:
        db.session.rollback()
        return error(400, "bad_phone", str(exc))
    db.session.commit()
    return jsonify({"phone": sent.phone, "valid_minutes": sent.valid_minutes}), 202


@bp.route("/cabinet/session", methods=["POST"])
@access(PUBLIC)
@limiter.limit(_rate_limit)
def session_create():
    data = _body()
    if data is None or not data.get("phone") or not data.get("code"):
        return error(400, "bad_json", 'Send {"phone": "+79161234567", "code": "123456"}')
    subscriber, reason = otp.verify_code(data["phone"], data["code"])
    if subscriber is None:
        db.session.commit()  # the wrong try counts
        return error(401, "bad_code", reason)
    _, token = issue_api_key(subscriber.user, TOKEN_NAME, actor=subscriber.user)
    db.session.commit()
    return jsonify({"token": token, "phone": subscriber.phone})


@bp.route("/cabinet/me", methods=["GET"])
@access(Role.SUBSCRIBER, via="api")
def me():
    subscriber = _own()
    if subscriber is None:
        return error(404, "not_found", "This account has no subscriber number")
    return jsonify(me_json(subscriber))


@bp.route("/cabinet/tickets", methods=["GET"])
@access(Role.SUBSCRIBER, via="api")
def tickets_list():
    subscriber = _own()
    rows = operations.tickets_of(subscriber) if subscriber else []
    return jsonify({"items": [cabinet_ticket_json(t) for t in rows], "total": len(rows)})


@bp.route("/cabinet/tickets/<int:number>", methods=["GET"])
@access(Role.SUBSCRIBER, via="api")
def ticket_detail(number: int):
    subscriber = _own()
    ticket = operations.find_own_ticket(subscriber, number) if subscriber else None
    if ticket is None:
        return error(404, "not_found", f"No request #{number}")
    return jsonify(cabinet_ticket_json(ticket, with_comments=True))


@bp.route("/cabinet/tickets", methods=["POST"])
@access(Role.SUBSCRIBER, via="api")
def ticket_create():
    subscriber = _own()
    data = _body()
    if subscriber is None:
        return error(404, "not_found", "This account has no subscriber number")
    if data is None or not data.get("type"):
        return error(400, "bad_json", 'Send {"type": "option_on|option_off|tariff_change|balance|'
                                      'device_setup|complaint|other", "option"?, "tariff"?, "subject"?, '
                                      '"body"?}')
    fields = {k: data.get(k) or "" for k in ("type", "option", "tariff", "subject", "body")}
    try:
        ticket = operations.create_request(subscriber, **fields)
    except (otp.CabinetError, TicketFlowError) as exc:
        db.session.rollback()
        return error(400, "refused", str(exc))
    db.session.commit()
    return jsonify(cabinet_ticket_json(ticket, with_comments=True)), 201

"""Tickets in the JSON API: list, one ticket, create (``/api/v1/tickets``)."""

from __future__ import annotations

from flask import g, jsonify, request

from app.access import access, storable_text, whole_number
from app.access import api_error as error
from app.api.blueprint import api_blueprint
from app.extensions import db
from app.tickets import operations, queries

bp = api_blueprint("tickets_api", __name__)
MAX_PAGE = 200


@bp.route("/tickets", methods=["GET"])
@access(*operations.WORKERS, via="api")
def tickets_list():
    limit = min(whole_number(request.args.get("limit")) or 50, MAX_PAGE)
    page = min(whole_number(request.args.get("page")) or 1, queries.MAX_PAGE)
    pagination = db.paginate(queries.queue_select(g.api_user, request.args), page=page, per_page=limit,
                             error_out=False)
    return jsonify({"items": [queries.ticket_json(t) for t in pagination.items], "total": pagination.total,
                    "page": page})


@bp.route("/tickets/<int:number>", methods=["GET"])
@access(*operations.WORKERS, via="api")
def ticket_detail(number: int):
    ticket = (db.session.scalar(queries.visible(g.api_user).where(queries.Ticket.number == number))
              if whole_number(number) else None)
    if ticket is None:
        return error(404, "not_found", f"No ticket #{number}")
    return jsonify(queries.ticket_json(ticket, with_comments=True))


FIELDS = ("phone", "type", "subject", "body", "option", "tariff", "priority", "channel")


@bp.route("/tickets", methods=["POST"])
@access(*operations.WORKERS, via="api")
def ticket_create():
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    if not isinstance(data, dict):
        return error(400, "bad_json", "Send a JSON object: {phone, type, subject, [body, option, tariff, "
                                      "priority, channel: phone|api]}")
    missing = [k for k in ("phone", "type", "subject") if not data.get(k)]
    if missing:
        return error(400, "missing_fields", f"Missing: {', '.join(missing)}")
    wrong = [k for k in FIELDS if data.get(k) is not None and not storable_text(data[k])]
    if wrong:
        return error(400, "bad_fields", f"These must be text: {', '.join(wrong)}")
    channel = data.get("channel") or "api"
    if channel not in ("api", "phone"):
        return error(400, "bad_channel", "channel: api (default) or phone (taken on a call); mail, the web "
                                         "form, the cabinet and the chat make their own tickets")
    try:
        subscriber = operations.find_subscriber(data["phone"])
        if subscriber is None:
            return error(404, "unknown_subscriber", f"{data['phone']} is not in the subscriber base")
        ticket = operations.create_ticket(
            channel=channel, type=data["type"], subject=data["subject"], body=data.get("body") or "",
            subscriber=subscriber, option=data.get("option") or None, tariff=data.get("tariff") or None,
            priority=data.get("priority") or "normal", actor=g.api_user)
    except operations.TicketFlowError as exc:
        db.session.rollback()
        return error(400, "refused", str(exc))
    db.session.commit()
    return jsonify(queries.ticket_json(ticket, with_comments=True)), 201

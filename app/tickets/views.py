"""Ticket pages: the queue (filters, bulk assign), a new ticket, the ticket page and its actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.access import access, get_or_404, whole_number
from app.calls.queries import load_call
from app.extensions import db
from app.fragments import render_page
from app.models import Call, User
from app.outcome import perform
from app.tickets import operations, queries

bp = Blueprint("tickets", __name__, url_prefix="/tickets")
WORKERS = operations.WORKERS


@bp.route("/")
@access(*WORKERS)
def queue():
    page = request.args.get("page", 1, type=int)
    return render_page("tickets/queue.html", block="results",
                       **queries.queue_context(current_user, request.args, page))


@bp.route("/bulk-assign", methods=["POST"])
@access(*WORKERS)
def bulk_assign():
    numbers = [n for n in map(whole_number, request.form.getlist("number")) if n is not None]
    raw = request.form.get("assignee", "").strip()
    user = get_or_404(User, whole_number(raw) or -1) if raw else None
    chosen = [queries.load_ticket(current_user, n) for n in numbers]
    perform(lambda: [operations.assign(t, user, current_user) for t in chosen],
            lambda done: f"Назначено обращений: {len(done)}." if done else "Отметьте обращения в списке.")
    return redirect(url_for("tickets.queue", **{k: v for k, v in request.args.items()}))


@bp.route("/new", methods=["GET", "POST"])
@access(*WORKERS)
def new():
    raw_call = request.values.get("call", "").strip()
    call = load_call(current_user, whole_number(raw_call) or -1) if raw_call else None
    form = {"phone": call.subscriber_number if call and call.subscriber_number else "", "type": "other",
            "channel": "phone", "subject": "", "body": "", "option": "", "tariff": "",
            "priority": "normal"}
    form.update({k: v for k, v in request.form.items() if k in form})
    error = None
    if request.method == "POST":
        done = perform(lambda: _create(form, call), lambda t: f"Обращение #{t.number} создано.", quiet=True)
        if done:
            return redirect(url_for("tickets.show", number=done.value.number))
        error = done.message
    return render_template("tickets/new.html", form=form, call=call, error=error,
                           **queries.ticket_form_context()), 400 if error else 200


def _create(form: dict[str, str], call: Call | None):
    subscriber = operations.find_subscriber(form["phone"])
    if subscriber is None:
        raise operations.TicketFlowError(
            f"Номера {form['phone']} нет в базе абонентов. Проверьте номер: номера переносятся между "
            "операторами связи, поэтому по коду его не определить.")
    return operations.create_ticket(channel=form["channel"], type=form["type"], subject=form["subject"],
                                    body=form["body"], subscriber=subscriber, option=form["option"] or None,
                                    tariff=form["tariff"] or None, priority=form["priority"],
                                    actor=current_user, call=call)


@bp.route("/<int:number>")
@access(*WORKERS)
def show(number: int):
    ticket = queries.load_ticket(current_user, number)
    return render_template("tickets/show.html", **queries.ticket_page(ticket, current_user))


@bp.route("/<int:number>/comment", methods=["POST"])
@access(*WORKERS)
def comment(number: int):
    ticket = queries.load_ticket(current_user, number)
    public = request.form.get("kind") == "reply"  # anything else stays inside, as a note
    perform(lambda: operations.add_comment(ticket, request.form.get("body", ""), author=current_user,
                                           public=public),
            "Ответ отправлен абоненту." if public else "Заметка сохранена.")
    return redirect(url_for("tickets.show", number=number, _anchor="thread"))


@bp.route("/<int:number>/status", methods=["POST"])
@access(*WORKERS)
def status(number: int):
    ticket = queries.load_ticket(current_user, number)
    perform(lambda: operations.change_status(ticket, request.form.get("status", ""), current_user),
            "Состояние обращения изменено.")
    return redirect(url_for("tickets.show", number=number))


@bp.route("/<int:number>/assign", methods=["POST"])
@access(*WORKERS)
def assign(number: int):
    ticket = queries.load_ticket(current_user, number)
    raw = request.form.get("assignee", "").strip()
    user = db.session.get(User, whole_number(raw)) if whole_number(raw) else None
    if raw and user is None:
        flash("Такого сотрудника нет: выберите исполнителя из списка.", "error")
        return redirect(url_for("tickets.show", number=number))
    perform(lambda: operations.assign(ticket, user, current_user),
            f"Обращение передано: {user.full_name}." if user else "Исполнитель снят.")
    return redirect(url_for("tickets.show", number=number))


@bp.route("/<int:number>/link-call", methods=["POST"])
@access(*WORKERS)
def link_call(number: int):
    ticket = queries.load_ticket(current_user, number)
    call_id = whole_number(request.form.get("call_id"))
    if call_id is None:
        flash("Укажите номер звонка — целое число.", "error")
    else:
        call = load_call(current_user, call_id)
        perform(lambda: operations.link_call(ticket, call, current_user), f"Звонок №{call.id} привязан.")
    return redirect(url_for("tickets.show", number=number))


@bp.route("/<int:number>/act", methods=["POST"])
@access(*WORKERS)
def act(number: int):
    from app.tickets import actions

    ticket = queries.load_ticket(current_user, number)
    perform(lambda: actions.request_action(ticket, current_user),
            lambda result: "Действие поставлено в очередь: результат появится в переписке." if result[1]
            else "Это действие уже запрошено: его состояние — в блоке «Оператор связи».")
    return redirect(url_for("tickets.show", number=number))


@bp.route("/<int:number>/actions/<int:action_id>/confirm", methods=["POST"])
@access(*WORKERS)
def confirm_action(number: int, action_id: int):
    from app.models import CarrierAction
    from app.tickets import actions

    ticket = queries.load_ticket(current_user, number)
    action = get_or_404(CarrierAction, action_id)
    if action.ticket_id != ticket.id:
        abort(404)
    perform(lambda: actions.confirm_manual(action, current_user), "Ручная задача отмечена выполненной.")
    return redirect(url_for("tickets.show", number=number))


@bp.route("/<int:number>/attachments/<int:attachment_id>")
@access(*WORKERS)
def attachment(number: int, attachment_id: int):
    """A file that came with the ticket's mail, as it came (always a download, never shown inline)."""
    from flask import current_app, send_file

    from app.models import TicketAttachment

    ticket = queries.load_ticket(current_user, number)
    row = get_or_404(TicketAttachment, attachment_id)
    path = current_app.config["ULYBKA"].attachments_dir / row.stored_path
    if row.ticket_id != ticket.id or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=row.filename,
                     mimetype="application/octet-stream", max_age=0)

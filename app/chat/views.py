"""Chat pages and the JSON calls their script makes: the subscriber's chat (``/chat/``) and the
operator's console (``/chat/console``). Live events come from the chat stream server; everything
written goes through here (session, CSRF, the one commit of :func:`app.outcome.perform`)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from app.access import access, storable_text, whole_number
from app.cabinet.operations import own_subscriber
from app.chat import bus, operations
from app.extensions import db
from app.models import Chat, Role, Ticket, User
from app.outcome import perform

bp = Blueprint("chat", __name__, url_prefix="/chat")
HOLDERS = (Role.OPERATOR, Role.MANAGER)


def _data() -> dict[str, str]:
    """The request's fields that are text that can be stored, or whole numbers (as text); anything
    else (a list, an object, a lone surrogate) is left out, so the operation says what is missing
    instead of failing."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        data = None
    data = data if isinstance(data, dict) else request.form.to_dict()
    fields = {k: str(v) for k, v in data.items() if isinstance(v, int) and not isinstance(v, bool)}
    fields.update({k: v for k, v in data.items() if storable_text(v)})
    return fields


def _after() -> int:
    return whole_number(request.args.get("after")) or 0


def _done(action, answer) -> Any:
    """Run one operation; JSON of ``answer(result)``, or 400 with the refusal in Russian."""
    done = perform(action, quiet=True)
    if not done:
        return jsonify({"error": {"code": "refused", "message": done.message}}), 400
    return jsonify(answer(done.value))


def _config(side: str, channels: list[str], base: str = "") -> dict[str, str]:
    return {"side": side, "base": base, "stream": f"{current_app.config['ULYBKA'].chat_url}/stream?token="
            + bus.stream_token(channels)}


def _channels(user: User) -> list[str]:
    """What a person's pages hear: their own channel, and an operator's lines' queues."""
    if user.role == Role.SUBSCRIBER:
        return [bus.user_channel(user.id)]
    return [bus.user_channel(user.id), *(bus.queue_channel(c) for c in operations.admitted_lines(user))]


@bp.route("/stream-token")
@access(Role.SUBSCRIBER, *HOLDERS)
def stream_token():
    """A fresh stream address for the page whose token ran out (an hour) or was refused."""
    return jsonify({"stream": _config("", _channels(current_user))["stream"]})


# --- the subscriber ------------------------------------------------------------------------

def _own_chat() -> Chat:
    chat = operations.open_chat_of(own_subscriber(current_user))
    if chat is None:
        chat = operations.last_chat_of(own_subscriber(current_user))
    if chat is None:
        abort(404)
    return chat


@bp.route("/")
@access(Role.SUBSCRIBER)
def mine():
    subscriber = own_subscriber(current_user)
    chat = operations.open_chat_of(subscriber) or operations.last_chat_of(subscriber)
    return render_template("chat/mine.html", chat=chat, rating=operations.rating_of(chat) if chat else None,
                           state=operations.chat_json(chat, side="subscriber") if chat else None,
                           messages=operations.messages_after(chat) if chat else [],
                           config=_config("subscriber", _channels(current_user),
                                          url_for("chat.mine") + "mine"))


@bp.route("/open", methods=["POST"])
@access(Role.SUBSCRIBER)
def open_chat():
    subscriber = own_subscriber(current_user)
    perform(lambda: operations.open_chat(subscriber))
    return redirect(url_for("chat.mine"))


@bp.route("/mine/messages", methods=["GET", "POST"])
@access(Role.SUBSCRIBER)
def my_messages():
    chat = _own_chat()
    if request.method == "GET":
        return jsonify({"chat": operations.chat_json(chat, side="subscriber"),
                        "messages": operations.messages_after(chat, _after())})
    data = _data()
    return _done(lambda: operations.send(chat, data.get("body", ""), data.get("client_id", ""),
                                         author=current_user, from_subscriber=True), operations.message_json)


def _upload(chat: Chat, **who: Any) -> Any:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return jsonify({"error": {"code": "refused", "message": "Выберите файл."}}), 400
    data, client_id = upload.read(), request.form.get("client_id", "")
    kind = (upload.mimetype or "").lower()
    return _done(lambda: operations.send_file(chat, client_id, upload.filename, kind, data, **who),
                 operations.message_json)


def _download(chat: Chat, message_id: int) -> Any:
    row = operations.file_of(chat, message_id)
    if row is None:
        abort(404)
    path = current_app.config["ULYBKA"].attachments_dir / row.file_path
    return send_file(path, as_attachment=True, download_name=row.file_name,
                     mimetype="application/octet-stream")


@bp.route("/mine/files", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_upload():
    return _upload(_own_chat(), author=current_user, from_subscriber=True)


@bp.route("/mine/files/<int:message_id>")
@access(Role.SUBSCRIBER)
def my_file(message_id: int):
    return _download(_own_chat(), message_id)


@bp.route("/mine/typing", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_typing():
    operations.typing(_own_chat(), side="subscriber")
    return jsonify({"ok": True})


@bp.route("/mine/read", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_read():
    chat, upto = _own_chat(), _data().get("upto")
    return _done(lambda: operations.mark_read(chat, upto, side="subscriber"), lambda _: {"ok": True})


@bp.route("/mine/ticket", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_ticket():
    chat = _own_chat()
    return _done(lambda: operations.leave_as_ticket(chat), lambda t: {"ticket": t.number})


@bp.route("/mine/rating", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_rating():
    chat = _own_chat()
    perform(lambda: operations.rate(chat, request.form.get("stars"), request.form.get("comment", "")),
            "Спасибо за оценку!")
    return redirect(url_for("chat.mine"))


@bp.route("/mine/close", methods=["POST"])
@access(Role.SUBSCRIBER)
def my_close():
    chat = _own_chat()
    return _done(lambda: operations.close(chat, "left", current_user, side="subscriber"),
                 lambda _: {"ok": True})


# --- the operator --------------------------------------------------------------------------

def _console_state(user: User) -> dict[str, Any]:
    return {"waiting": [operations.chat_json(c, side="operator") | {"preview": _preview(c)}
                        for c in operations.waiting_for(user)],
            "mine": [operations.chat_json(c, side="operator") for c in operations.held_by(user)],
            "limit": operations.limit_per_operator()}


def _preview(chat: Chat) -> str:
    first = next((m for m in operations.messages_after(chat, 0, 5) if m["from"] == "subscriber"), None)
    return first["body"][:140] if first else ""


def _operator_chat(chat_id: int) -> Chat:
    """A chat the operator holds, or a waiting one of a line they are admitted to; 404 otherwise."""
    chat = db.session.get(Chat, whole_number(chat_id)) if whole_number(chat_id) else None
    if chat is None:
        abort(404)
    if current_user.role == Role.MANAGER or chat.operator_id == current_user.id:
        return chat
    if chat.status == "queued" and chat.carrier.code in operations.admitted_lines(current_user):
        return chat
    abort(404)


@bp.route("/console")
@access(*HOLDERS)
def console():
    lines = operations.admitted_lines(current_user)
    channels = _channels(current_user)
    state = _console_state(current_user)
    wanted = whole_number(request.args.get("chat"))
    current = next((c for c in operations.held_by(current_user) if c.id == wanted), None)
    if current is None and operations.held_by(current_user) and wanted is None:
        current = operations.held_by(current_user)[0]
    colleagues = operations.colleagues_for(current, current_user) if current else []
    return render_template("chat/console.html", state=state, lines=lines, colleagues=colleagues,
                           outcomes=operations.OUTCOMES, config=_config("operator", channels),
                           closed=request.args.get("closed") == "1",
                           closed_ticket=whole_number(request.args.get("ticket")),
                           current=current,
                           current_state=operations.chat_json(current, side="operator") if current else None,
                           open_tickets=operations.open_tickets_of(current) if current else [],
                           messages=operations.messages_after(current) if current else [])


@bp.route("/console/state")
@access(*HOLDERS)
def console_state():
    return jsonify(_console_state(current_user))


@bp.route("/<int:chat_id>/take", methods=["POST"])
@access(*HOLDERS)
def take(chat_id: int):
    chat = db.session.get(Chat, whole_number(chat_id)) if whole_number(chat_id) else None
    if chat is None or chat.carrier.code not in operations.admitted_lines(current_user):
        abort(404)
    if chat.status != "queued" and chat.operator_id != current_user.id:
        message = ("Этот чат уже взял другой оператор." if chat.status == "active"
                   else "Этот чат уже завершён.")
        return jsonify({"error": {"code": "refused", "message": message}}), 400
    return _done(lambda: operations.take(chat, current_user),
                 lambda _: operations.chat_json(chat, side="operator"))


@bp.route("/<int:chat_id>/messages", methods=["GET", "POST"])
@access(*HOLDERS)
def messages(chat_id: int):
    chat = _operator_chat(chat_id)
    if request.method == "GET":
        return jsonify({"chat": operations.chat_json(chat, side="operator"),
                        "messages": operations.messages_after(chat, _after())})
    if chat.operator_id != current_user.id:
        return jsonify({"error": {"code": "refused", "message": "Сначала возьмите чат."}}), 400
    data = _data()
    return _done(lambda: operations.send(chat, data.get("body", ""), data.get("client_id", ""),
                                         author=current_user), operations.message_json)


@bp.route("/<int:chat_id>/files", methods=["POST"])
@access(*HOLDERS)
def upload(chat_id: int):
    chat = _operator_chat(chat_id)
    if chat.operator_id != current_user.id:
        return jsonify({"error": {"code": "refused", "message": "Сначала возьмите чат."}}), 400
    return _upload(chat, author=current_user)


@bp.route("/<int:chat_id>/files/<int:message_id>")
@access(*HOLDERS)
def file(chat_id: int, message_id: int):
    return _download(_operator_chat(chat_id), message_id)


@bp.route("/<int:chat_id>/typing", methods=["POST"])
@access(*HOLDERS)
def typing(chat_id: int):
    operations.typing(_operator_chat(chat_id), side="operator")
    return jsonify({"ok": True})


@bp.route("/<int:chat_id>/read", methods=["POST"])
@access(*HOLDERS)
def read(chat_id: int):
    chat, upto = _operator_chat(chat_id), _data().get("upto")
    return _done(lambda: operations.mark_read(chat, upto, side="operator"), lambda _: {"ok": True})


@bp.route("/<int:chat_id>/transfer", methods=["POST"])
@access(*HOLDERS)
def transfer(chat_id: int):
    chat = _operator_chat(chat_id)
    to = db.session.get(User, whole_number(_data().get("operator")) or 0)
    if to is None:
        return jsonify({"error": {"code": "refused", "message": "Выберите, кому передать чат."}}), 400
    return _done(lambda: operations.transfer(chat, to, current_user), lambda _: {"ok": True})


@bp.route("/<int:chat_id>/close", methods=["POST"])
@access(*HOLDERS)
def close(chat_id: int):
    chat, data = _operator_chat(chat_id), _data()
    number = whole_number(data.get("ticket"))
    if data.get("ticket") and number is None:
        return jsonify({"error": {"code": "refused",
                                  "message": "Номер обращения — число, например 1042."}}), 400
    join = db.session.scalar(select(Ticket).where(Ticket.number == number)) if number else None
    if number and join is None:
        return jsonify({"error": {"code": "refused", "message": f"Обращения #{number} нет."}}), 400
    outcome = data.get("outcome", "")
    if outcome not in operations.OPERATOR_OUTCOMES:
        return jsonify({"error": {"code": "refused", "message": "Выберите итог: вопрос решён, оформлено "
                                                                  "обращение или абонент ушёл."}}), 400
    return _done(lambda: operations.close(chat, outcome, current_user, side="operator", join=join),
                 lambda _: {"ok": True, "ticket": chat.ticket.number if chat.ticket else None})


@bp.route("/canned")
@access(*HOLDERS)
def canned():
    """Ready answers from the knowledge base: the best articles' snippets as plain text."""
    from app.kb.search import search

    query = (request.args.get("q") or "").strip()[:200]
    if not query:
        return jsonify({"items": []})
    result = search(query, request.args.get("carrier") or None, limit=5)
    return jsonify({"items": [{"title": h.article.title, "text": operations.ready_answer(h.article.id)}
                              for h in result.hits]})


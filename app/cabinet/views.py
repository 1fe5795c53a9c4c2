"""The subscriber cabinet (``/cabinet``): sign-in by phone and code, the line, requests, threads,
files and ratings. Mobile-first; every page is scoped to the signed-in subscriber."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user, login_user

from app.access import PUBLIC, access, whole_number
from app.cabinet import operations, otp
from app.extensions import db, limiter, login_manager
from app.models import Role
from app.outcome import perform

bp = Blueprint("cabinet", __name__, url_prefix="/cabinet")
login_manager.blueprint_login_views["cabinet"] = "cabinet.login"  # not the staff sign-in
PHONE_KEY = "cabinet_phone"
TOO_MANY = "Слишком много попыток с этого адреса. Подождите минуту."


def _rate_limit() -> str:
    return current_app.config["CABINET_RATE_LIMIT"]


def _files() -> list[tuple[str, str, bytes]]:
    return [(f.filename or "файл", (f.mimetype or "").lower(), f.read())
            for f in request.files.getlist("files") if f and f.filename]


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_rate_limit, methods=["POST"], error_message=TOO_MANY)
def login():
    if current_user.is_authenticated and current_user.role == Role.SUBSCRIBER:
        return redirect(url_for("cabinet.home"))
    phone = request.form.get("phone", session.get(PHONE_KEY, ""))
    if request.method == "GET":
        return render_template("cabinet/login.html", phone=phone)
    done = perform(lambda: otp.request_code(phone, address=request.remote_addr or ""), quiet=True)
    if not done:
        return render_template("cabinet/login.html", phone=phone, error=done.message), 429 if isinstance(
            done.refusal, otp.TooSoon) else 400
    session[PHONE_KEY] = done.value.phone
    return redirect(url_for("cabinet.code"))


@bp.route("/login/code", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(_rate_limit, methods=["POST"], error_message=TOO_MANY)
def code():
    phone = session.get(PHONE_KEY)
    if not phone:
        return redirect(url_for("cabinet.login"))
    if request.method == "GET":
        return render_template("cabinet/code.html", phone=phone, minutes=otp._minutes(otp.VALID_FOR))
    subscriber, error = otp.verify_code(phone, request.form.get("code", ""))
    if subscriber is None:
        db.session.commit()  # the wrong try counts
        return render_template("cabinet/code.html", phone=phone, error=error,
                               minutes=otp._minutes(otp.VALID_FOR)), 401
    session.pop(PHONE_KEY, None)
    login_user(subscriber.user, remember=True)
    db.session.commit()
    return redirect(url_for("cabinet.home"))


@bp.route("/")
@access(Role.SUBSCRIBER)
def home():
    return render_template("cabinet/home.html", overview=operations.overview(current_user))


@bp.route("/requests/new", methods=["GET", "POST"])
@access(Role.SUBSCRIBER)
def new_request():
    subscriber = operations.own_subscriber(current_user)
    form = {k: request.values.get(k, "") for k in ("type", "option", "tariff", "subject", "body")}
    context = {"line": operations.line_of(subscriber), "form": form, "kinds": operations.REQUEST_TYPES,
               "types": operations.tickets.TYPES}
    if request.method == "GET":
        return render_template("cabinet/new.html", **context)
    done = perform(lambda: operations.create_request(subscriber, files=_files(), **form), quiet=True)
    if not done:
        return render_template("cabinet/new.html", error=done.message, **context), 400
    return redirect(url_for("cabinet.request_page", number=done.value.number, sent=1))


@bp.route("/requests/<int:number>")
@access(Role.SUBSCRIBER)
def request_page(number: int):
    subscriber = operations.own_subscriber(current_user)
    ticket = operations.own_ticket(subscriber, number)
    return render_template("cabinet/request.html", sent=request.args.get("sent") == "1",
                           **operations.ticket_view(subscriber, ticket))


@bp.route("/requests/<int:number>/messages", methods=["POST"])
@access(Role.SUBSCRIBER)
def write(number: int):
    ticket = operations.own_ticket(operations.own_subscriber(current_user), number)
    perform(lambda: operations.write(ticket, request.form.get("body", ""), _files()), "Сообщение отправлено.")
    return redirect(url_for("cabinet.request_page", number=ticket.number) + "#thread")


@bp.route("/requests/<int:number>/rating", methods=["POST"])
@access(Role.SUBSCRIBER)
def rate(number: int):
    ticket = operations.own_ticket(operations.own_subscriber(current_user), number)
    perform(lambda: operations.rate(ticket, request.form.get("stars"), request.form.get("comment", "")),
            "Спасибо за оценку!")
    return redirect(url_for("cabinet.request_page", number=ticket.number))


@bp.route("/requests/<int:number>/files/<int:file_id>")
@access(Role.SUBSCRIBER)
def file(number: int, file_id: int):
    ticket = operations.own_ticket(operations.own_subscriber(current_user), number)
    row = next((f for f in operations.visible_files(ticket) if f.id == whole_number(file_id)), None)
    if row is None:
        abort(404)
    path = current_app.config["ULYBKA"].attachments_dir / row.stored_path
    return send_file(path, as_attachment=True, download_name=row.filename,
                     mimetype="application/octet-stream")


@bp.route("/tariffs")
@access(Role.SUBSCRIBER)
def tariffs():
    subscriber = operations.own_subscriber(current_user)
    return render_template("cabinet/tariffs.html", line=operations.line_of(subscriber))

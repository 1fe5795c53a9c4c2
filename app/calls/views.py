"""Call list, upload, call page and audio."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app import audit
from app.access import STAFF, access
from app.calls import operations, queries, store
from app.calls.serialize import call_view
from app.extensions import db
from app.formatting import format_datetime
from app.fragments import render_page
from app.models import Role

bp = Blueprint("calls", __name__, url_prefix="/calls")
UPLOADERS = (Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)


@bp.route("/")
@access(*STAFF)
def index():
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    ctx = queries.list_context(current_user, args, request.args.get("page", 1, type=int))
    return render_page("calls/list.html", block="results", **ctx)


@bp.route("/upload", methods=["GET", "POST"])
@access(*UPLOADERS)
def upload():
    if request.method == "GET":
        return render_template("calls/upload.html", **queries.list_context(current_user, {}, 1))
    results = operations.ingest_uploads(request.files.getlist("files"), request.form, current_user)
    if request.accept_mimetypes.best == "application/json":
        status = 200 if all("error" not in r for r in results) else 400
        return jsonify({"results": results}), status
    for r in results:
        flash(r.get("error", {}).get("message") or r["message"], "error" if "error" in r else "success")
    return redirect(url_for("calls.upload"))


@bp.route("/<int:call_id>")
@access(*STAFF)
def show(call_id: int):
    call = queries.load_call(current_user, call_id)
    original = request.args.get("original") == "1" and current_user.role in (Role.MANAGER, Role.ADMIN)
    if original:
        audit.record(current_user, "call.view_original", "call", call.id)
        db.session.commit()
    return render_page("calls/show.html", block="main", **call_view(call, original=original))


@bp.route("/<int:call_id>/audio")
@access(*STAFF)
def audio(call_id: int):
    call = queries.load_call(current_user, call_id)
    path = store.recording(call)
    if path is None:
        return no_recording(call)
    return send_file(path, conditional=True, download_name=call.original_name, max_age=0)


def no_recording(call):
    """410 for a recording removed under the keep period, 404 for one missing from the store."""
    if call.audio_removed_at is not None:
        return render_template(
            "errors/error.html", status=410, title="Запись удалена",
            text=f"Запись звонка № {call.id} удалена {format_datetime(call.audio_removed_at, '%d.%m.%Y')} "
                 "по сроку хранения. Расшифровка и оценки сохранены на странице звонка."), 410
    return render_template(
        "errors/error.html", status=404, title="Запись не найдена",
        text=f"Файла записи звонка № {call.id} нет в хранилище. Сообщите администратору."), 404


@bp.route("/<int:call_id>/reprocess", methods=["POST"])
@access(Role.MANAGER, Role.ADMIN)
def reprocess(call_id: int):
    call = queries.load_call(current_user, call_id)
    operations.reprocess(call, actor=current_user)
    flash("Звонок поставлен на повторную обработку.", "success")
    return redirect(url_for("calls.show", call_id=call.id))

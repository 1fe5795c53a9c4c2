"""Daily listening pages and the recording of an assignment's call."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.access import STAFF, access
from app.calls.views import no_recording
from app.extensions import db
from app.listening import operations as ops
from app.outcome import perform

bp = Blueprint("listening", __name__, url_prefix="/listening")


@bp.route("/")
@access(*STAFF)
def index():
    context = ops.page_for(current_user, date.today())
    db.session.commit()
    return render_template("listening/index.html", **context)


@bp.route("/<int:assignment_id>", methods=["GET", "POST"])
@access(*STAFF)
def assignment(assignment_id: int):
    row = ops.load_assignment(current_user, assignment_id)
    if request.method == "POST":
        if perform(lambda: ops.complete(row, request.form.getlist("answer"), current_user),
                   "Спасибо! Задание выполнено."):
            return redirect(url_for("listening.index"))
    return render_template("listening/assignment.html", **ops.assignment_view(row, current_user))


@bp.route("/<int:assignment_id>/audio")
@access(*STAFF)
def audio(assignment_id: int):
    """The call's recording, for the assignee (even of a colleague's call) and for managers."""
    call, path = ops.recording(ops.load_assignment(current_user, assignment_id))
    if path is None:
        return no_recording(call)
    return send_file(path, conditional=True, download_name=call.original_name, max_age=0)

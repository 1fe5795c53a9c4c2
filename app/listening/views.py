"""Daily listening pages."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

import training
from app.access import STAFF, access, get_or_404
from app.extensions import db
from app.listening import operations as ops
from app.models import ListeningAssignment, Role
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
    row = get_or_404(ListeningAssignment, assignment_id)
    if row.user_id != current_user.id and current_user.role not in (Role.MANAGER, Role.ADMIN):
        abort(403)
    if request.method == "POST":
        if perform(lambda: ops.complete(row, request.form.getlist("answer"), current_user),
                   "Спасибо! Задание выполнено."):
            return redirect(url_for("listening.index"))
    return render_template("listening/assignment.html", a=row, reasons=training.REASON_LABELS)

"""The job queue status page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for

from app.access import access, get_or_404
from app.fragments import render_page
from app.jobs import operations, status
from app.models import Job, Role
from app.outcome import perform

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


@bp.route("/", endpoint="status")
@access(Role.MANAGER, Role.ADMIN)
def status_page():
    return render_page("jobs/status.html", block="main", **status.snapshot())


@bp.route("/ping", methods=["POST"])
@access(Role.MANAGER, Role.ADMIN)
def ping():
    perform(lambda: operations.enqueue("diagnostics.echo", message="проверка очереди"),
            lambda job: f"Проверочная задача №{job.id} поставлена в очередь.")
    return redirect(url_for("jobs.status"))


@bp.route("/<int:job_id>/retry", methods=["POST"])
@access(Role.MANAGER, Role.ADMIN)
def retry(job_id: int):
    job = get_or_404(Job, job_id)
    if job.status != "failed":
        flash("Повторить можно только задачу с ошибкой.", "error")
    else:
        operations.retry_job(job)
        flash(f"Задача №{job.id} снова в очереди.", "success")
    return redirect(url_for("jobs.status"))

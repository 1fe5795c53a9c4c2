"""Exam pages: banks and GIFT import/export, exams, attempts with autosave, grading queue,
admission to the line."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from app.access import STAFF, access, get_or_404
from app.exams import admission, attempts, authoring, queries
from app.exams import bank as banks
from app.exams.forms import ExamForm, GiftImportForm
from app.extensions import db
from app.fragments import render_page
from app.models import Carrier, Exam, ExamAttempt, QuestionBank, Role, User, utcnow
from app.outcome import perform

bp = Blueprint("exams", __name__, url_prefix="/exams")
AUTHORS = (Role.MANAGER, Role.QA_LISTENER)
GRADERS = (Role.MANAGER, Role.QA_LISTENER)


@bp.route("/")
@access(*STAFF)
def index():
    return render_template("exams/index.html", **queries.index_page(current_user))


@bp.route("/banks/import", methods=["GET", "POST"])
@access(*AUTHORS)
def bank_import():
    form = GiftImportForm()
    report = None
    if form.validate_on_submit():
        report = perform(lambda: banks.import_gift(form.bank.data, form.file.data.read())).value
    return render_template(
        "exams/import.html", form=form, report=report, banks=queries.banks(), type_titles=banks.TYPE_TITLES
    )


@bp.route("/banks/<int:bank_id>")
@access(*AUTHORS)
def bank(bank_id: int):
    row = get_or_404(QuestionBank, bank_id)
    return render_template(
        "exams/bank.html", bank=row, categories=banks.categories_of(row), type_titles=banks.TYPE_TITLES
    )


@bp.route("/banks/<int:bank_id>/export")
@access(*AUTHORS)
def bank_export(bank_id: int):
    row = get_or_404(QuestionBank, bank_id)
    return Response(
        banks.export_bank(row),
        mimetype="text/plain; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename=bank-{row.id}.gift"},
    )


@bp.route("/new", methods=["GET", "POST"])
@access(Role.MANAGER)
def exam_new():
    form = ExamForm()
    form.bank_id.choices = [SelectChoice(b.id, b.name) for b in queries.banks()]
    if form.validate_on_submit():
        done = perform(lambda: authoring.create_exam(
            key=authoring.new_exam_key(),
            title=form.title.data,
            bank=get_or_404(QuestionBank, form.bank_id.data),
            picks=authoring.parse_picks(form.picks.data),
            time_limit_min=form.time_limit_min.data,
            attempt_limit=form.attempt_limit.data,
            pass_mark=float(form.pass_mark.data),
            shuffle_questions=form.shuffle_questions.data,
            shuffle_answers=form.shuffle_answers.data,
            carrier=form.carrier.data or None,
            valid_days=form.valid_days.data or 180,
        ), lambda exam: f"Экзамен «{exam.title}» создан.")
        if done:
            return redirect(url_for("exams.index"))
    return render_template("exams/exam_form.html", form=form)


@bp.route("/<int:exam_id>/start", methods=["POST"])
@access(*STAFF)
def start(exam_id: int):
    exam = get_or_404(Exam, exam_id)
    started = perform(lambda: attempts.start_attempt(current_user, exam))
    if not started:
        return redirect(url_for("exams.index"))
    return redirect(url_for("exams.attempt", attempt_id=started.value.id))


def _own_attempt(attempt_id: int) -> ExamAttempt:
    attempt = get_or_404(ExamAttempt, attempt_id)
    if attempt.user_id != current_user.id:
        abort(403)
    return attempt


@bp.route("/attempts/<int:attempt_id>")
@access(*STAFF)
def attempt(attempt_id: int):
    row = _own_attempt(attempt_id)
    if perform(lambda: attempts.expire_overdue(row)).value:
        flash("Время на попытку истекло — засчитаны ответы, сохранённые до конца времени.", "info")
    if row.status != "open":
        return redirect(url_for("exams.result", attempt_id=row.id))
    return render_template(
        "exams/attempt.html", attempt=row, paper=attempts.paper_of(row), deadline=attempts.deadline_of(row),
        server_now=utcnow(),
    )


@bp.route("/attempts/<int:attempt_id>/save", methods=["POST"])
@access(*STAFF)
def save(attempt_id: int):
    row = _own_attempt(attempt_id)
    saved = perform(lambda: attempts.save_responses(row, request.form), quiet=True)
    if not saved:
        perform(lambda: attempts.expire_overdue(row))  # time is up: close it as reopening the page would
        return render_template(
            "exams/_save_state.html", error=saved.message, attempt=row, deadline=attempts.deadline_of(row)
        ), 409
    return render_template("exams/_save_state.html", saved_at=row.saved_at)


@bp.route("/attempts/<int:attempt_id>/submit", methods=["POST"])
@access(*STAFF)
def submit(attempt_id: int):
    row = _own_attempt(attempt_id)
    submitted = perform(lambda: attempts.submit_attempt(row, request.form))
    if not submitted:
        return redirect(url_for("exams.attempt", attempt_id=row.id))
    if submitted.value:
        flash(submitted.value, "error")
    return redirect(url_for("exams.result", attempt_id=row.id))


@bp.route("/attempts/<int:attempt_id>/result")
@access(*STAFF)
def result(attempt_id: int):
    row = get_or_404(ExamAttempt, attempt_id)
    if row.user_id != current_user.id and current_user.role not in (*GRADERS, Role.ADMIN):
        abort(403)
    if row.status == "open":
        return redirect(url_for("exams.attempt", attempt_id=row.id))
    return render_template(
        "exams/result.html", attempt=row, paper=attempts.paper_of(row), result=attempts.result_of(row),
        granted=queries.certifications_granted(row.exam),
    )


@bp.route("/grading")
@access(*GRADERS)
def grading():
    return render_template("exams/grading.html", queue=attempts.grading_queue())


@bp.route("/attempts/<int:attempt_id>/grade", methods=["GET", "POST"])
@access(*GRADERS)
def grade(attempt_id: int):
    row = get_or_404(ExamAttempt, attempt_id)
    wrong: dict[str, str] = {}
    if request.method == "POST":
        try:
            scores = queries.manual_scores(row, request.form)
        except queries.ScoresRefused as exc:
            wrong = exc.fields
            flash(str(exc), "error")
        else:
            if perform(lambda: attempts.grade_manually(row, scores, current_user), "Оценка сохранена."):
                return redirect(url_for("exams.grading"))
    return render_template(
        "exams/grade.html", attempt=row, paper=attempts.paper_of(row), result=attempts.result_of(row),
        typed=request.form, errors=wrong,
    )


@bp.route("/operators/<login>")
@access(*STAFF)
def operator(login: str):
    user = _operator_or_404(login)
    if current_user.role == Role.OPERATOR and user.id != current_user.id:
        abort(403)
    return render_page(
        "exams/operator.html",
        block="lines",
        user=user,
        lines=admission.lines_of(user),
        can_switch=_can_switch(user),
    )


@bp.route("/operators/<login>/lines/<carrier>", methods=["POST"])
@access(Role.OPERATOR, Role.MANAGER, Role.ADMIN)
def availability(login: str, carrier: str):
    user = _operator_or_404(login)
    line = db.session.scalar(select(Carrier).where(Carrier.code == carrier)) or abort(404)
    if not _can_switch(user):
        abort(403)
    available = request.form.get("available") == "1"
    perform(lambda: admission.set_availability(user, line, available),
            f"Линия {line.name}: {'на линии' if available else 'снят с линии'}.")
    return redirect(url_for("exams.operator", login=user.login))


@bp.route("/certifications")
@access(Role.MANAGER, Role.ADMIN)
def certifications():
    return render_template("exams/certifications.html", **queries.certifications_page())


def _operator_or_404(login: str) -> User:
    user = db.session.scalar(select(User).where(User.login == login, User.role == Role.OPERATOR))
    if user is None:
        abort(404)
    return user


def _can_switch(user: User) -> bool:
    return current_user.role in (Role.MANAGER, Role.ADMIN) or current_user.id == user.id

"""QA pages: grading queue and page, disputes, calibration, scorecard, survey, ratings API."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import escape

from app.access import PUBLIC, STAFF, access, get_or_404
from app.access import api_error as error
from app.api.views import bp as api_bp
from app.calls.queries import load_call
from app.fragments import render_block, render_page, retarget
from app.models import CalibrationSession, Call, Dispute, Role
from app.outcome import perform
from app.qa import calibration, operations, queries, survey

bp = Blueprint("qa", __name__, url_prefix="/qa")
GRADERS = (Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)
DECIDERS = (Role.QA_LISTENER, Role.MANAGER)


@bp.route("/")
@access(*GRADERS)
def queue():
    page = request.args.get("page", 1, type=int)
    return render_page("qa/queue.html", block="results",
                       **queries.queue_context(current_user, request.args, page))


@bp.route("/calls/<int:call_id>")
@access(*GRADERS)
def grade(call_id: int):
    call = load_call(current_user, call_id)
    session_id = request.args.get("session", type=int)
    return render_template("qa/grade.html", **queries.grading_context(call, current_user, session_id))


@bp.route("/calls/<int:call_id>/verdict/<key>", methods=["POST"])
@access(*GRADERS)
def save_verdict(call_id: int, key: str):
    call = load_call(current_user, call_id)
    form = request.form
    session_id = form.get("session", type=int)
    if session_id is not None:
        calibration.check_member(session_id, current_user)
    saved = perform(lambda: operations.save_verdict(
        call, key, form.get("verdict", ""), grader=current_user, comment=form.get("comment", ""),
        at_seconds=form.get("at_seconds", type=float), revision_seen=form.get("revision", type=int),
        session_id=session_id), quiet=True)
    if saved:  # only the state line: what the listener does meanwhile stays on the page
        return render_block("qa/grade.html", "criterion_state",
                            **queries.row_context(call, saved.value.key, current_user, session_id,
                                                  saved=True))
    if isinstance(saved.refusal, operations.Conflict):  # the whole row, with both versions
        ctx = queries.row_context(call, key, current_user, session_id,
                                  conflict=saved.refusal.current, mine=form)
        page = make_response(render_block("qa/grade.html", "criterion_row", **ctx), 409)
        return retarget(page, f"#crit-{key}")
    if not queries.has_criterion(call, key):
        return f'<p class="error">{escape(saved.message)}</p>', 400
    return render_block("qa/grade.html", "criterion_state",
                        **queries.row_context(call, key, current_user, session_id,
                                              error=saved.message)), 400


@bp.route("/calls/<int:call_id>/finish", methods=["POST"])
@access(*GRADERS)
def finish(call_id: int):
    call = load_call(current_user, call_id)
    done = perform(lambda: operations.finish_review(call, grader=current_user),
                   f"Оценка звонка №{call.id} завершена и учтена в баллах оператора.")
    if not done:
        return redirect(url_for("qa.grade", call_id=call.id))
    return redirect(url_for("qa.queue"))


@bp.route("/calls/<int:call_id>/dispute", methods=["POST"])
@access(Role.OPERATOR)
def open_dispute(call_id: int):
    call = load_call(current_user, call_id)
    perform(lambda: operations.open_dispute(call, request.form.get("key", ""),
                                            request.form.get("comment", ""), operator=current_user),
            "Спор открыт. Слушатель ОКК или руководитель рассмотрит его.")
    return redirect(url_for("calls.show", call_id=call.id))


@bp.route("/disputes")
@access(*GRADERS)
def disputes():
    return render_template("qa/disputes.html", **queries.disputes_context())


@bp.route("/disputes/<int:dispute_id>", methods=["POST"])
@access(*DECIDERS)
def resolve_dispute(dispute_id: int):
    dispute = get_or_404(Dispute, dispute_id)
    perform(lambda: operations.resolve_dispute(dispute, request.form.get("decision") == "accept",
                                               request.form.get("reason", ""), resolver=current_user),
            "Решение по спору сохранено.")
    return redirect(url_for("qa.disputes"))


@bp.route("/calibration", methods=["GET", "POST"])
@access(*GRADERS)
def calibrations():
    if request.method == "POST":
        if current_user.role not in (Role.MANAGER, Role.ADMIN):
            abort(403)
        done = perform(lambda: calibration.create_session(
            request.form.get("title", ""), request.form.getlist("call_ids", type=int),
            request.form.getlist("listener_ids", type=int), actor=current_user,
        ), "Калибровка создана: слушатели увидят её в своей очереди.")
        if done:
            return redirect(url_for("qa.calibration_report", session_id=done.value.id))
    return render_template("qa/calibrations.html", **calibration.sessions_context(current_user))


@bp.route("/calibration/<int:session_id>")
@access(Role.MANAGER, Role.ADMIN)
def calibration_report(session_id: int):
    session = get_or_404(CalibrationSession, session_id)
    return render_template("qa/calibration_report.html", **calibration.report_context(session))


@bp.route("/scorecard", methods=["GET", "POST"])
@access(Role.MANAGER, Role.ADMIN)
def scorecard():
    if request.method == "POST":
        done = perform(lambda: operations.save_scorecard(
            queries.card_from_form(request.form), queries.forbidden_from_form(request.form),
            actor=current_user,
        ), lambda row: f"Сохранена версия {row.version}. Уже оценённые звонки остались на своей версии.")
        if done:
            return redirect(url_for("qa.scorecard"))
    return render_template("qa/scorecard.html", **queries.scorecard_context(request.form))


@bp.route("/scorecard/rescore", methods=["POST"])
@access(Role.MANAGER, Role.ADMIN)
def rescore():
    count = operations.rescore_all(actor=current_user)
    flash(f"Переоценка по новой версии поставлена в очередь: звонков — {count}.", "success")
    return redirect(url_for("qa.scorecard"))


@bp.route("/survey/<token>", methods=["GET", "POST"])
@access(PUBLIC)
def survey_page(token: str):
    try:
        contact = survey.contact_for_token(token)
    except survey.LinkExpired:
        return render_template("qa/survey.html", call=None, ticket=None, done=False, expired=True), 410
    if contact is None:
        abort(404)
    call, ticket = (contact, None) if isinstance(contact, Call) else (None, contact)
    if ticket is not None and (ticket.resolved_at is None or ticket.status not in ("resolved", "closed")):
        return render_template("qa/survey.html", call=None, ticket=ticket, done=False, unresolved=True)
    done = operations.rating_of(call, ticket) is not None
    if request.method == "POST" and not done:
        done = perform(lambda: operations.add_rating(
            stars=request.form.get("stars"), comment=request.form.get("comment", ""),
            call_id=call.id if call else None, ticket_ref=str(ticket.number) if ticket else None,
        )).done
    return render_template("qa/survey.html", call=call, ticket=ticket, done=done)


@api_bp.route("/ratings", methods=["POST"])
@access(*STAFF, via="api")
def api_rating():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return error(400, "bad_request", 'Send JSON: {"call_id": 12, "stars": 5, "comment": "..."} '
                                         'or {"ticket": "T-1", "stars": 4}')
    rated = perform(lambda: operations.add_rating(
        stars=data.get("stars"), comment=data.get("comment", ""), call_id=data.get("call_id"),
        ticket_ref=data.get("ticket"), source="api"), quiet=True)
    if not rated:
        text = rated.message or ""
        status = 404 if "нет." in text else 409 if "уже оцен" in text else 400
        code = {404: "not_found", 409: "duplicate", 400: "invalid"}[status]
        return error(status, code, text)
    rating = rated.value
    return jsonify({"id": rating.id, "call_id": rating.call_id, "ticket": rating.ticket_ref,
                    "stars": rating.stars}), 201

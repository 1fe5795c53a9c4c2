"""Pages of the games area: leaderboards, TV board, badges, challenges, rules and settings."""

from __future__ import annotations

import json

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

import games
from app.access import STAFF, access
from app.extensions import db
from app.fragments import render_page
from app.games import operations, queries, rules_form
from app.games.forms import BoardSettingsForm, ChallengeForm, RulesForm
from app.models import GameRuleset, Role, Team
from app.outcome import perform
from games.russian import standard_title

bp = Blueprint("games", __name__)
MANAGERS = (Role.MANAGER, Role.ADMIN)


def _board_from_args():
    args = request.args
    return queries.make_board(args.get("period"), args.get("by"), args.get("team"), args.get("carrier"),
                              args.get("normalise") == "1", args.get("min_calls") or 0)


@bp.route("/games/")
@access(*STAFF)
def leaderboard():
    try:
        board = _board_from_args()
    except queries.BoardError as error:  # a read: nothing to commit or roll back
        flash(str(error), "error")
        board = queries.Board()
    return render_page("games/leaderboard.html", block="board", **queries.board_context(board))


@bp.route("/tv")
@access(*STAFF)
def tv():
    return render_page("games/tv.html", block="board", **queries.tv_context())


@bp.route("/games/badges")
@access(*STAFF)
def badges():
    return render_template("games/badges.html", cards=queries.badge_cards(current_user),
                           is_operator=current_user.role == Role.OPERATOR)


@bp.route("/games/challenges")
@access(*STAFF)
def challenges():
    return render_template("games/challenges.html", **queries.challenges_context())


def _team_choices(form: ChallengeForm) -> None:
    teams = [SelectChoice(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))]
    form.team_id.choices = [SelectChoice(0, "Все операторы"), *teams]
    form.rival_team_id.choices = [SelectChoice(0, "—"), *teams]


@bp.route("/games/challenges/new", methods=["GET", "POST"])
@access(*MANAGERS)
def challenge_new():
    form = ChallengeForm()
    _team_choices(form)
    if form.validate_on_submit():
        created = perform(lambda: operations.create_challenge(
            title=form.title.data, kind=form.kind.data, metric=form.metric.data,
            target=form.target.data, starts_at=form.moscow(form.starts_at.data),
            ends_at=form.moscow(form.ends_at.data), team_id=form.team_id.data or None,
            rival_team_id=form.rival_team_id.data or None, standard=form.standard.data or None,
            actor=current_user,
        ), lambda row: f"Челлендж «{row.title}» создан.", quiet=True)
        if created:
            return redirect(url_for("games.challenges"))
        form.form_errors.append(created.message)
    return render_template("games/challenge_form.html", form=form), 400 if form.errors else 200


@bp.route("/games/rules", methods=["GET", "POST"])
@access(*MANAGERS)
def rules():
    """The points rules as a form (a preview of last week, then save), or as JSON for experts.

    Every POST has passed the app-wide CSRF check before it gets here.
    """
    current = operations.active_ruleset()
    form = RulesForm()
    settings = BoardSettingsForm(prefix="s", data={k: operations.get_setting(k)
                                                   for k in operations.SETTINGS_DEFAULTS})
    view, preview, json_problems, data = rules_form.view_of(current), None, [], None
    if request.method == "POST" and "rules_json" in request.form:
        if form.validate():
            try:
                data = json.loads(form.rules_json.data)
            except json.JSONDecodeError as error:
                json_problems = [f"Это не JSON: строка {error.lineno}, столбец {error.colno} — {error.msg}."]
    elif request.method == "POST":
        view, data = rules_form.read(current, request.form)
        if data is not None and request.form.get("action") == "preview":
            preview, data = rules_form.preview(current, games.RuleSet.from_dict(data)), None
    if data is not None:
        saved = perform(lambda: operations.save_ruleset(data, current_user),
                        lambda row: f"Правила сохранены как версия {row.version}. "
                                    "Новые события считаются по ним.", quiet=True)
        if saved:
            return redirect(url_for("games.rules"))
        refused = getattr(saved.refusal, "problems", None) or [saved.message]
        if "rules_json" in request.form:
            json_problems = refused
        else:
            view.problems = refused
    if not form.rules_json.data:
        form.rules_json.data = json.dumps(current.to_dict(), ensure_ascii=False, indent=2)
    versions = db.session.scalars(select(GameRuleset).order_by(GameRuleset.version.desc()).limit(10)).all()
    status = 400 if json_problems or form.errors or view.has_errors else 200
    return render_template("games/rules.html", form=form, settings=settings, problems=json_problems,
                           versions=versions, ruleset=current, view=view, preview=preview,
                           kinds=games.RULE_KINDS), status


@bp.route("/games/settings", methods=["POST"])
@access(*MANAGERS)
def settings():
    form = BoardSettingsForm(prefix="s")
    if form.validate_on_submit():
        perform(lambda: operations.save_settings(tv_hide_names=bool(form.tv_hide_names.data),
                                                 streak_target=form.streak_target.data),
                "Настройки сохранены.")
    else:
        flash("Настройки не сохранены: " + "; ".join(e for errs in form.errors.values() for e in errs),
              "error")
    return redirect(url_for("games.rules"))


@bp.route("/games/notifications/read", methods=["POST"])
@access(*STAFF)
def notifications_read():
    perform(lambda: operations.mark_notifications_read(current_user))
    return redirect(request.referrer or url_for("main.home"))


@bp.app_template_global()
def operator_game_home(user):
    """The operator home partial's data (``games/_operator_home.html``)."""
    return queries.operator_home(user)


@bp.app_template_filter("standard_title")
def standard_title_filter(key: str) -> str:
    return standard_title(key)

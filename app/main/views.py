"""Home pages per role and the team overview."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.access import ANY, access
from app.main import queries
from app.models import Role

bp = Blueprint("main", __name__)


@bp.route("/")
@access(ANY)
def home():
    return render_template("main/home.html", **queries.home_context(current_user))


@bp.route("/teams")
@access(Role.MANAGER, Role.ADMIN)
def team():
    return render_template("main/teams.html", **queries.teams_context())

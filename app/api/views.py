"""JSON API under /api/v1, authenticated by ``Authorization: Bearer <key>``."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from app.access import access
from app.access import api_error as error
from app.jobs import status
from app.models import Role

bp = Blueprint("api", __name__, url_prefix="/api/v1")
STAFF = (Role.OPERATOR, Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)


@bp.route("/me")
@access(*STAFF, Role.SUBSCRIBER, via="api")
def me():
    user = g.api_user
    return jsonify({"login": user.login, "full_name": user.full_name, "role": user.role})


@bp.route("/jobs")
@access(Role.MANAGER, Role.ADMIN, via="api")
def jobs():
    return jsonify(status.as_json(status.snapshot()))


@bp.errorhandler(404)
def not_found(exc):
    return error(404, "not_found", "No such resource")

"""JSON: admission of an operator to each carrier's line."""

from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import select

from app.access import STAFF, access, api_error
from app.certification import operations as ops
from app.extensions import db
from app.models import Role, User

bp = Blueprint("admission_api", __name__, url_prefix="/api/v1")


@bp.route("/operators/<login>/admission")
@access(*STAFF, via="api")
def admission(login: str):
    user = db.session.scalar(select(User).where(User.login == login, User.role == Role.OPERATOR))
    if user is None:
        return api_error(404, "not_found", f"No operator with login {login!r}")
    return jsonify(ops.admission_json(user))

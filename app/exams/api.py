"""JSON: admission of an operator to each carrier's line."""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import select

from app.access import STAFF, access, api_error
from app.api.blueprint import api_blueprint
from app.exams import admission as admissions
from app.extensions import db
from app.models import Role, User

bp = api_blueprint("exams_api", __name__)


@bp.route("/operators/<login>/admission")
@access(*STAFF, via="api")
def admission(login: str):
    """Any operator's admission for staff keys (the telephony integration uses a QA, manager or
    admin key); an operator's key reads only its own (checked after the lookup, as on the page
    /exams/operators/<login>)."""
    user = db.session.scalar(select(User).where(User.login == login, User.role == Role.OPERATOR))
    if user is None:
        return api_error(404, "not_found", f"No operator with login {login!r}")
    if g.api_user.role == Role.OPERATOR and g.api_user.id != user.id:
        return api_error(403, "forbidden", "An operator's key may read only that operator's own admission")
    return jsonify(admissions.admission_json(user))

"""JSON API under /api/v1, authenticated by ``Authorization: Bearer <key>``: who the key is."""

from __future__ import annotations

from flask import g, jsonify

from app.access import STAFF, access
from app.api.blueprint import api_blueprint
from app.models import Role

bp = api_blueprint("api", __name__)


@bp.route("/me")
@access(*STAFF, Role.SUBSCRIBER, via="api")
def me():
    user = g.api_user
    return jsonify({"login": user.login, "full_name": user.full_name, "role": user.role})

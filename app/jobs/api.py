"""``GET /api/v1/jobs``: queue depth, job counts, failed jobs."""

from __future__ import annotations

from flask import jsonify

from app.access import access
from app.api.blueprint import api_blueprint
from app.jobs import status
from app.models import Role

bp = api_blueprint("jobs_api", __name__)


@bp.route("/jobs")
@access(Role.MANAGER, Role.ADMIN, via="api")
def jobs():
    return jsonify(status.as_json(status.snapshot()))

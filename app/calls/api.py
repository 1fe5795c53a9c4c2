"""Calls in the JSON API: list, one call, and ingest (multipart audio + JSON metadata)."""

from __future__ import annotations

import json

from flask import g, jsonify, request

from app.access import STAFF, access
from app.access import api_error as error
from app.api.blueprint import api_blueprint
from app.calls import operations, queries
from app.calls.serialize import call_summary, call_to_dict
from app.extensions import db
from app.models import Role

bp = api_blueprint("calls_api", __name__)
MAX_PAGE = 200


@bp.route("/calls", methods=["GET"])
@access(*STAFF, via="api")
def calls_list():
    args = {k: v for k, v in request.args.items() if k in ("operator", "carrier", "status",
                                                           "date_from", "date_to") and v}
    limit = min(request.args.get("limit", 50, type=int) or 50, MAX_PAGE)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    pagination = db.paginate(queries.filtered(g.api_user, args), page=page, per_page=limit,
                             error_out=False)
    return jsonify({"items": [call_summary(c) for c in pagination.items], "total": pagination.total,
                    "page": page})


@bp.route("/calls/<int:call_id>", methods=["GET"])
@access(*STAFF, via="api")
def call_detail(call_id: int):
    return jsonify(call_to_dict(queries.load_call(g.api_user, call_id)))


@bp.route("/calls", methods=["POST"])
@access(Role.QA_LISTENER, Role.MANAGER, Role.ADMIN, via="api")
def calls_create():
    upload = request.files.get("audio") or request.files.get("file")
    if upload is None or not upload.filename:
        return error(400, "no_file", "Send the recording as multipart field 'audio' "
                                     "(WAV, MP3, OGG/Opus or FLAC)")
    raw = request.form.get("metadata") or "{}"
    try:
        metadata = json.loads(raw)
        if not isinstance(metadata, dict):
            raise ValueError
    except ValueError:
        return error(400, "bad_metadata", "Field 'metadata' must be a JSON object, e.g. "
                                          '{"operator": "anna", "carrier": "mts"}')
    try:
        meta = operations.meta_from_form({k: str(v) for k, v in metadata.items() if v is not None})
        done = operations.ingest_recording(upload.stream, upload.filename, meta, source="api",
                                           uploaded_by=g.api_user)
    except operations.IngestError as exc:
        db.session.rollback()
        return error(413 if exc.code == "too_large" else 400, exc.code, exc.message)
    return jsonify({**call_summary(done.call), "created": done.created}), 201 if done.created else 200

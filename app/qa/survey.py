"""Survey links: a signed, unguessable link per call that lets the subscriber rate it once."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import db
from app.models import Call


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="ulybka-survey")


def token_for(call: Call) -> str:
    return _serializer().dumps(call.id)


def call_for_token(token: str) -> Call | None:
    try:
        call_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Call, call_id) if isinstance(call_id, int) else None

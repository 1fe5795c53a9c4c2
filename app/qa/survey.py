"""Survey links: a signed, unguessable link per call that lets the subscriber rate it once.

The link expires after :data:`VALID_FOR`; once the call is rated it only says thank you (a
second rating is refused), so it is single-use. ``ulybka calls survey-link ID`` prints one.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import Call

VALID_FOR = timedelta(days=7)


class LinkExpired(Exception):
    """The link was genuine but is older than :data:`VALID_FOR`."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="ulybka-survey-v2")


def token_for(call: Call) -> str:
    return _serializer().dumps(call.id)


def link_for(call: Call) -> str:
    """The address the subscriber opens (``ULYBKA_PUBLIC_URL`` + the survey page)."""
    return f"{current_app.config['ULYBKA'].public_url}/qa/survey/{token_for(call)}"


def call_for_token(token: str) -> Call | None:
    """The call a genuine, unexpired link is for; None for a forged one or a deleted call.

    :raises LinkExpired: a genuine link older than :data:`VALID_FOR`.
    """
    try:
        call_id = _serializer().loads(token, max_age=int(VALID_FOR.total_seconds()))
    except SignatureExpired:
        raise LinkExpired from None
    except BadSignature:
        return None
    return db.session.get(Call, call_id) if isinstance(call_id, int) else None

"""Survey links: a signed, unguessable link per call or resolved ticket that lets the subscriber
rate it once, without signing in.

The link expires after :data:`VALID_FOR`; once the contact is rated it only says thank you (a
second rating is refused), so it is single-use. Opening it only shows the form (mail scanners
open links): only submitting the form records the rating. ``ulybka calls survey-link ID``
prints a call's; a resolved ticket's goes to the subscriber by mail.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import Call, Ticket

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


def ticket_link_for(ticket: Ticket) -> str:
    """The survey address of a resolved ticket (its number, signed)."""
    token = _serializer().dumps({"ticket": ticket.number})
    return f"{current_app.config['ULYBKA'].public_url}/qa/survey/{token}"


def contact_for_token(token: str) -> Call | Ticket | None:
    """The call or ticket a genuine, unexpired link is for; None for a forged one or a deleted one.

    :raises LinkExpired: a genuine link older than :data:`VALID_FOR`.
    """
    try:
        payload = _serializer().loads(token, max_age=int(VALID_FOR.total_seconds()))
    except SignatureExpired:
        raise LinkExpired from None
    except BadSignature:
        return None
    def fits(value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31

    if fits(payload):
        return db.session.get(Call, payload)
    if isinstance(payload, dict) and fits(payload.get("ticket")):
        from sqlalchemy import select

        return db.session.scalar(select(Ticket).where(Ticket.number == payload["ticket"]))
    return None


def call_for_token(token: str) -> Call | None:
    """The call a genuine, unexpired link is for (see :func:`contact_for_token`)."""
    contact = contact_for_token(token)
    return contact if isinstance(contact, Call) else None

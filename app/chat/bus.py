"""How chat events reach the browsers: published after the transaction commits, relayed by the
chat stream server (:mod:`app.chat.stream`) to every browser listening on the event's channels.

Channels: ``u<user id>`` (everything about that person's chats) and ``q<carrier>`` (the waiting
line of a carrier changed). An event is a small JSON object (``type``: ``message``, ``chat``,
``read``, ``typing``, ``queue``); browsers fetch what they missed from the web server by message
id, so an event that never arrives delays a message, it does not lose it.

Transport: with ``REDIS_URL``, one Redis pub/sub channel that every stream server subscribes to
(any number of web and stream processes on any number of machines); on the embedded default, a
signed POST to the one stream server (``ULYBKA_CHAT_URL``) over loopback. See docs/chat.md.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import threading
from typing import Any

import httpx
from flask import current_app
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger("ulybka.chat")
REDIS_CHANNEL = "ulybka:chat"
PENDING = "ulybka_chat_events"  # Session.info key: events to publish once the session commits
TOKEN_SALT = "ulybka-chat-stream"
TOKEN_AGE = 3600  # a page asks for a fresh token when its stream is refused (see chat.js)
CLOSE = "close"  # event type: end the streams of these channels and refuse their older tokens
_redis: dict[str, Any] = {}
_client: dict[str, httpx.Client] = {}
_lock = threading.Lock()


def user_channel(user_id: int) -> str:
    return f"u{user_id}"


def queue_channel(carrier: str) -> str:
    return f"q{carrier}"


def stream_token(channels: list[str]) -> str:
    """What a page gives its browser to listen on these channels (signed, valid an hour; a
    sign-out ends it at once, see :data:`CLOSE`)."""
    secret = current_app.config["SECRET_KEY"]
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT).dumps(sorted(set(channels)))


def read_token(secret: str, token: str) -> tuple[list[str], float] | None:
    """The channels of a genuine, unexpired token and when it was issued; None otherwise."""
    try:
        channels, issued = URLSafeTimedSerializer(secret, salt=TOKEN_SALT).loads(
            token, max_age=TOKEN_AGE, return_timestamp=True)
    except Exception:  # noqa: BLE001 - forged, expired, garbage: no channels
        return None
    if not isinstance(channels, list) or not all(isinstance(c, str) for c in channels):
        return None
    return channels, issued.timestamp()


def signature(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def publish(channels: list[str], payload: dict[str, Any], *, now: bool = False) -> None:
    """Announce ``payload`` on ``channels`` once the current transaction commits (``now``: at
    once, for what is never stored, e.g. «печатает…»)."""
    if not channels:
        return
    item = {"channels": channels, "event": payload}
    if now:
        _send([item])
    else:
        db.session.info.setdefault(PENDING, []).append(item)


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    items = session.info.pop(PENDING, None)
    if items:
        _send(items)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(PENDING, None)


def _send(items: list[dict[str, Any]]) -> None:
    try:
        settings = current_app.config["ULYBKA"]
    except RuntimeError:  # no app: nobody listens
        return
    body = json.dumps(items, ensure_ascii=False).encode()
    try:
        if settings.redis_url:
            _redis_client(settings.redis_url).publish(REDIS_CHANNEL, body)
        else:
            _http_client().post(f"{settings.chat_url}/internal/publish", content=body, headers={
                "Content-Type": "application/json",
                "X-Ulybka-Signature": signature(current_app.config["SECRET_KEY"], body)})
    except Exception as exc:  # noqa: BLE001 - stored already: browsers catch up by message id
        log.warning("chat event not relayed (%s): browsers will catch up", exc.__class__.__name__)


def _redis_client(url: str):
    with _lock:
        if url not in _redis:
            import redis

            _redis[url] = redis.Redis.from_url(url, socket_timeout=1)
        return _redis[url]


def _http_client() -> httpx.Client:
    with _lock:
        if "c" not in _client:
            _client["c"] = httpx.Client(timeout=httpx.Timeout(1.0, connect=0.5))
            atexit.register(_client["c"].close)
        return _client["c"]

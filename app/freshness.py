"""Read your own writes on every web process.

Web processes cache what every page needs (the signed-in user in :mod:`app.access`, boards and
home parts in :mod:`app.games.cache`) and learn of other processes' writes only within a
bounded time. The person who wrote must not wait for that bound: after a commit that changed
something cached, :func:`note_write` stamps their session cookie with the time, and a process
whose cached copy is older than the stamp reads it again (:func:`wrote_since`).
"""

from __future__ import annotations

import time

from flask import has_request_context
from flask import session as cookie_session

WRITTEN_KEY = "wrote_at"  # session cookie: wall time of this user's last write to cached data


def note_write() -> None:
    """After such a commit inside a signed-in request: stamp the session cookie."""
    if has_request_context() and cookie_session.get("_user_id"):
        cookie_session[WRITTEN_KEY] = time.time()


def wrote_since(moment: float) -> bool:
    """Whether the signed-in user wrote at or after ``moment`` (wall time, ``time.time()``)."""
    if not has_request_context():
        return False
    written = cookie_session.get(WRITTEN_KEY)
    return isinstance(written, float) and written >= moment

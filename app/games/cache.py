"""The games cache (boards, their JSON bytes, operator home parts) and the one function that clears it.

Values are cached per key for :data:`TTL` seconds. Every ledger write calls
:func:`invalidate_leaderboards` (and again after its transaction commits), so a process sees
its own writes at once. The write also stores a fresh token in the ``board_version`` row of
``game_settings``; every process reads that row at most every :data:`VERSION_CHECK` seconds
and clears its cache when the token changed, so other web processes (``ulybka serve
--processes N``, more machines) see a write within that interval (the staleness bound;
``GAMES_VERSION_CHECK`` in the app config overrides it). A cached request runs no SQL in
between. The signed-in user who made a write sees it at once in every process: the write notes
its time in their session cookie, and a process that has not read the token since then reads
it before answering them (so "Прочитано" on the home page never shows the old list).

A fill that started before an invalidation is not stored (generation check). Only one thread
per key fills a missing value; the others wait for it instead of running the same query. When
only the TTL ran out, the old value is served while one thread refreshes it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.extensions import db
from app.freshness import note_write, wrote_since
from app.models import GameSetting, utcnow

TTL = 30.0
VERSION_CHECK = 0.5
VERSION_KEY = "board_version"
_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, Any]] = {}
_fills: dict[Hashable, threading.Lock] = {}
_generation = 0
_version: dict[str, Any] = {"seen": None, "checked": float("-inf"), "checked_wall": 0.0}
stats = {"hits": 0, "misses": 0}


def cached(key: Hashable, compute: Callable[[], Any]) -> Any:
    """Return the cached value for ``key`` or compute, store and return it.

    :param key: the value's parameters, e.g. ``("board", board)``.
    :param compute: runs the query (called inside an application context).
    """
    _check_version()
    now = time.monotonic()
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry[0] > now:
            stats["hits"] += 1
            return entry[1]
        fill = _fills.setdefault(key, threading.Lock())
    if not fill.acquire(blocking=entry is None):
        stats["hits"] += 1
        return entry[1]  # expired by TTL only: another thread is refreshing it
    try:
        with _lock:
            entry = _entries.get(key)
            if entry is not None and entry[0] > time.monotonic():
                stats["hits"] += 1
                return entry[1]  # filled while this thread waited
            stats["misses"] += 1
            generation = _generation
        value = compute()
        with _lock:
            if generation == _generation:
                _entries[key] = (time.monotonic() + TTL, value)
        return value
    finally:
        fill.release()


def _clear() -> None:
    global _generation
    with _lock:
        _entries.clear()
        _generation += 1


def _check_version() -> None:
    """Clear the cache when another process wrote since (read at most every VERSION_CHECK s).

    Read at once when the signed-in user wrote after the last read (see the module docstring).
    Under ``TESTING`` it is read on every call: tests empty the tables without the writes.
    """
    now = time.monotonic()
    interval = current_app.config.get("GAMES_VERSION_CHECK", 0.0 if current_app.testing else VERSION_CHECK)
    if now - _version["checked"] < interval and not wrote_since(_version["checked_wall"]):
        return
    _version["checked"] = now
    _version["checked_wall"] = time.time()

    token = db.session.scalar(select(GameSetting.value).where(GameSetting.key == VERSION_KEY))
    if token != _version["seen"]:
        _version["seen"] = token
        _clear()


def invalidate_leaderboards(session: Session | None = None) -> None:
    """Forget every cached value; with ``session``, tell other processes and clear again after commit.

    :param session: the session holding the ledger write; the new ``board_version`` token is
        written in its transaction.
    """
    _clear()
    if session is not None:
        session.info["games_dirty"] = True
        module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        token = uuid.uuid4().hex
        session.execute(module.insert(GameSetting).values(key=VERSION_KEY, value=token, updated_at=utcnow())
                        .on_conflict_do_update(index_elements=["key"],
                                               set_={"value": token, "updated_at": utcnow()}))


def is_cached(key: Hashable) -> bool:
    with _lock:
        entry = _entries.get(key)
        return entry is not None and entry[0] > time.monotonic()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("games_dirty", False):
        _clear()
        note_write()  # after the commit: a process that reads the token later sees the write


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("games_dirty", None)

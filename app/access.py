"""Who may open what: one declaration per view, one check for every request.

Every view is decorated with :func:`access` naming the roles that may use it (or
``PUBLIC``/``ANY``). :func:`enforce_access` runs before each request and denies by default,
so a route that forgets its declaration is closed, and ``tests/web/test_access.py`` walks the
URL map to prove every route has one. API views use ``via="api"``: they authenticate with
``Authorization: Bearer <key>`` and answer JSON errors.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from flask import abort, current_app, g, jsonify, request
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.fragments import login_redirect
from app.freshness import note_write, wrote_since
from app.models import ApiKey, OperatorSkill, Role, Team, User, utcnow

LAST_USED_PRECISION = timedelta(minutes=1)
KEY_CACHE_TTL = 5.0  # other processes see a revoked key or a disabled user within this time
PUBLIC = "public"
ANY = "any"
STAFF = (Role.OPERATOR, Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[str]
    via: str  # "session" or "api"

    def allows(self, role: str) -> bool:
        return ANY in self.roles or role in self.roles


def access(*roles: str, via: str = "session") -> Callable[[F], F]:
    """Declare who may use a view: role names, ``PUBLIC`` or ``ANY`` (any signed-in user)."""

    def decorate(view: F) -> F:
        view._access = AccessRule(frozenset(str(r) for r in roles), via)  # type: ignore[attr-defined]
        return view

    return decorate


def rule_for(endpoint: str | None) -> AccessRule | None:
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return AccessRule(frozenset({PUBLIC}), "session")
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_access", None)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_error(status: int, code: str, message: str):
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    return response


# key hash -> (expires, detached copy of the key's user); see _authenticate_api_key
_key_cache: dict[str, tuple[float, User]] = {}
_key_cache_lock = threading.Lock()
_key_cache_generation = [0]


def forget_api_keys() -> None:
    """Drop every cached key resolution (a key or user changed in this process)."""
    with _key_cache_lock:
        _key_cache.clear()
        _key_cache_generation[0] += 1


def _authenticate_api_key():
    """The key's active user, or None. Resolutions are cached for KEY_CACHE_TTL seconds (no SQL then)."""
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    digest = hash_api_key(key.strip())
    with _key_cache_lock:
        entry = _key_cache.get(digest)
        generation = _key_cache_generation[0]
    if entry is not None and entry[0] > time.monotonic():
        return db.session.merge(entry[1], load=False)
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None)))
    if row is None or not row.user.active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
        row.last_used_at = now  # written at most once a minute: the API stays read-only under load
        db.session.commit()
    user = row.user
    copy = User(**{attr.key: getattr(user, attr.key) for attr in inspect(User).column_attrs})
    make_transient_to_detached(copy)
    with _key_cache_lock:
        if generation == _key_cache_generation[0]:
            _key_cache[digest] = (time.monotonic() + KEY_CACHE_TTL, copy)
    return user


# Signed-in users, as API keys: user id -> (expires, wall time loaded, detached copy with team
# and lines). A warm page then runs no SQL to know who is asking. Any change to a user, a team or
# a line in this process forgets them all at once; other processes see it within KEY_CACHE_TTL,
# except the writer's own next requests, which read it again (app.freshness).
_user_cache: dict[int, tuple[float, float, User]] = {}


def forget_users() -> None:
    """Drop every cached signed-in user (a user, team or line changed in this process)."""
    with _key_cache_lock:
        _user_cache.clear()
        _key_cache_generation[0] += 1


def _detached(obj: Any) -> Any:
    """A detached copy of ``obj``'s columns, to be merged with ``load=False`` into a session."""
    model = type(obj)
    copy = model(**{attr.key: getattr(obj, attr.key) for attr in inspect(model).column_attrs})
    make_transient_to_detached(copy)
    return copy


def cached_user(user_id: int) -> User | None:
    """The signed-in user from the cache, merged into this request's session without SQL."""
    with _key_cache_lock:
        entry = _user_cache.get(user_id)
    if entry is None or entry[0] <= time.monotonic():
        return None
    if wrote_since(entry[1]):
        return None  # this user wrote since: read it again
    return db.session.merge(entry[2], load=False)


def remember_user(user: User) -> None:
    """Cache ``user`` (loaded with team and lines) for :func:`cached_user`."""
    with _key_cache_lock:
        generation = _key_cache_generation[0]
    copy = _detached(user)
    # set without events: a backref would make the copy's team look as if it had one member
    set_committed_value(copy, "team", _detached(user.team) if user.team is not None else None)
    skills = []
    for skill in user.skills:
        skill_copy = _detached(skill)
        set_committed_value(skill_copy, "carrier", _detached(skill.carrier))
        skills.append(skill_copy)
    set_committed_value(copy, "skills", skills)
    with _key_cache_lock:
        if generation == _key_cache_generation[0]:
            _user_cache[user.id] = (time.monotonic() + KEY_CACHE_TTL, time.time(), copy)


@event.listens_for(Session, "before_flush")
def _identities_changed(session: Session, flush_context, instances) -> None:
    """Forget cached identities at once: a user, team or line added, changed or removed drops
    the signed-in users; a changed user (disabled, new role) or a revoked or deleted key drops
    the key resolutions."""
    changed = (*session.dirty, *session.deleted)
    if any(isinstance(obj, User | Team | OperatorSkill) for obj in (*session.new, *changed)):
        forget_users()
        session.info["users_dirty"] = True
    if any(isinstance(obj, User) or (isinstance(obj, ApiKey) and (
            obj in session.deleted or inspect(obj).attrs.revoked_at.history.has_changes()))
           for obj in changed):
        forget_api_keys()
        session.info["api_keys_dirty"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # again after the commit: a load that ran before it must not be kept
    if session.info.pop("users_dirty", False):
        forget_users()
        note_write()
    if session.info.pop("api_keys_dirty", False):
        forget_api_keys()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("users_dirty", None)
    session.info.pop("api_keys_dirty", None)


def enforce_access():
    """``before_request`` hook: the single place where access is decided."""
    if request.endpoint is None:
        return None  # 404/405 handled by Flask
    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("view %s declares no access rule; denied", request.endpoint)
        abort(403)
    if PUBLIC in rule.roles:
        return None
    if rule.via == "api":
        user = _authenticate_api_key()
        if user is None:
            return api_error(
                401, "unauthorized", "A valid API key is required: Authorization: Bearer <key>"
            )
        if not rule.allows(user.role):
            return api_error(403, "forbidden", f"Role {user.role!r} may not use this endpoint")
        g.api_user = user
        return None
    if not current_user.is_authenticated:
        return login_redirect() or current_app.login_manager.unauthorized()
    if not rule.allows(current_user.role):
        abort(403)
    return None


MAX_ID = 2**31 - 1  # ids and numbers people type or forge beyond this are simply not there


def whole_number(value: Any) -> int | None:
    """A positive id or number as typed in a form or a URL: ASCII digits within :data:`MAX_ID`
    (not «²», not 10**30); None for anything else."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def storable_text(value: Any) -> bool:
    """A string that can be stored: no lone surrogates (JSON may carry ``"\\ud800"``, which no
    database takes)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def get_or_404(model: type, ident: Any):
    """Load a row by primary key or answer 404 (the one loader views use)."""
    if isinstance(ident, int) and not 0 < ident <= MAX_ID:
        abort(404)
    row = db.session.get(model, ident)
    if row is None:
        abort(404)
    return row


def get_owned_or_404(model: type, ident: Any, **owner: Any):
    """Load a row by primary key that also belongs to ``owner`` (column values, e.g.
    ``user_id=current_user.id`` or ``team_id=...``), or answer 404.

    A row of another operator, subscriber or team answers exactly as a row that does not exist,
    so a guessed id confirms nothing. One query; the columns must exist on ``model``.
    """
    if not owner:
        raise TypeError("get_owned_or_404 needs at least one owner column; use get_or_404 otherwise")
    columns = [getattr(model, name) == value for name, value in owner.items()]
    try:
        key = int(ident)
    except (TypeError, ValueError):
        abort(404)
    row = db.session.scalar(select(model).where(model.id == key, *columns))
    if row is None:
        abort(404)
    return row

"""Operations on users, teams and API keys (verbs; they flush, the caller commits)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from sqlalchemy import func, select

from app import audit
from app.access import hash_api_key
from app.auth.passwords import hash_password
from app.extensions import db
from app.models import ApiKey, Carrier, OperatorSkill, Role, Team, User, utcnow
from app.outcome import Refused

MIN_PASSWORD = 8


class UserError(Refused):
    """A user operation was given bad input; the message is Russian and shown to people."""


def find_user(login: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.login) == login.strip().lower()))


def search_filter(query: str):
    """A WHERE clause matching users by any part of login or name, case-insensitively."""
    return User.search_text.contains(query.strip().casefold().replace("ё", "е"), autoescape=True)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"Пароль слишком короткий: нужно не меньше {MIN_PASSWORD} символов.")


def create_user(login: str, full_name: str, role: str, password: str, *, email: str | None = None,
                team: Team | None = None, carriers: Iterable[Carrier] = (),
                actor: User | None = None) -> User:
    login = login.strip()
    if not login or not all(c.isalnum() or c in "._-" for c in login):
        raise UserError("Логин может состоять из латинских букв, цифр, точки, дефиса и подчёркивания.")
    if role not in {r.value for r in Role}:
        raise UserError(f"Неизвестная роль «{role}».")
    if find_user(login) is not None:
        raise UserError(f"Пользователь с логином «{login}» уже есть.")
    _check_password(password)
    user = User(login=login, full_name=full_name.strip() or login, role=role, email=email,
                password_hash=hash_password(password), team=team)
    user.skills = [OperatorSkill(carrier=c) for c in carriers]
    user.refresh_search_text()
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, login=login, role=role)
    return user


def update_user(user: User, *, full_name: str, role: str, email: str | None, team: Team | None,
                carriers: Iterable[Carrier], actor: User | None) -> User:
    if role not in {r.value for r in Role}:
        raise UserError(f"Неизвестная роль «{role}».")
    if user.id == getattr(actor, "id", None) and role != user.role:
        raise UserError("Нельзя сменить роль самому себе.")
    user.full_name, user.role, user.email, user.team = full_name.strip(), role, email, team
    user.refresh_search_text()
    wanted = {c.id for c in carriers}
    user.skills = [s for s in user.skills if s.carrier_id in wanted] + [
        OperatorSkill(carrier_id=cid) for cid in wanted - {s.carrier_id for s in user.skills}
    ]
    db.session.flush()
    audit.record(actor, "user.update", "user", user.id, role=role, carriers=sorted(wanted))
    return user


def set_password(user: User, password: str, *, actor: User | None) -> None:
    _check_password(password)
    user.password_hash = hash_password(password)
    user.session_version += 1
    db.session.flush()
    audit.record(actor, "user.password_reset", "user", user.id)


def set_active(user: User, active: bool, *, actor: User | None) -> None:
    if user.id == getattr(actor, "id", None) and not active:
        raise UserError("Нельзя отключить собственную учётную запись.")
    user.active = active
    user.session_version += 1
    db.session.flush()
    audit.record(actor, "user.enable" if active else "user.disable", "user", user.id)


def issue_api_key(user: User, name: str, *, actor: User | None) -> tuple[ApiKey, str]:
    """Create a key; the plain key is returned once and never stored."""
    if not user.active:
        raise UserError("Нельзя выдать ключ отключённому пользователю.")
    plain = "ulb_" + secrets.token_urlsafe(32)
    key = ApiKey(user=user, name=name.strip() or "API", prefix=plain[:10],
                 key_hash=hash_api_key(plain))
    db.session.add(key)
    db.session.flush()
    audit.record(actor, "apikey.issue", "api_key", key.id, user=user.login, name=key.name)
    return key, plain


def revoke_api_key(key: ApiKey, *, actor: User | None) -> None:
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        db.session.flush()
        audit.record(actor, "apikey.revoke", "api_key", key.id, user=key.user.login)

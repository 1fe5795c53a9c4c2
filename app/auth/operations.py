"""Authentication decisions."""

from __future__ import annotations

from app import audit
from app.auth.passwords import verify_password
from app.models import User, utcnow
from app.users import find_user

WRONG = "Неверный логин или пароль."
DISABLED = "Учётная запись отключена. Обратитесь к администратору."


def authenticate(login: str, password: str) -> tuple[User | None, str]:
    """Check credentials; returns the user, or None and a Russian reason."""
    user = find_user(login or "")
    if user is None or not verify_password(user.password_hash, password or ""):
        audit.record(None, "login.failed", "user", getattr(user, "id", None), login=login)
        return None, WRONG
    if not user.active:
        audit.record(user, "login.refused_disabled", "user", user.id)
        return None, DISABLED
    user.last_login_at = utcnow()
    audit.record(user, "login", "user", user.id)
    return user, ""

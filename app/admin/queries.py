"""Queries and form choices for the administration pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from app.admin.forms import UserForm
from app.extensions import db
from app.models import ApiKey, Carrier, Team, User
from app.users import search_filter

PAGE_SIZE = 25


def users_page(q: str, role: str, page: int) -> dict[str, Any]:
    stmt = select(User).options(selectinload(User.team)).order_by(User.role, User.full_name)
    if q:
        stmt = stmt.where(search_filter(q))
    if role:
        stmt = stmt.where(User.role == role)
    pagination = db.paginate(stmt, page=max(page, 1), per_page=PAGE_SIZE, error_out=False)
    return {"pagination": pagination, "q": q, "role": role}


def user_form(form: UserForm, user: User | None = None) -> UserForm:
    form.team_id.choices = [SelectChoice(0, "— без команды —")] + [
        SelectChoice(t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))
    ]
    form.carriers.choices = [
        SelectChoice(c.id, c.name) for c in db.session.scalars(select(Carrier).order_by(Carrier.id))
    ]
    if user is not None and not form.is_submitted():
        form.team_id.data = user.team_id or 0
        form.carriers.data = [s.carrier_id for s in user.skills]
    return form


def team_or_none(team_id: int | None) -> Team | None:
    return db.session.get(Team, team_id) if team_id else None


def carriers_by_ids(ids: list[int] | None) -> list[Carrier]:
    if not ids:
        return []
    return list(db.session.scalars(select(Carrier).where(Carrier.id.in_(ids))))


def keys_of(user: User) -> list[ApiKey]:
    return list(db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id)))


def all_keys() -> list[ApiKey]:
    return list(
        db.session.scalars(select(ApiKey).options(selectinload(ApiKey.user)).order_by(ApiKey.id.desc()))
    )

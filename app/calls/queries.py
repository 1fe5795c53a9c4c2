"""Which calls a user may see, the filtered list, and the call page's data."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.formatting import MOSCOW, format_days
from app.models import CALL_STATE_TITLES, Call, Carrier, Role, User
from app.qa.operations import score_call  # the one definition of a call's score

PAGE_SIZE = 30
LISTENERS = (Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)


def visible_calls(user: User) -> Select:
    """Operators see their own calls; QA listeners, managers and admins see all."""
    stmt = select(Call)
    if user.role not in LISTENERS:
        stmt = stmt.where(Call.operator_id == user.id)
    return stmt


def load_call(user: User, call_id: int) -> Call:
    from app.access import MAX_ID

    call = db.session.get(Call, call_id) if isinstance(call_id, int) and 0 < call_id <= MAX_ID else None
    if call is None:
        abort(404)
    if user.role not in LISTENERS and call.operator_id != user.id:
        abort(403)
    return call


def _day(value: str | None) -> datetime | None:
    try:
        return datetime.combine(datetime.strptime(value or "", "%Y-%m-%d").date(), time(), MOSCOW)
    except ValueError:
        return None


def days_label(args: Mapping[str, str]) -> str:
    """The list's date filter in words («с 30 ноября по 4 декабря»); empty without one."""
    first, last = _day(args.get("date_from")), _day(args.get("date_to"))
    if first is None and last is None:
        return ""
    if last is None:
        return f"с {format_days(first.date(), first.date())}"
    return format_days(first.date() if first else None, last.date())


def call_moment() -> Any:
    """When a call happened: its start, else when it was uploaded (what the lists sort and filter by)."""
    return func.coalesce(Call.started_at, Call.created_at)


def within_days(stmt: Select, args: Mapping[str, str]) -> Select:
    """``date_from`` / ``date_to`` (YYYY-MM-DD, Moscow days, both inclusive; malformed ones are
    ignored) on :func:`call_moment` — the one date filter of every call list."""
    if start := _day(args.get("date_from")):
        stmt = stmt.where(call_moment() >= start)
    if end := _day(args.get("date_to")):
        stmt = stmt.where(call_moment() < end + timedelta(days=1))
    return stmt


def filtered(user: User, args: dict[str, str]) -> Select:
    stmt = visible_calls(user).options(selectinload(Call.operator), selectinload(Call.carrier))
    if args.get("operator"):
        stmt = stmt.join(User, User.id == Call.operator_id).where(User.login == args["operator"])
    if args.get("carrier"):
        stmt = stmt.join(Carrier, Carrier.id == Call.carrier_id).where(Carrier.code == args["carrier"])
    if args.get("status") in CALL_STATE_TITLES:
        stmt = stmt.where(Call.status == args["status"])
    return within_days(stmt, args).order_by(call_moment().desc(), Call.id.desc())  # newest first


def list_context(user: User, args: dict[str, str], page: int) -> dict[str, Any]:
    pagination = db.paginate(filtered(user, args), page=max(page, 1), per_page=PAGE_SIZE,
                             error_out=False)
    scores = {}
    for call in pagination.items:
        result = score_call(call) if call.status == "done" else None
        scores[call.id] = result.score.value if result else None
    operators = []
    if user.role in LISTENERS:
        operators = db.session.execute(
            select(User.login, User.full_name).where(User.role == Role.OPERATOR).order_by(User.full_name)
        ).all()
    carriers = db.session.scalars(select(Carrier).order_by(Carrier.id)).all()
    return {"pagination": pagination, "scores": scores, "filters": args, "operators": operators,
            "carriers": carriers, "days": days_label(args),
            "states": CALL_STATE_TITLES, "can_filter_operator": user.role in LISTENERS}


def mask_number(number: str | None) -> str:
    if not number:
        return "—"
    import speech

    return speech.mask_phone(number)

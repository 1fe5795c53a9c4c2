"""Read-only queries behind the home and team pages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import charts
from app.extensions import db
from app.features import home_panels
from app.models import Carrier, OperatorSkill, Role, Team, User


def home_context(user: User) -> dict[str, Any]:
    """The home page: the panels every feature declares for the user's role, each with its data
    (``panels``: ``[(HomePanel, dict)]`` in their order)."""
    panels = [(panel, dict(panel.context(user)) if panel.context else {})
              for panel in home_panels(user.role)]
    return {"user": user, "panels": panels}


def staff_counts(user: User) -> dict[str, Any]:
    """Active people by role (the managers' and admins' home panel)."""
    return {"counts": dict(
        db.session.execute(select(User.role, func.count()).where(User.active).group_by(User.role)).all()
    )}


def teams_context() -> dict[str, Any]:
    teams = db.session.scalars(
        select(Team).options(selectinload(Team.members).selectinload(User.skills)).order_by(Team.name)
    ).all()
    carriers = db.session.scalars(select(Carrier).order_by(Carrier.id)).all()
    per_carrier = dict(
        db.session.execute(
            select(OperatorSkill.carrier_id, func.count())
            .join(User, User.id == OperatorSkill.user_id)
            .where(User.active, User.role == Role.OPERATOR)
            .group_by(OperatorSkill.carrier_id)
        ).all()
    )
    chart = charts.bar_chart(
        [c.name for c in carriers],
        {"Операторов на линии": [per_carrier.get(c.id, 0) for c in carriers]},
        title="Операторы по линиям операторов связи",
    )
    return {"teams": teams, "carriers": {c.id: c for c in carriers}, "chart": chart}

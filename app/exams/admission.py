"""Certification passes and admission to a carrier's line: who may take calls where, and until when.

Verb-named functions that take model objects, ``flush()`` and leave the commit to the caller.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

import carriers
import exams
from app.calls.queries import call_moment
from app.exams.errors import ExamFlowError
from app.extensions import db
from app.models import (
    Call,
    Carrier,
    CertificationPass,
    CertificationRule,
    Exam,
    LineAvailability,
    OperatorSkill,
    Role,
    TrainingNotice,
    User,
    utcnow,
)

log = logging.getLogger("ulybka.exams")


def rules() -> list[exams.Certification]:
    rows = db.session.execute(
        select(CertificationRule, Exam.key).join(Exam).order_by(CertificationRule.id)
    ).all()
    return [exams.Certification(r.key, r.title, r.carrier, exam_key, r.valid_days) for r, exam_key in rows]


def _passes_of(user_ids: list[int]) -> dict[int, list[exams.CertPass]]:
    """Every certification pass of these users: user id -> ``(rule key, passed_at, revoked_at)``."""
    passes: dict[int, list[exams.CertPass]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return passes
    rows = db.session.execute(
        select(
            CertificationPass.user_id,
            CertificationRule.key,
            CertificationPass.passed_at,
            CertificationPass.revoked_at,
        )
        .join(CertificationRule)
        .where(CertificationPass.user_id.in_(user_ids))
    )
    for user_id, key, passed_at, revoked_at in rows:
        passes[user_id].append((key, passed_at, revoked_at))
    return passes


def admissions_of(users: list[User], now: datetime | None = None) -> dict[int, dict[str, exams.Admission]]:
    """:func:`admission_of` for many operators at once (two queries): user id -> carrier -> admission."""
    now = now or utcnow()
    in_force = rules()
    passes = _passes_of([u.id for u in users])
    out = {}
    for user in users:
        state = exams.admission_state(passes[user.id], now, in_force)
        out[user.id] = {
            code: state.get(code, exams.Admission(True, "Для этой линии аттестация не требуется."))
            for code in carriers.CODES
        }
    return out


def admission_of(user: User, now: datetime | None = None) -> dict[str, exams.Admission]:
    """Admission per carrier code (every carrier; a line without a certification rule is open)."""
    return admissions_of([user], now)[user.id]


def admission_json(user: User) -> dict[str, Any]:
    return {
        code: {
            "admitted": a.admitted,
            "reason": a.reason,
            "expires_at": a.expires_at.astimezone(UTC).isoformat() if a.expires_at else None,
            "renew_soon": a.renew_soon,
        }
        for code, a in admission_of(user).items()
    }


def lines_of(user: User) -> list[dict[str, Any]]:
    """The operator's lines with admission and the availability switch."""
    admission = admission_of(user)
    flags = {
        row.carrier_id: row.available
        for row in db.session.scalars(select(LineAvailability).where(LineAvailability.user_id == user.id))
    }
    skills = db.session.scalars(
        select(OperatorSkill).where(OperatorSkill.user_id == user.id).join(Carrier).order_by(Carrier.id)
    )
    return [
        {
            "carrier": s.carrier,
            "admission": admission[s.carrier.code],
            "available": flags.get(s.carrier_id, False),
        }
        for s in skills
    ]


def set_availability(user: User, carrier: Carrier, available: bool) -> None:
    """Put an operator on or off a carrier's line; going on needs a valid certification."""
    if available:
        if (
            db.session.scalar(
                select(OperatorSkill).where(
                    OperatorSkill.user_id == user.id, OperatorSkill.carrier_id == carrier.id
                )
            )
            is None
        ):
            raise ExamFlowError(f"{user.full_name} не работает на линии {carrier.name}.")
        admission = admission_of(user)[carrier.code]
        if not admission.admitted:
            raise ExamFlowError(f"Нельзя поставить на линию {carrier.name}. {admission.reason}")
    row = db.session.scalar(
        select(LineAvailability).where(
            LineAvailability.user_id == user.id, LineAvailability.carrier_id == carrier.id
        )
    )
    if row is None:
        row = LineAvailability(user_id=user.id, carrier_id=carrier.id)
        db.session.add(row)
    row.available, row.changed_at = available, utcnow()
    db.session.flush()


def revoke_for_carrier(carrier_code: str, reason: str, now: datetime | None = None) -> int:
    """Revoke every valid pass of the carrier's certifications, take those operators off the
    line and notify them; returns how many passes were revoked."""
    now = now or utcnow()
    keys = exams.certifications_for(carrier_code, rules())
    if not keys:
        return 0
    passes = list(
        db.session.scalars(
            select(CertificationPass)
            .join(CertificationRule)
            .where(CertificationRule.key.in_(keys), CertificationPass.revoked_at.is_(None))
        )
    )
    carrier = db.session.scalar(select(Carrier).where(Carrier.code == carrier_code))
    for cert_pass in passes:
        cert_pass.revoked_at, cert_pass.revoked_reason = now, reason[:300]
    titles: dict[int, dict[str, None]] = {}
    for cert_pass in passes:
        titles.setdefault(cert_pass.user_id, {})[cert_pass.certification.title] = None
    for user_id, named in titles.items():
        names = ", ".join(f"«{title}»" for title in named)
        what = f"Аттестация {names} отозвана" if len(named) == 1 else f"Аттестации {names} отозваны"
        db.session.add(
            TrainingNotice(
                user_id=user_id,
                text=f"{what}: {reason} Пройдите переаттестацию, чтобы вернуться на линию."[:400],
            )
        )
        if carrier is not None:
            for row in db.session.scalars(
                select(LineAvailability).where(
                    LineAvailability.user_id == user_id, LineAvailability.carrier_id == carrier.id
                )
            ):
                row.available = False
    db.session.flush()
    log.info("revoked %s certification passes of carrier %s", len(passes), carrier_code)
    return len(passes)


def expiring(now: datetime | None = None, within_days: int = exams.RENEW_WITHIN_DAYS) -> list[dict[str, Any]]:
    """Certifications of active operators that run out within ``within_days`` (for the manager's
    reminders), soonest first. A certification runs out when its latest valid pass does, as on
    the admission grid: a pass renewed by this or another exam of the same certification
    takes it off the list."""
    now = now or utcnow()
    operators = list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.OPERATOR, User.active.is_(True))
            .where(User.id.in_(select(CertificationPass.user_id)))
        )
    )
    in_force = rules()
    passes = _passes_of([u.id for u in operators])
    out = []
    for user in operators:
        for state in exams.certification_states(passes[user.id], now, in_force):
            if state.expires_at is not None and state.expires_at - now <= timedelta(days=within_days):
                out.append(
                    {
                        "user": user,
                        "title": state.title,
                        "carrier": state.carrier,
                        "expires_at": state.expires_at,
                        "days_left": (state.expires_at - now).days,
                    }
                )
    out.sort(key=lambda e: (e["expires_at"], e["user"].full_name))
    return out


def notices_for(user: User, limit: int = 10) -> list[TrainingNotice]:
    return list(
        db.session.scalars(
            select(TrainingNotice)
            .where(TrainingNotice.user_id == user.id)
            .order_by(TrainingNotice.id.desc())
            .limit(limit)
        )
    )




def unadmitted_calls(calls: list[Call]) -> dict[int, str]:
    """Calls taken on a line the operator was not admitted to at the time of the call:
    call id -> why (the same admission the exam pages and the line switch use)."""
    calls = [c for c in calls if c.operator_id and c.carrier is not None]
    if not calls:
        return {}
    in_force = rules()
    passes = _passes_of(sorted({c.operator_id for c in calls}))
    out = {}
    for call in calls:
        at = call.started_at or call.created_at
        admission = exams.admission_state(passes[call.operator_id], at, in_force).get(call.carrier.code)
        if admission is not None and not admission.admitted:
            out[call.id] = admission.reason
    return out


def call_page(call: Call) -> dict[str, Any]:
    """The call page's warning (event ``call.page``): taken on a line without admission."""
    reason = unadmitted_calls([call]).get(call.id)
    return {"line_warning": reason}


def unadmitted_recent(days: int = 7, limit: int = 50) -> list[tuple[Call, str]]:
    """A manager's list: the latest calls of the last ``days`` on a line without admission."""
    since = utcnow() - timedelta(days=days)
    moment = call_moment()
    recent = db.session.scalars(
        select(Call).where(moment >= since, Call.carrier_id.is_not(None), Call.operator_id.is_not(None))
        .options(selectinload(Call.operator), selectinload(Call.carrier))
        .order_by(moment.desc())).all()
    flagged = unadmitted_calls(list(recent))
    return [(c, flagged[c.id]) for c in recent if c.id in flagged][:limit]

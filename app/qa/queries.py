"""Data for the QA pages."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

import scoring
from app.calls import store
from app.calls.queries import call_moment, within_days
from app.extensions import db
from app.formatting import format_decimal
from app.models import Call, CallEvaluation, Carrier, Dispute, QaReview, QaVerdict, Role, Team, User, utcnow
from app.qa import operations
from app.qa.serialize import scoring_view

VERDICT_TITLES = {"met": "выполнено", "violated": "нарушено", "na": "неприменимо"}
QUEUE_SIZE = 30


QUEUE_FILTERS = ("operator", "team", "carrier", "date_from", "date_to", "score_max", "standard")


@dataclass(frozen=True)
class Page:
    """One page of rows of a multi-column select (what ``db.paginate`` does for one entity)."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @classmethod
    def of(cls, stmt: Select, page: int, per_page: int) -> Page:
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 1), pages)
        items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
        return cls(list(items), page, per_page, total)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def queue_select(user: User, args: Mapping[str, str]) -> Select:
    """Calls waiting for a QA listener: processed, not yet graded to the end, not being graded
    by someone else right now; the listener's own drafts first, then the lowest automatic score.

    :param args: filters of :data:`QUEUE_FILTERS` (empty or malformed ones are ignored).
    """
    latest = select(func.max(CallEvaluation.id)).group_by(CallEvaluation.call_id)
    finished = exists().where(QaReview.call_id == Call.id, QaReview.status == "finished")
    taken = exists().where(QaReview.call_id == Call.id, QaReview.status == "draft",
                           QaReview.grader_id != user.id,
                           QaReview.touched_at > utcnow() - operations.CLAIM_FOR)
    mine = exists().where(QaReview.call_id == Call.id, QaReview.status == "draft",
                          QaReview.grader_id == user.id)
    stmt = (select(Call, CallEvaluation.auto_score, mine.label("mine"))
            .join(CallEvaluation, CallEvaluation.call_id == Call.id)
            .options(selectinload(Call.operator).selectinload(User.team), selectinload(Call.carrier))
            .where(Call.status == "done", store.RECORDING_KEPT, CallEvaluation.id.in_(latest),
                   ~finished, ~taken))
    if args.get("operator"):
        stmt = stmt.where(Call.operator_id.in_(select(User.id).where(User.login == args["operator"])))
    if args.get("team", "").isdigit():
        stmt = stmt.where(Call.operator_id.in_(select(User.id).where(User.team_id == int(args["team"]))))
    if args.get("carrier"):
        stmt = stmt.where(Call.carrier_id.in_(select(Carrier.id).where(Carrier.code == args["carrier"])))
    stmt = within_days(stmt, args)
    if (ceiling := _number(args.get("score_max"))) is not None:
        stmt = stmt.where(CallEvaluation.auto_score <= ceiling)
    if args.get("standard"):
        stmt = stmt.where(CallEvaluation.verdicts[args["standard"]]["verdict"].as_boolean().is_(False))
    return stmt.order_by(mine.desc(), CallEvaluation.auto_score.asc().nulls_last(), call_moment().desc())


def _number(value: str | None) -> float | None:
    try:
        number = float((value or "").replace(",", "."))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def queue_context(user: User, args: Mapping[str, str] | None = None, page: int = 1) -> dict[str, Any]:
    args = {k: v.strip() for k, v in (args or {}).items() if k in QUEUE_FILTERS and v and v.strip()}
    pagination = Page.of(queue_select(user, args), page, QUEUE_SIZE)
    from app.qa.calibration import sessions_for

    open_disputes = db.session.scalar(select(db.func.count()).select_from(Dispute)
                                      .where(Dispute.status == "open"))
    card = operations.card_of(operations.active_scorecard())
    return {"to_grade": pagination.items, "pagination": pagination, "filters": args,
            "calibrations": sessions_for(user), "open_disputes": open_disputes,
            "operators": db.session.execute(select(User.login, User.full_name).where(
                User.role == Role.OPERATOR, User.active).order_by(User.full_name)).all(),
            "teams": db.session.scalars(select(Team).order_by(Team.name)).all(),
            "carriers": db.session.scalars(select(Carrier).order_by(Carrier.id)).all(),
            "criteria": card.criteria}


def grading_context(call: Call, user: User, session_id: int | None) -> dict[str, Any]:
    from app.calls.serialize import call_view

    ctx = call_view(call)
    ctx.update(scoring_view(call))
    ctx["rows"] = [row_context(call, c.key, user, session_id)["row"]
                   for c in (ctx["scoring"].card.criteria if ctx["scoring"] else [])]
    ctx["session_id"] = session_id
    ctx["titles"] = VERDICT_TITLES
    evaluation = operations.current_evaluation(call)
    review = operations.review_of(call, evaluation.scorecard_id) if evaluation and not session_id else None
    ctx["review"] = review
    ctx["claimed_by"] = (review.grader if operations.claim_live(review) and review.grader_id != user.id
                         else None)
    return ctx


def has_criterion(call: Call, key: str) -> bool:
    evaluation = operations.current_evaluation(call)
    return evaluation is not None and key in evaluation.verdicts


def row_context(call: Call, key: str, user: User, session_id: int | None, *,
                conflict: QaVerdict | None = None, mine: Any = None, error: str | None = None,
                saved: bool = False) -> dict[str, Any]:
    """One criterion row of the grading page (also returned alone after each autosave)."""
    evaluation = operations.current_evaluation(call)
    card = operations.card_of(evaluation.scorecard)
    criterion = next(c for c in card.criteria if c.key == key)
    human = operations.find_verdict(call, key, evaluation.scorecard_id, session_id, user)
    auto = evaluation.verdicts.get(key, {})
    return {"call": call, "session_id": session_id, "row": {
        "criterion": criterion,
        "auto": None if session_id else auto,   # calibration is blind
        "auto_value": operations.TO_DB[auto.get("verdict")] if auto else "na",
        "human": human,
        "conflict": conflict,
        "mine": mine,
        "error": error,
        "saved": saved,
    }, "titles": VERDICT_TITLES}


def disputes_context() -> dict[str, Any]:
    rows = db.session.scalars(select(Dispute).options(selectinload(Dispute.call),
                                                      selectinload(Dispute.operator))
                              .order_by(Dispute.status != "open", Dispute.id.desc()).limit(100)).all()
    titles = {c.key: c.title for c in operations.card_of(operations.active_scorecard()).criteria}
    return {"disputes": rows, "titles": titles}


def scorecard_context(form: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The scorecard form: weights in percent of the card, or what was typed (after a refusal),
    and their total."""
    row = operations.active_scorecard()
    card = operations.card_of(row)
    percents: dict[str, Any] = scoring.whole_percents({c.key: c.weight for c in card.criteria}, step=0.1)
    if form:
        percents = {key: form.get(f"weight-{key}", value) for key, value in percents.items()}
    tenths = 0
    for value in percents.values():
        try:
            tenths += round(float(str(value).replace(",", ".")) * 10)
        except ValueError:
            pass
    return {"row": row, "card": card, "forbidden": row.data.get("forbidden", []),
            "percents": percents, "total": tenths / 10, "total_ok": tenths == 1000}


NOT_SAVED = "Карта оценки не сохранена."


def card_from_form(form) -> dict[str, Any]:
    """The edited card: weights in percent of the whole card, which must add up to 100."""
    card = operations.card_of(operations.active_scorecard()).to_dict()
    total = Decimal(0)
    for criterion in card["criteria"]:
        key = criterion["key"]
        raw = (form.get(f"weight-{key}") or "").strip().replace(",", ".")
        which = f"{NOT_SAVED} Вес критерия «{criterion['title']}»"
        try:
            weight = Decimal(raw)
        except InvalidOperation:
            raise operations.QaError(f"{which} — число процентов, например 12,5; "
                                     f"получено «{raw}».") from None
        if not weight.is_finite() or weight <= 0 or weight > 100:
            raise operations.QaError(f"{which} — больше 0 и не больше 100 %; получено {raw} %.")
        total += weight
        criterion["weight"] = float(weight)
        criterion["critical"] = form.get(f"critical-{key}") == "on"
    if total != 100:
        change = "Уменьшите" if total > 100 else "Увеличите"
        raise operations.QaError(
            f"{NOT_SAVED} Веса критериев в сумме дают {format_decimal(float(total), 1)} %, а должны — ровно "
            f"100 %. {change} веса на {format_decimal(float(abs(total - 100)), 1)} %.")
    try:
        card["critical_cap"] = float(form.get("critical_cap", card["critical_cap"]))
    except ValueError:
        raise operations.QaError(
            f"{NOT_SAVED} Потолок при критичном нарушении — число от 0 до 100.") from None
    return card


def forbidden_from_form(form) -> list[str]:
    return [line.strip() for line in form.get("forbidden", "").splitlines() if line.strip()]


def home_panel(user: User) -> dict[str, Any]:
    """A QA listener's home card: what waits for them (queue, own drafts, disputes, calibration)."""
    from app.qa.calibration import sessions_for

    waiting = Page.of(queue_select(user, {}), 1, 1).total
    drafts = db.session.scalar(select(func.count(QaReview.id)).where(
        QaReview.grader_id == user.id, QaReview.status == "draft")) or 0
    disputes = db.session.scalar(select(func.count(Dispute.id)).where(Dispute.status == "open")) or 0
    sessions = [s for s in sessions_for(user) if s["done"] < s["total"]]
    return {"waiting": waiting, "drafts": drafts, "disputes": disputes, "sessions": sessions}

"""Scoring calls and the QA workflow: evaluations, listeners' verdicts, disputes, ratings.

The score of a call is never stored as a running value: it is computed by
:func:`scoring.compute_score` from the stored automatic evaluation, the listeners' verdicts
and the subscriber's rating, so every change goes through a recorded row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

import scoring
from app import audit
from app.extensions import db
from app.features import announce
from app.jobs.operations import enqueue
from app.models import (
    Call,
    CallEvaluation,
    Dispute,
    QaReview,
    QaVerdict,
    Rating,
    Role,
    Scorecard,
    Subscriber,
    Ticket,
    User,
    utcnow,
)
from app.outcome import Refused
from app.wording import say

log = logging.getLogger("ulybka.qa")

DEFAULT_NAME = "Стандарт обслуживания"
DISPUTE_WINDOW = timedelta(days=3)
CLAIM_FOR = timedelta(minutes=30)  # a draft untouched this long stops holding its call
CSAT_WEIGHT = 0.2
TO_DB = {True: "met", False: "violated", None: "na"}
FROM_DB = {v: k for k, v in TO_DB.items()}


class QaError(Refused):
    """A QA action was refused; the message is Russian and shown to people as is."""


class Claimed(QaError):
    """Another listener is grading the call right now."""

    def __init__(self, review: QaReview) -> None:
        super().__init__(f"Этот звонок сейчас оценивает {review.grader.full_name}. Выберите другой "
                         f"звонок в очереди — этот вернётся в неё, если оценку не продолжат "
                         f"{CLAIM_FOR.seconds // 60} минут.")
        self.review = review


class Conflict(QaError):
    """Someone else saved the same verdict since the page was loaded."""

    def __init__(self, current: QaVerdict) -> None:
        super().__init__("Эту оценку уже изменил другой слушатель.")
        self.current = current


# --- scorecards -----------------------------------------------------------------------------

def active_scorecard(call: Call | None = None) -> Scorecard:
    """The newest version of the default scorecard (created from the built-in one if absent); for
    a chat (a call of source ``chat``), of the chat scorecard «Стандарт переписки»."""
    chat = call is not None and call.source == "chat"
    name = scoring.CHAT_NAME if chat else DEFAULT_NAME
    row = db.session.scalar(select(Scorecard).where(Scorecard.name == name)
                            .order_by(Scorecard.version.desc()).limit(1))
    if row is None:
        card = scoring.chat_scorecard() if chat else scoring.default_scorecard()
        row = Scorecard(name=card.name, version=card.version,
                        data={"card": card.to_dict(), "forbidden": list(scoring.DEFAULT_FORBIDDEN)})
        db.session.add(row)
        db.session.flush()
    return row


def card_of(row: Scorecard) -> scoring.Scorecard:
    return scoring.Scorecard.from_dict(row.data["card"])


def save_scorecard(card_data: dict[str, Any], forbidden: list[str], *, actor: User) -> Scorecard:
    """Store an edited scorecard as a new version; old scores keep the version they were made with."""
    current = active_scorecard()
    card_data = {**card_data, "name": DEFAULT_NAME, "version": current.version + 1}
    try:
        card = scoring.Scorecard.from_dict(card_data)
        scoring.compile_phrases(forbidden)
    except scoring.ScoringError as exc:
        raise QaError(f"Карта оценки не сохранена. {say(exc)}") from None
    row = Scorecard(name=card.name, version=card.version, created_by_id=actor.id,
                    data={"card": card.to_dict(), "forbidden": forbidden})
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "scorecard.version", "scorecard", row.id, version=row.version)
    return row


# --- automatic evaluation -------------------------------------------------------------------

def _context(call: Call, row: Scorecard) -> scoring.Context:
    settings = current_app.config["ULYBKA"]
    first_name = call.operator.full_name.split()[0] if call.operator else None
    subscriber = None
    if call.source == "chat" and call.subscriber_number:
        subscriber = db.session.scalar(select(Subscriber.full_name)
                                       .where(Subscriber.phone == call.subscriber_number))
    return scoring.Context(company_names=(settings.company_name,), operator_name=first_name,
                           forbidden=scoring.compile_phrases(row.data.get("forbidden") or []),
                           subscriber_name=subscriber.split()[0] if subscriber else None)


def call_document(call: Call) -> dict[str, Any]:
    return {"duration": call.duration or 0.0, "segments": call.segments_original or [],
            "metrics": call.metrics or {}}


def evaluate_call(call: Call, row: Scorecard | None = None) -> CallEvaluation:
    """Judge a transcribed call on a scorecard version (the active one by default)."""
    row = row or active_scorecard(call)
    card = card_of(row)
    evaluation = scoring.evaluate(call_document(call), card, _context(call, row))
    verdicts = {key: v.to_dict() for key, v in evaluation.verdicts.items()}
    auto = scoring.compute_score(card, evaluation.verdicts)
    stored = db.session.scalar(select(CallEvaluation).where(CallEvaluation.call_id == call.id,
                                                            CallEvaluation.scorecard_id == row.id))
    if stored is None:
        stored = CallEvaluation(call_id=call.id, scorecard_id=row.id)
        db.session.add(stored)
    stored.verdicts, stored.auto_score, stored.created_at = verdicts, auto.value, utcnow()
    db.session.flush()
    return stored


def current_evaluation(call: Call) -> CallEvaluation | None:
    return db.session.scalar(select(CallEvaluation).where(CallEvaluation.call_id == call.id)
                             .order_by(CallEvaluation.id.desc()).limit(1))


def human_verdicts(call: Call, scorecard_id: int) -> dict[str, QaVerdict]:
    """The listeners' verdicts that count: those of a finished review (a draft counts nowhere)."""
    finished = select(QaReview.id).where(QaReview.call_id == call.id,
                                         QaReview.scorecard_id == scorecard_id,
                                         QaReview.status == "finished").exists()
    rows = db.session.scalars(select(QaVerdict).where(
        QaVerdict.call_id == call.id, QaVerdict.session_id.is_(None),
        QaVerdict.scorecard_id == scorecard_id, finished).order_by(QaVerdict.updated_at)).all()
    return {row.key: row for row in rows}


def rating_of(call: Call | None, ticket: Ticket | None = None) -> Rating | None:
    """The rating of a call, or of a ticket (``ticket_ref`` is its number)."""
    if call is not None:
        return db.session.scalar(select(Rating).where(Rating.call_id == call.id))
    return db.session.scalar(select(Rating).where(Rating.ticket_ref == str(ticket.number)))


@dataclass(frozen=True)
class CallScoring:
    evaluation: CallEvaluation
    card: scoring.Scorecard
    score: scoring.Score
    human: dict[str, QaVerdict]
    rating: Rating | None


def score_call(call: Call) -> CallScoring | None:
    """The call's score now: auto verdicts, overridden by listeners, blended with the rating."""
    evaluation = current_evaluation(call)
    if evaluation is None:
        return None
    card = card_of(evaluation.scorecard)
    human = human_verdicts(call, evaluation.scorecard_id)
    rating = rating_of(call)
    auto = {key: v["verdict"] for key, v in evaluation.verdicts.items()}
    score = scoring.compute_score(card, auto, {k: FROM_DB[v.verdict] for k, v in human.items()},
                                  csat=rating.stars if rating else None, csat_weight=CSAT_WEIGHT)
    return CallScoring(evaluation, card, score, human, rating)


def announce_score(call: Call) -> None:
    """Tell the listeners (the points ledger) the call's current score."""
    result = score_call(call)
    if result is None:
        return
    announce("call.score_changed", call, result)  # the games ledger listens


def after_processing(call: Call) -> None:
    """After speech processing (event ``call.processed``): score the call right away; the job
    goes on the queue when the processing job commits."""
    enqueue("calls.score", call_id=call.id)


def score_job(args: dict[str, Any], job_id: int) -> None:
    call = db.session.get(Call, args["call_id"])
    if call is None or call.status != "done":
        return
    row = db.session.get(Scorecard, args["scorecard_id"]) if args.get("scorecard_id") else None
    evaluate_call(call, row)
    db.session.commit()
    announce_score(call)
    db.session.commit()


def rescore_all(*, actor: User) -> int:
    """Rescore every processed call on the active scorecard version (an explicit action)."""
    row = active_scorecard()
    db.session.commit()
    ids = db.session.scalars(select(Call.id).where(Call.status == "done", Call.source != "chat")).all()
    for call_id in ids:
        enqueue("calls.score", call_id=call_id, scorecard_id=row.id)
    audit.record(actor, "scorecard.rescore", "scorecard", row.id, calls=len(ids))
    db.session.commit()
    return len(ids)


# --- listeners' verdicts --------------------------------------------------------------------

def find_verdict(call: Call, key: str, scorecard_id: int, session_id: int | None,
                 grader: User) -> QaVerdict | None:
    """The verdict on a criterion: the shared one, or in calibration this grader's own."""
    stmt = select(QaVerdict).where(QaVerdict.call_id == call.id, QaVerdict.key == key,
                                   QaVerdict.scorecard_id == scorecard_id)
    if session_id is None:
        stmt = stmt.where(QaVerdict.session_id.is_(None))
    else:
        stmt = stmt.where(QaVerdict.session_id == session_id, QaVerdict.grader_id == grader.id)
    return db.session.scalar(stmt.order_by(QaVerdict.id.desc()).limit(1))


def save_verdict(call: Call, key: str, verdict: str, *, grader: User, comment: str = "",
                 at_seconds: float | None = None, revision_seen: int | None = None,
                 session_id: int | None = None, settle: bool = False) -> QaVerdict:
    """Record a listener's verdict on one criterion.

    Outside calibration there is one shared verdict per criterion, in the call's review: a
    draft (counted nowhere until finished, see :func:`finish_review`) or a finished one (the
    change counts at once). Saving over a revision the listener has not seen raises
    :class:`Conflict` (nobody's edit is lost silently); another listener's live draft raises
    :class:`Claimed`.

    :param settle: the verdict is a decision that counts now (a resolved dispute): a review
        that did not exist, or was a draft, is finished with it.
    """
    evaluation = current_evaluation(call)
    if evaluation is None:
        raise QaError("Звонок ещё не оценён автоматически — дождитесь окончания обработки.")
    keys = [c.key for c in card_of(evaluation.scorecard).criteria]
    if key not in keys:
        raise QaError(f"В карте оценки нет критерия «{key}».")
    if verdict not in FROM_DB:
        raise QaError("Оценка — «выполнено», «нарушено» или «неприменимо».")
    review = claim_review(call, evaluation.scorecard_id, grader) if session_id is None else None
    if review is not None and review.status == "draft" and settle:
        review.status, review.finished_at = "finished", utcnow()  # a decision, not a draft
    row = find_verdict(call, key, evaluation.scorecard_id, session_id, grader)
    if row is None:
        row = QaVerdict(call_id=call.id, key=key, scorecard_id=evaluation.scorecard_id,
                        session_id=session_id, grader_id=grader.id, revision=0)
        db.session.add(row)
    elif session_id is None and revision_seen is not None and revision_seen != row.revision:
        raise Conflict(row)
    elif (row.verdict, row.comment, row.at_seconds) == (verdict, comment.strip(), at_seconds):
        return row  # the same again (a blur after the autosave of typing): nothing new to record
    row.verdict, row.comment, row.at_seconds = verdict, comment.strip(), at_seconds
    row.grader_id, row.revision, row.updated_at = grader.id, row.revision + 1, utcnow()
    db.session.flush()
    audit.record(grader, "qa.verdict", "call", call.id, key=key, verdict=verdict,
                 session=session_id, comment=row.comment)
    if review is not None and review.status == "finished":
        db.session.commit()
        announce_score(call)
    return row


# --- reviews: a listener's grading, draft until finished -----------------------------------

def review_of(call: Call, scorecard_id: int) -> QaReview | None:
    return db.session.scalar(select(QaReview).where(QaReview.call_id == call.id,
                                                    QaReview.scorecard_id == scorecard_id))


def claim_live(review: QaReview | None, now: datetime | None = None) -> bool:
    """A draft somebody touched within :data:`CLAIM_FOR`: the queue offers its call to nobody else."""
    now = now or utcnow()
    return review is not None and review.status == "draft" and now - review.touched_at < CLAIM_FOR


def claim_review(call: Call, scorecard_id: int, grader: User) -> QaReview:
    """The review ``grader`` works on: theirs, a new draft, or a draft left untouched for
    :data:`CLAIM_FOR` (which passes to them); a finished review takes edits as they come.

    :raises Claimed: another listener is grading the call now (a manager may take it over).
    """
    now = utcnow()
    row = review_of(call, scorecard_id)
    if row is None:
        row = QaReview(call_id=call.id, scorecard_id=scorecard_id, grader_id=grader.id,
                       status="draft", started_at=now, touched_at=now)
        db.session.add(row)
        db.session.flush()
        return row
    if row.status == "draft" and row.grader_id != grader.id:
        if claim_live(row, now) and grader.role != Role.MANAGER:
            raise Claimed(row)
        row.grader_id = grader.id
    row.touched_at = now
    return row


def finish_review(call: Call, *, grader: User) -> QaReview:
    """«Завершить оценку»: every criterion gets a verdict (what the listener left as the automatic
    one is confirmed as theirs), the review is finished and from now on counts everywhere."""
    evaluation = current_evaluation(call)
    if evaluation is None:
        raise QaError("Звонок ещё не оценён автоматически — дождитесь окончания обработки.")
    row = claim_review(call, evaluation.scorecard_id, grader)
    if row.status == "finished":
        raise QaError("Оценка этого звонка уже завершена: правки сохраняются сразу.")
    card = card_of(evaluation.scorecard)
    mine = {v.key: v for v in db.session.scalars(select(QaVerdict).where(
        QaVerdict.call_id == call.id, QaVerdict.session_id.is_(None),
        QaVerdict.scorecard_id == evaluation.scorecard_id))}
    missing = [c.title for c in card.criteria if c.key not in mine and c.key not in evaluation.verdicts]
    if missing:
        raise QaError("Выберите оценку по критериям: " + ", ".join(f"«{t}»" for t in missing) + ".")
    now = utcnow()
    for criterion in card.criteria:
        if criterion.key not in mine:
            db.session.add(QaVerdict(
                call_id=call.id, key=criterion.key, scorecard_id=evaluation.scorecard_id,
                verdict=TO_DB[evaluation.verdicts[criterion.key].get("verdict")], comment="",
                grader_id=grader.id, revision=1, updated_at=now))
    row.status, row.finished_at, row.touched_at, row.grader_id = "finished", now, now, grader.id
    db.session.flush()
    audit.record(grader, "qa.review_finished", "call", call.id, review=row.id)
    db.session.commit()
    announce_score(call)
    return row


# --- disputes -------------------------------------------------------------------------------

def open_dispute(call: Call, key: str, comment: str, *, operator: User) -> Dispute:
    if call.operator_id != operator.id:
        raise QaError("Оспорить можно только оценку собственного звонка.")
    result = score_call(call)
    if result is None:
        raise QaError("У звонка ещё нет оценки.")
    if key not in {c.key for c in result.card.criteria}:
        raise QaError(f"В карте оценки нет критерия «{key}».")
    opened_from = result.evaluation.created_at
    if utcnow() - opened_from > DISPUTE_WINDOW:
        raise QaError(f"Срок оспаривания истёк: он составляет {DISPUTE_WINDOW.days} дня с оценки звонка.")
    if not comment.strip():
        raise QaError("Объясните, с чем вы не согласны.")
    if db.session.scalar(select(Dispute).where(Dispute.call_id == call.id, Dispute.key == key,
                                               Dispute.status == "open")):
        raise QaError("По этому критерию спор уже открыт.")
    dispute = Dispute(call_id=call.id, key=key, operator_id=operator.id, comment=comment.strip())
    db.session.add(dispute)
    db.session.flush()
    audit.record(operator, "dispute.open", "call", call.id, key=key, dispute=dispute.id)
    return dispute


def resolve_dispute(dispute: Dispute, accept: bool, reason: str, *, resolver: User) -> Dispute:
    """Accept (the criterion becomes «выполнено» through a recorded verdict) or reject."""
    if dispute.status != "open":
        raise QaError("Спор уже рассмотрен.")
    if not reason.strip():
        raise QaError("Укажите причину решения.")
    dispute.status = "accepted" if accept else "rejected"
    dispute.resolver_id, dispute.resolution, dispute.resolved_at = resolver.id, reason.strip(), utcnow()
    db.session.flush()
    audit.record(resolver, "dispute." + dispute.status, "call", dispute.call_id, key=dispute.key,
                 dispute=dispute.id, reason=dispute.resolution)
    if accept:
        save_verdict(dispute.call, dispute.key, "met", grader=resolver, settle=True,
                     comment=f"Спор №{dispute.id} принят: {dispute.resolution}")
    return dispute


# --- ratings --------------------------------------------------------------------------------

def add_rating(*, stars: Any, comment: str = "", call_id: Any = None, ticket_ref: str | None = None,
               source: str = "survey") -> Rating:
    """One rating 1..5 per contact (a call, or a ticket by its number: «1042» or «#1042»); it
    counts for the operator who handled the call or resolved the ticket."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        raise QaError("Оценка — целое число от 1 до 5.") from None
    if not 1 <= stars <= 5:
        raise QaError("Оценка — целое число от 1 до 5.")
    if (call_id is None) == (ticket_ref is None):
        raise QaError("Укажите ровно одно обращение: звонок или заявку.")
    call = ticket = None
    if call_id is not None:
        call = db.session.get(Call, call_id) if str(call_id).isdigit() else None
        if call is None:
            raise QaError(f"Звонка №{call_id} нет.")
        if rating_of(call) is not None:
            raise QaError("Этот звонок уже оценён.")
    else:
        number = str(ticket_ref).strip().lstrip("#")
        ticket = (db.session.scalar(select(Ticket).where(Ticket.number == int(number)))
                  if number.isdigit() else None)
        if ticket is None:
            raise QaError(f"Обращения {ticket_ref} нет.")
        if ticket.resolved_at is None or ticket.status not in ("resolved", "closed"):
            raise QaError(f"Обращение #{ticket.number} ещё не решено: оценить можно решённое.")
        if rating_of(None, ticket) is not None:
            raise QaError("Эта заявка уже оценена.")
    rating = Rating(call_id=call.id if call else None, ticket_ref=str(ticket.number) if ticket else None,
                    stars=stars, comment=(comment or "").strip()[:2000], source=source)
    db.session.add(rating)
    db.session.flush()
    audit.record(None, "rating.add", "call" if call else "ticket", call.id if call else ticket.number,
                 stars=stars)
    db.session.commit()
    if call is not None:
        announce_score(call)
    handler = call.operator if call is not None else ticket.resolved_by
    if handler is not None:
        announce("rating.added", rating, handler.login)
    return rating

"""The carriers' catalogues in the knowledge base: read from each carrier's system, reviewed by a
manager, published as the carrier's catalogue article; operators confirm the change as read.

A sync (:func:`sync`, hourly and on a manager's request) reads the carrier's tariffs and options
through its adapter and compares them with the last published reading. When they differ, the
reading waits as ``pending``, with the diff, until a manager publishes it (:func:`publish`: a new
version of the article ``catalogue-<carrier>``, and a :class:`KbChangeNotice` to every operator
admitted to that carrier's line) or rejects it (:func:`reject`: the same reading is not offered
again; a different one is). A reading the carrier could not give (a timeout, garbage) changes
nothing and is shown as the last failure until a sync succeeds.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

import carriers
from app.extensions import db
from app.games.cache import cached, invalidate_leaderboards
from app.kb.operations import save_article
from app.models import CarrierCatalogue, KbArticle, KbArticleVersion, KbChangeNotice, Role, User, utcnow
from app.outcome import Refused
from app.wording import say
from carriers.errors import CarrierError
from carriers.plans import Change, Offer, diff_offers, offer_markdown, offer_to_json, parse_offer

log = logging.getLogger("ulybka.kb")
TAGS = ["каталог", "тарифы", "опции", "абонентская плата"]


class CatalogueError(Refused):
    """A catalogue review was refused; the message (Russian) says why."""


def slug_of(carrier: str) -> str:
    return f"catalogue-{carrier}"


def title_of(carrier: str) -> str:
    return f"Тарифы и опции {carriers.carrier_name(carrier)}: каталог"


def _latest(carrier: str, *states: str) -> CarrierCatalogue | None:
    return db.session.scalar(
        select(CarrierCatalogue)
        .where(CarrierCatalogue.carrier == carrier, CarrierCatalogue.status.in_(states))
        .order_by(CarrierCatalogue.id.desc()).limit(1))


def published_offer(carrier: str) -> Offer:
    """The catalogue as last published (none yet: an empty one, so everything reads as new)."""
    row = _latest(carrier, "published")
    return parse_offer(row.offer, carrier) if row is not None and row.offer else Offer((), ())


def changes_of(row: CarrierCatalogue) -> list[Change]:
    return [Change(**c) for c in row.changes or ()]


def _fetch(carrier: str) -> Offer:
    from app.tickets.actions import adapter_for  # the one place adapters are configured

    return adapter_for(carrier).offer()


def sync(carrier: str, now: datetime | None = None) -> CarrierCatalogue | None:
    """Read the carrier's catalogue and record what it says: a new ``pending`` reading when it
    differs from the published one, the same pending or rejected row (checked again) when the
    carrier still says that, a ``failed`` row when it could not be read; None when the
    catalogue is as published."""
    carriers.carrier(carrier)
    now = now or utcnow()
    try:
        offer = _fetch(carrier)
    except CarrierError as exc:
        reason = say(exc).split(";")[0].rstrip(".")
        return _failed(carrier, f"{reason}. Следующая сверка — через час (или «Сверить сейчас»).", now)
    reading = offer_to_json(offer)
    published = _latest(carrier, "published")
    changes = diff_offers(published_offer(carrier), offer)
    pending = _latest(carrier, "pending")
    if not changes:
        if pending is not None:
            pending.status = "superseded"
            pending.note = "система оператора снова показывает опубликованный каталог"
        if published is not None:
            published.checked_at = now
        db.session.flush()
        return None
    for row in (pending, _latest(carrier, "rejected", "published")):
        if row is not None and row.status != "published" and row.offer == reading:
            row.checked_at = now
            db.session.flush()
            return row
    if pending is not None:
        pending.status, pending.note = "superseded", "система оператора показала более новый каталог"
    row = CarrierCatalogue(carrier=carrier, status="pending", offer=reading, checked_at=now,
                           changes=[dataclasses.asdict(c) for c in changes])
    db.session.add(row)
    db.session.flush()
    log.info("catalogue of %s read: %s changes wait for review (#%s)", carrier, len(changes), row.id)
    return row


def _failed(carrier: str, reason: str, now: datetime) -> CarrierCatalogue:
    newest = db.session.scalar(
        select(CarrierCatalogue).where(CarrierCatalogue.carrier == carrier)
        .order_by(CarrierCatalogue.checked_at.desc(), CarrierCatalogue.id.desc()).limit(1))
    if newest is not None and newest.status == "failed":
        newest.checked_at, newest.note = now, reason[:300]
    else:
        newest = CarrierCatalogue(carrier=carrier, status="failed", offer=None, note=reason[:300],
                                  checked_at=now)
        db.session.add(newest)
    db.session.flush()
    log.warning("catalogue of %s not read: %s", carrier, reason)
    return newest


def sync_all(now: datetime | None = None) -> dict[str, CarrierCatalogue | None]:
    """:func:`sync` every carrier, each in its own transaction (one carrier down stops no other)."""
    out = {}
    for code in carriers.CODES:
        out[code] = sync(code, now)
        db.session.commit()
    return out


def periodic_sync() -> None:
    sync_all()


def run_sync(args: dict[str, Any], job_id: int) -> None:
    """The job a manager's «Сверить сейчас» queues."""
    sync_all()


def _undecided(row: CarrierCatalogue) -> None:
    if row.status != "pending":
        state = {"published": "уже опубликована", "rejected": "уже отклонена",
                 "superseded": "устарела: система оператора показала более новый каталог",
                 "failed": "не состоялась"}[row.status]
        raise CatalogueError(f"Эта сверка {state} — откройте страницу каталогов заново.")


def publish(row: CarrierCatalogue, actor: User | None, now: datetime | None = None, *,
            notify: bool = True) -> tuple[KbArticleVersion, int]:
    """Publish a pending reading: a new version of the carrier's catalogue article and a change
    notice to each operator admitted to the carrier's line. Returns the version and how many
    operators were notified."""
    _undecided(row)
    now = now or utcnow()
    offer = parse_offer(row.offer, row.carrier)
    article = db.session.scalar(select(KbArticle).where(KbArticle.slug == slug_of(row.carrier)))
    saved, version = save_article(
        article, title=title_of(row.carrier), carrier=row.carrier, topic="tariffs",
        body_md=offer_markdown(carriers.carrier_name(row.carrier), offer), tags=TAGS,
        effective_from=now.date(), author=actor, slug=slug_of(row.carrier))
    version = version or saved.versions[0]  # the article already says exactly this
    row.status, row.decided_at, row.version = "published", now, version
    row.decided_by_id = actor.id if actor else None
    notified = _notify(row, version) if notify and row.changes else 0
    db.session.flush()
    log.info("catalogue of %s published as %s v%s by %s; %s operators notified", row.carrier, saved.slug,
             version.version, actor.login if actor else "the demo", notified)
    return version, notified


def reject(row: CarrierCatalogue, actor: User, note: str = "", now: datetime | None = None) -> None:
    """Reject a pending reading: the article stays as it is and the same reading is not offered again."""
    _undecided(row)
    row.status, row.decided_at, row.decided_by_id = "rejected", now or utcnow(), actor.id
    row.note = note.strip()[:300]
    db.session.flush()
    log.info("catalogue reading #%s of %s rejected by %s", row.id, row.carrier, actor.login)


def _notify(row: CarrierCatalogue, version: KbArticleVersion) -> int:
    from app.exams.admission import admissions_of

    operators = list(db.session.scalars(
        select(User).where(User.role == Role.OPERATOR, User.active.is_(True))))
    admitted = admissions_of(operators)
    changes = changes_of(row)
    listed = ". ".join(c.describe() for c in changes[:4])
    listed += ". И другие изменения" if len(changes) > 4 else ""
    text = f"Изменился каталог {carriers.carrier_name(row.carrier)}. {listed}."[:400]
    count = 0
    for user in operators:
        admission = admitted.get(user.id, {}).get(row.carrier)
        if admission is not None and admission.admitted:
            db.session.add(KbChangeNotice(user_id=user.id, version_id=version.id, text=text))
            count += 1
    if count:
        invalidate_leaderboards(db.session)  # the operators' home pages cache their notices
    return count


def confirm_read(notice: KbChangeNotice, now: datetime | None = None) -> bool:
    """The operator confirms having read the change; True the first time (a second click keeps
    the first time)."""
    if notice.read_at is not None:
        return False
    notice.read_at = now or utcnow()
    db.session.flush()
    invalidate_leaderboards(db.session)  # the home page caches the unread notices
    return True


def unread_notices(user: User) -> list[dict[str, Any]]:
    """The operator's unread notices (newest first, at most 20) as plain values: ``id``, ``text``,
    ``created_at``, ``article_id``. Cached with the operator's home page (app.games.cache): the
    writes that add or read a notice clear it, so a warm home page runs no SQL."""
    def load() -> list[dict[str, Any]]:
        rows = db.session.execute(
            select(KbChangeNotice.id, KbChangeNotice.text, KbChangeNotice.created_at,
                   KbArticleVersion.article_id)
            .join(KbArticleVersion, KbArticleVersion.id == KbChangeNotice.version_id)
            .where(KbChangeNotice.user_id == user.id, KbChangeNotice.read_at.is_(None))
            .order_by(KbChangeNotice.id.desc()).limit(20))
        return [{"id": i, "text": t, "created_at": c, "article_id": a} for i, t, c, a in rows]
    return cached(("kb-notices", user.id), load)


def home_panel(user: User) -> dict[str, Any]:
    return {"notices": unread_notices(user)}


def read_counts(version_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Version id → (operators who confirmed, operators notified)."""
    if not version_ids:
        return {}
    rows = db.session.execute(
        select(KbChangeNotice.version_id, func.count(KbChangeNotice.read_at), func.count())
        .where(KbChangeNotice.version_id.in_(version_ids)).group_by(KbChangeNotice.version_id))
    return {vid: (read, total) for vid, read, total in rows}


def overview() -> list[dict[str, Any]]:
    """Per carrier: the pending reading with its diff, the last failure (when newer than the
    last good reading), the published history with who read it."""
    out = []
    for info in carriers.CATALOGUE.values():
        rows = list(db.session.scalars(
            select(CarrierCatalogue).where(CarrierCatalogue.carrier == info.code)
            .order_by(CarrierCatalogue.id.desc()).limit(30)))
        pending = next((r for r in rows if r.status == "pending"), None)
        good = [r for r in rows if r.status != "failed"]
        failure = next((r for r in rows if r.status == "failed"), None)
        if failure is not None and good and max(r.checked_at for r in good) > failure.checked_at:
            failure = None
        decided = [r for r in rows if r.status in ("published", "rejected")][:6]
        article = db.session.scalar(select(KbArticle).where(KbArticle.slug == slug_of(info.code)))
        out.append({
            "carrier": info, "pending": pending, "changes": changes_of(pending) if pending else [],
            "failure": failure, "decided": decided, "article": article,
            "checked_at": max((r.checked_at for r in rows), default=None),
            "reads": read_counts([r.version_id for r in decided if r.version_id]),
            "diff": _text_diff(info.code, pending) if pending else [],
        })
    return out


def _text_diff(carrier: str, row: CarrierCatalogue) -> list[tuple[str, str]]:
    """The article's lines before and after, as ``(" "|"+"|"-", line)`` (changed lines only, with
    the headings for context)."""
    import difflib

    name = carriers.carrier_name(carrier)
    before = offer_markdown(name, published_offer(carrier)).splitlines()
    after = offer_markdown(name, parse_offer(row.offer, carrier)).splitlines()
    out = []
    for line in difflib.ndiff(before, after):
        mark, text = line[:1], line[2:]
        if mark in "+-" or (mark == " " and text.startswith("## ")):
            out.append((mark, text))
    return out

"""Demo data of the knowledge base: the catalogue articles (tariffs, options, roaming, devices),
and each carrier's catalogue as published a month ago. MTS has changed since (a dearer «Смарт»,
a new option «МТС Музыка»), so the first sync puts a real change up for the manager's review."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

import carriers
from app.extensions import db
from app.kb.catalogue import publish
from app.kb.operations import seed_catalogue
from app.models import CarrierCatalogue, KbArticle, KbSearch, utcnow
from carriers.plans import Offer, diff_offers, offer, offer_to_json


def month_ago_offer(code: str) -> Offer:
    """What the carrier listed a month ago in the demo's story."""
    now = offer(code)
    if code != "mts":
        return now
    tariffs = tuple(dataclasses.replace(t, fee=t.fee - 50) if t.code == "mts_smart" else t
                    for t in now.tariffs)
    return Offer(tariffs, tuple(o for o in now.options if o.code != "mts_music"))


def seed_published_catalogues() -> int:
    """Each carrier's catalogue article as published a month ago (idempotent)."""
    made = 0
    at = utcnow() - timedelta(days=30)
    for code in carriers.CODES:
        if db.session.scalar(select(CarrierCatalogue.id).where(CarrierCatalogue.carrier == code).limit(1)):
            continue
        then = month_ago_offer(code)
        row = CarrierCatalogue(carrier=code, status="pending", offer=offer_to_json(then), checked_at=at,
                               changes=[dataclasses.asdict(c) for c in diff_offers(Offer((), ()), then)])
        db.session.add(row)
        db.session.flush()
        publish(row, None, at, notify=False)
        made += 1
    return made


QUERIES = (
    "роуминг турция", "замена симки", "перенос номера", "настройка интернета iphone", "антиспам",
    "безлимит на выходные", "детализация звонков", "смена тарифа", "блокировка при утере",
    "esim", "вернуть деньги за подписку", "мои страны", "раздача интернета", "apn мегафон",
)
GAPS = ("тариф для умных часов", "кэшбэк за оплату", "сим для ребёнка без паспорта")


def seed_searches(rng: random.Random, days: int = 7) -> int:
    """A week of operators' knowledge-base lookups, for the report (idempotent): most open an
    article within half a minute, some take longer, a few find nothing."""
    from app.demo import demo_operators

    if db.session.scalar(select(KbSearch.id).limit(1)):
        return 0
    articles = list(db.session.scalars(select(KbArticle.id)))
    operators = [user for user, _lines, _night in demo_operators()]
    if not articles or not operators:
        return 0
    now, made = utcnow(), 0
    for user in operators:
        slow = rng.random() < 0.2  # a few newcomers who still take their time
        for _ in range(rng.randint(3, 9)):
            at = now - timedelta(days=rng.random() * days)
            if rng.random() < 0.07:
                db.session.add(KbSearch(user_id=user.id, query=rng.choice(GAPS), results=0, searched_at=at))
            else:
                opened = rng.random() < 0.9
                delay = rng.lognormvariate(3.3 if slow else 2.6, 0.55)
                db.session.add(KbSearch(
                    user_id=user.id, query=rng.choice(QUERIES), results=rng.randint(1, 8), searched_at=at,
                    opened_at=at + timedelta(seconds=delay) if opened else None,
                    opened_article_id=rng.choice(articles) if opened else None))
            made += 1
    db.session.flush()
    return made


def seed_kb_demo(rng: random.Random) -> dict[str, Any]:
    return {"kb_articles": seed_catalogue(), "carrier_catalogues": seed_published_catalogues(),
            "kb_searches": seed_searches(rng)}

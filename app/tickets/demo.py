"""The demo's subscriber base and a week of tickets, through the real operations.

A few thousand believable subscribers across the three carriers (the real base is 21,000), each
with the tariff and options the carrier sandbox has for the number (:func:`carriers.sandbox.seed_line`),
``+79161234567`` (MTS) among them and tied to the demo login ``subscriber``; a hundred and
fifty tickets from every channel in every state, answered, noted, assigned and resolved by the
demo operators. A second run adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select

import carriers
from app.demo import FIRST_F, FIRST_M, LAST, feminine
from app.extensions import db
from app.models import Carrier, Role, Subscriber, Ticket, User, utcnow
from app.tickets import operations
from carriers.sandbox import seed_line

SUBSCRIBERS = 3000
TICKETS = 150
KNOWN = (("+79161234567", "mts", "subscriber", "Пётр Васильев", "petr.vasiliev@example.ru"),
         ("+79267654321", "megafon", "subscriber2", "Людмила Фролова", "l.frolova@example.ru"),
         ("+79031112233", "beeline", "subscriber3", "Георгий Андреев", "andreev.g@example.ru"))
PREFIXES = {"mts": ["910", "915", "916", "917", "985"], "megafon": ["920", "925", "926", "929", "999"],
            "beeline": ["903", "905", "906", "909", "962"]}
REQUESTS = {
    "option_on": ("Подключите опцию «{name}»", "Здравствуйте! Хочу подключить «{name}». Спасибо."),
    "option_off": ("Отключите опцию «{name}»", "Добрый день, прошу отключить «{name}», я ей не пользуюсь."),
    "tariff_change": ("Переход на тариф «{name}»",
                      "Здравствуйте, хочу перейти на тариф «{name}» с завтрашнего дня."),
    "device_setup": ("Не работает мобильный интернет",
                     "После обновления телефона пропал интернет, помогите."),
    "balance": ("Непонятное списание", "Вчера списали 300 рублей, я ничего не подключал. Что это?"),
    "complaint": ("Жалоба на обслуживание", "Третий раз звоню, и никто не может решить мой вопрос!"),
    "other": ("Вопрос по договору", "Подскажите, как получить копию договора?"),
}
CHANNELS = ["phone", "phone", "email", "email", "web_form", "cabinet", "chat"]


def _person(rng: random.Random) -> str:
    if rng.random() < 0.55:
        return f"{rng.choice(FIRST_F)} {feminine(rng.choice(LAST))}"
    return f"{rng.choice(FIRST_M)} {rng.choice(LAST)}"


def seed_subscribers(rng: random.Random) -> int:
    if db.session.scalar(select(Subscriber.id).limit(1)):
        return 0
    lines = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    logins = dict(db.session.execute(select(User.login, User.id).where(User.role == Role.SUBSCRIBER)).all())
    rows, used = [], set()
    for phone, code, login, name, email in KNOWN:
        line = seed_line(code, phone)  # what the carrier sandbox has for the number
        rows.append({"phone": phone, "carrier_id": lines[code], "full_name": name, "email": email,
                     "tariff": line["tariff"], "options": line["options"],
                     "balance": Decimal(str(line["balance"])), "status": "active",
                     "user_id": logins.get(login), "created_at": utcnow() - timedelta(days=400)})
        used.add(phone)
    while len(rows) < SUBSCRIBERS:
        code = rng.choices(carriers.CODES, weights=(45, 30, 25))[0]
        phone = f"+7{rng.choice(PREFIXES[rng.choice(carriers.CODES)])}{rng.randint(0, 9_999_999):07d}"
        if phone in used:  # numbers are portable: any range can be on any carrier
            continue
        used.add(phone)
        line = seed_line(code, phone)
        rows.append({"phone": phone, "carrier_id": lines[code], "full_name": _person(rng),
                     "email": f"abonent{len(rows)}@example.ru" if rng.random() < 0.6 else None,
                     "tariff": line["tariff"], "options": line["options"],
                     "balance": Decimal(str(line["balance"])), "status": "active", "user_id": None,
                     "created_at": utcnow() - timedelta(days=rng.randint(1, 2000))})
    db.session.execute(insert(Subscriber), rows)
    db.session.flush()
    return len(rows)


def _request(rng: random.Random, subscriber: Subscriber) -> tuple[str, dict[str, str], str, str]:
    offer = carriers.offer(subscriber.carrier.code)
    kind = rng.choice(list(REQUESTS))
    extra: dict[str, str] = {}
    name = ""
    if kind == "option_on":
        free = [o for o in offer.options if o.code not in (subscriber.options or [])]
        if not free:
            kind = "other"
        else:
            choice = rng.choice(free)
            extra, name = {"option": choice.code}, choice.name
    elif kind == "option_off":
        if not subscriber.options:
            kind = "other"
        else:
            choice = offer.option(rng.choice(subscriber.options))
            extra, name = {"option": choice.code}, choice.name
    elif kind == "tariff_change":
        choice = rng.choice([t for t in offer.tariffs if t.code != subscriber.tariff])
        extra, name = {"tariff": choice.code}, choice.name
    subject, body = REQUESTS[kind]
    return kind, extra, subject.format(name=name), body.format(name=name)


def seed_tickets_demo(rng: random.Random) -> dict[str, Any]:
    """The subscriber base and a week of tickets (idempotent)."""
    made = seed_subscribers(rng)
    if db.session.scalar(select(Ticket.id).limit(1)):
        db.session.commit()
        return {"subscribers": made, "tickets": 0}
    from app.exams.admission import admissions_of

    operators = db.session.scalars(select(User).where(User.role == Role.OPERATOR, User.active)
                                   .order_by(User.login)).all()
    admitted = admissions_of(operators)
    base = db.session.scalars(select(Subscriber).order_by(Subscriber.id).limit(600)).all()
    now = utcnow()
    for n in range(TICKETS):
        subscriber = base[0] if n % 10 == 0 else rng.choice(base)  # the demo subscriber has a few
        kind, extra, subject, body = _request(rng, subscriber)
        created = now - timedelta(hours=rng.uniform(0.2, 24 * 7))
        channel = rng.choice(CHANNELS)
        ticket = operations.create_ticket(channel=channel, type=kind, subject=subject, body=body,
                                          subscriber=subscriber, at=created, **extra,
                                          priority=rng.choice(["normal"] * 6 + ["high", "low"]))
        fate = rng.random()
        if fate < 0.15:
            continue  # still new, nobody has it
        line = subscriber.carrier.code
        able = [u for u in operators if admitted[u.id][line].admitted] or operators
        worker = rng.choice(able)
        reply_at = created + timedelta(minutes=rng.randint(5, 150))
        operations.assign(ticket, worker, None, at=min(now, created + timedelta(minutes=2)))
        if reply_at > now:
            continue
        operations.add_comment(ticket, "Здравствуйте! Приняли ваше обращение, уже разбираемся.",
                               author=worker, at=reply_at, mail=False)  # history: nothing to send now
        if fate < 0.35:
            operations.add_comment(ticket, "Проверил(а) историю списаний, жду ответа от оператора связи.",
                                   author=worker, public=False, at=reply_at + timedelta(minutes=3))
            continue
        if fate < 0.5:
            operations.change_status(ticket, "pending_subscriber", worker, at=reply_at + timedelta(minutes=1))
            continue
        done_at = reply_at + timedelta(minutes=rng.randint(10, 600))
        if done_at > now:
            continue
        operations.add_comment(ticket, "Готово: всё сделали, проверьте, пожалуйста.", author=worker,
                               at=done_at, mail=False)
        operations.change_status(ticket, "resolved", worker, at=done_at, mail=False)
        if fate > 0.85 and done_at + timedelta(hours=24) < now:
            operations.change_status(ticket, "closed", worker, at=done_at + timedelta(hours=24), mail=False)
    db.session.commit()
    return {"subscribers": made, "tickets": TICKETS}

"""The demo's finished chats: one well handled, one slow with a pasted wall of text, made by the
real operations and scored on the chat scorecard like any chat (idempotent)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.chat import operations
from app.extensions import db
from app.models import Chat, ChatMessage, Role, Subscriber, User, utcnow
from app.qa.operations import announce_score, evaluate_call

WALL = ("Роуминг подключается автоматически при выезде за границу. Стоимость зависит от страны "
        "пребывания: в странах первой группы минута разговора стоит 49 ₽, мегабайт интернета — 10 ₽; "
        "в странах второй группы минута стоит 99 ₽, мегабайт — 350 ₽. Пакеты интернета в роуминге "
        "подключаются в приложении или по короткой команде, действуют 7 или 30 дней, остаток не "
        "переносится. Если баланс станет отрицательным, связь ограничат до пополнения. Входящие "
        "вызовы тарифицируются как исходящие. SMS стоят 19 ₽. Чтобы не было неожиданных списаний, "
        "отключите фоновое обновление приложений и автоматическую загрузку медиа в мессенджерах. "
        "Подробные цены по каждой стране есть в разделе «Роуминг» на сайте и в личном кабинете, там же "
        "можно заранее подключить пакет и проверить остаток.")
CHATS = (
    ("operator", "+79161234567", [
        ("subscriber", 0, "Здравствуйте! Я в Турции, не работает мобильный интернет"),
        ("operator", 45, "Здравствуйте, Пётр! Компания мтСЕТЬ, меня зовут {op}. Понимаю, как это неудобно в "
                         "поездке, сейчас проверю."),
        ("subscriber", 80, "Спасибо"),
        ("operator", 150, "Я подключила опцию «Роуминг 50 ГБ», интернет заработает в течение пяти минут. "
                          "Спасибо за обращение, всего доброго, до свидания!"),
    ]),
    (None, "+79267654321", [  # another operator of the line
        ("subscriber", 0, "Добрый день, сколько стоит роуминг?"),
        ("operator", 420, "Здравствуйте. " + WALL),
        ("subscriber", 500, "Понятно"),
        ("operator", 530, "До свидания."),
    ]),
)


def seed_chats_demo(rng: random.Random) -> dict[str, Any]:
    if db.session.scalar(select(Chat.id).limit(1)):
        return {"chats": 0}
    made = 0
    yesterday = utcnow() - timedelta(days=1, hours=rng.randint(1, 5))
    for login, phone, lines in CHATS:
        operator = db.session.scalar(select(User).where(User.login == login) if login else select(User).where(
            User.role == Role.OPERATOR, User.login != "operator", User.active).order_by(User.login).limit(1))
        subscriber = db.session.scalar(select(Subscriber).where(Subscriber.phone == phone))
        if operator is None or subscriber is None:
            continue
        start = yesterday + timedelta(minutes=30 * made)
        chat = Chat(subscriber=subscriber, carrier_id=subscriber.carrier_id, status="active",
                    operator_id=operator.id, created_at=start, queued_at=start,
                    taken_at=start + timedelta(seconds=20))
        db.session.add(chat)
        db.session.flush()
        for n, (who, at, text) in enumerate(lines):
            db.session.add(ChatMessage(chat_id=chat.id, from_subscriber=who == "subscriber",
                                       author_id=operator.id if who == "operator" else subscriber.user_id,
                                       client_id=f"demo-{chat.id}-{n}",
                                       body=text.format(op=operator.full_name.split()[0]),
                                       created_at=start + timedelta(seconds=at)))
        chat.status, chat.outcome = "closed", "resolved"
        chat.closed_at = start + timedelta(seconds=lines[-1][1] + 30)
        db.session.flush()
        contact = operations.as_contact(chat)
        evaluate_call(contact)  # now, as the demo's calls are: its points are in the history already
        announce_score(contact)
        made += 1
    return {"chats": made}

"""Live chat: a subscriber opens a chat, it waits in the queue of their carrier's line, an operator
admitted to that line takes it (several at once, up to ``ULYBKA_CHAT_LIMIT``), they write,
the chat is transferred or closed with an outcome, or becomes a ticket.

Every change is written here and then announced to the browsers through :mod:`app.chat.bus`
once the transaction commits. A message carries the sender's own ``client_id``: sending it again
after a dropped connection stores nothing new and answers with the stored message.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select, update

import carriers
from app.chat import bus
from app.extensions import db
from app.formatting import plural
from app.jobs.operations import enqueue
from app.models import (
    Call,
    Carrier,
    Chat,
    ChatMessage,
    KbArticle,
    Rating,
    Role,
    Subscriber,
    Ticket,
    User,
    utcnow,
)
from app.outcome import Refused
from app.tickets import operations as ticket_ops

log = logging.getLogger("ulybka.chat")
MOSCOW = ZoneInfo("Europe/Moscow")
MAX_MESSAGE = 4000  # characters: a chat message, not a letter
MAX_CLIENT_ID = 64
OUTCOMES = {"resolved": "Вопрос решён", "ticket": "Оформлено обращение", "left": "Абонент ушёл",
            "no_operator": "Не дождался оператора"}
OPERATOR_OUTCOMES = ("resolved", "ticket", "left")


class ChatError(Refused):
    """A chat action was refused; the message (Russian) says why."""


def _chats(count: int) -> str:
    """«1 чат», «3 чата», «5 чатов»."""
    return f"{count} {plural(count, 'чат', 'чата', 'чатов')}"


def limit_per_operator() -> int:
    """How many chats one operator may hold at once (``ULYBKA_CHAT_LIMIT``, 3 by default)."""
    return int(current_app.config["ULYBKA"].chat_limit)


# --- what each side sees -------------------------------------------------------------------

def message_json(message: ChatMessage) -> dict[str, Any]:
    """A message as both sides' pages and scripts get it (``time``: Moscow, «14:05»)."""
    who = "subscriber" if message.from_subscriber else "operator" if message.author_id else "system"
    author = message.author.full_name.split()[0] if who == "operator" and message.author else None
    data = {"id": message.id, "chat": message.chat_id, "client_id": message.client_id, "from": who,
            "author": author, "body": message.body, "created_at": message.created_at.isoformat(),
            "time": message.created_at.astimezone(MOSCOW).strftime("%H:%M"), "file": None}
    if message.file_path:
        data["file"] = {"name": message.file_name, "size": message.file_size}
    return data


def chat_json(chat: Chat, *, side: str) -> dict[str, Any]:
    """The chat's state for one side (``subscriber`` or ``operator``): the other side's read mark."""
    data = {"id": chat.id, "status": chat.status, "outcome": chat.outcome,
            "operator": chat.operator.full_name.split()[0] if chat.operator else None,
            "carrier": chat.carrier.code, "ticket": chat.ticket.number if chat.ticket else None,
            "read_by_other": chat.operator_read if side == "subscriber" else chat.subscriber_read,
            "queued_at": chat.queued_at.isoformat()}
    if side == "operator":
        offer = carriers.offer(chat.carrier.code)
        data.update(subscriber=chat.subscriber.phone, name=chat.subscriber.full_name,
                    tariff=offer.name_of(chat.subscriber.tariff))
    if chat.status == "queued":
        data.update(position=queue_position(chat), wait_minutes=expected_wait(chat),
                    waiting_seconds=max(0, int((utcnow() - chat.queued_at).total_seconds())))
    return data


def messages_after(chat: Chat, after: int = 0, limit: int = 500) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(ChatMessage)
                              .where(ChatMessage.chat_id == chat.id, ChatMessage.id > after)
                              .order_by(ChatMessage.id).limit(limit))
    return [message_json(m) for m in rows]


def queue_position(chat: Chat) -> int:
    return db.session.scalar(select(func.count()).select_from(Chat).where(
        Chat.status == "queued", Chat.carrier_id == chat.carrier_id, Chat.queued_at <= chat.queued_at)) or 1


def expected_wait(chat: Chat) -> int:
    """Minutes the subscriber should expect: their place in the line times a chat's usual length
    (the median of the last closed chats, 6 minutes without history), over the free seats of
    the operators who hold chats now. 0 means «скоро»."""
    position = queue_position(chat)
    busy = db.session.scalar(select(func.count(func.distinct(Chat.operator_id)))
                             .where(Chat.status == "active"))
    seats = max(1, busy or 0) * limit_per_operator()
    taken = db.session.scalar(select(func.count()).select_from(Chat).where(Chat.status == "active")) or 0
    free = max(0, seats - taken)
    return 0 if free >= position else max(1, round((position - free) * 6 / max(1, seats)))


def open_chat_of(subscriber: Subscriber) -> Chat | None:
    return db.session.scalar(select(Chat).where(Chat.subscriber_id == subscriber.id, Chat.status != "closed")
                             .order_by(Chat.id.desc()).limit(1))


def last_chat_of(subscriber: Subscriber) -> Chat | None:
    return db.session.scalar(select(Chat).where(Chat.subscriber_id == subscriber.id)
                             .order_by(Chat.id.desc()).limit(1))


def waiting_for(operator: User) -> list[Chat]:
    """Queued chats the operator may take: only of lines they are admitted to, longest wait first."""
    codes = admitted_lines(operator)
    if not codes:
        return []
    return list(db.session.scalars(select(Chat).join(Carrier, Carrier.id == Chat.carrier_id).where(
        Chat.status == "queued", Carrier.code.in_(codes)).order_by(Chat.queued_at).limit(50)))


def held_by(operator: User) -> list[Chat]:
    return list(db.session.scalars(select(Chat)
                                   .where(Chat.operator_id == operator.id, Chat.status == "active")
                                   .order_by(Chat.taken_at)))


def admitted_lines(user: User) -> list[str]:
    from app.exams.admission import admission_of

    if user.role != Role.OPERATOR:
        return [c for c in db.session.scalars(select(Carrier.code))]  # a manager may help on any line
    skills = {s.carrier.code for s in user.skills}
    return [code for code, admission in admission_of(user).items() if admission.admitted and code in skills]


# --- changes --------------------------------------------------------------------------------

def _announce_state(chat: Chat) -> None:
    channels = [bus.user_channel(chat.subscriber.user_id)] if chat.subscriber.user_id else []
    if chat.operator_id:
        channels.append(bus.user_channel(chat.operator_id))
    bus.publish(channels, {"type": "chat", "chat": chat.id, "status": chat.status})
    bus.publish([bus.queue_channel(chat.carrier.code)], {"type": "queue", "carrier": chat.carrier.code})


def _system(chat: Chat, text: str, key: str) -> ChatMessage:
    row = ChatMessage(chat_id=chat.id, body=text, client_id=f"system:{key}", created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    _announce_message(chat, row)
    return row


def _announce_message(chat: Chat, row: ChatMessage) -> None:
    channels = [bus.user_channel(chat.subscriber.user_id)] if chat.subscriber.user_id else []
    if chat.operator_id:
        channels.append(bus.user_channel(chat.operator_id))
    bus.publish(channels, {"type": "message", "chat": chat.id, "message": message_json(row)})


def open_chat(subscriber: Subscriber, now: datetime | None = None) -> Chat:
    """The subscriber's open chat, or a new one in the queue of their carrier's line."""
    chat = open_chat_of(subscriber)
    if chat is not None:
        return chat
    now = now or utcnow()
    chat = Chat(subscriber=subscriber, carrier_id=subscriber.carrier_id, created_at=now, queued_at=now)
    db.session.add(chat)
    db.session.flush()
    _announce_state(chat)
    log.info("chat %s opened by %s (%s line)", chat.id, subscriber.phone, subscriber.carrier.code)
    return chat


def send(chat: Chat, body: str, client_id: str, *, author: User | None = None,
         from_subscriber: bool = False) -> ChatMessage:
    """Store a message once per ``client_id`` and announce it; a resend returns the stored one.

    :raises ChatError: the chat is closed, the text is empty or longer than :data:`MAX_MESSAGE`,
        the client id is missing or too long.
    """
    client_id = str(client_id or "").strip()
    if not client_id or len(client_id) > MAX_CLIENT_ID or client_id.startswith("system:"):
        raise ChatError("У сообщения нет идентификатора отправителя: обновите страницу.")
    earlier = db.session.scalar(select(ChatMessage).where(ChatMessage.chat_id == chat.id,
                                                          ChatMessage.client_id == client_id))
    if earlier is not None:
        if earlier.from_subscriber != from_subscriber or earlier.author_id != (author.id if author else None):
            raise ChatError("Сообщение с таким идентификатором уже есть: обновите страницу.")
        return earlier  # sent again after a dropped connection: stored once
    text = ticket_ops.clean_text(body).strip()
    if not text:
        raise ChatError("Напишите текст сообщения.")
    if len(text) > MAX_MESSAGE:
        raise ChatError(f"Сообщение длиннее {MAX_MESSAGE} знаков: разделите его на части или создайте "
                        "заявку с файлом.")
    if chat.status == "closed":
        raise ChatError("Чат завершён: начните новый.")
    row = ChatMessage(chat_id=chat.id, author_id=author.id if author else None,
                      from_subscriber=from_subscriber,
                      client_id=client_id, body=text, created_at=utcnow())
    nested = db.session.begin_nested()
    try:
        db.session.add(row)
        db.session.flush()
    except Exception:  # the same client id from a parallel request: the other one stored it
        nested.rollback()
        stored = db.session.scalar(select(ChatMessage).where(ChatMessage.chat_id == chat.id,
                                                             ChatMessage.client_id == client_id))
        if stored is None:
            raise
        return stored
    nested.commit()
    _announce_message(chat, row)
    return row


def send_file(chat: Chat, client_id: str, name: str, content_type: str, data: bytes, *,
              author: User | None = None, from_subscriber: bool = False) -> ChatMessage:
    """A file as a message of its own (the cabinet's rules: a PDF, JPEG, PNG or text file of at
    most 5 MB whose contents are what its type says); once per ``client_id``, as a text.

    :raises ChatError: a file of another kind, too large, empty or not what it says.
    """
    from app.cabinet.operations import check_files
    from app.cabinet.otp import CabinetError

    try:
        check_files([(name, content_type, data)])
    except CabinetError as exc:
        raise ChatError(str(exc)) from None
    name = " ".join((name or "файл").replace("/", " ").replace("\\", " ").split())[:120] or "файл"
    same = (ChatMessage.chat_id == chat.id, ChatMessage.client_id == str(client_id or "").strip())
    earlier = db.session.scalar(select(ChatMessage).where(*same))
    if earlier is not None and earlier.file_path is None:
        raise ChatError("Сообщение с таким идентификатором уже есть: обновите страницу.")
    row = send(chat, f"Файл: {name}", client_id, author=author, from_subscriber=from_subscriber)
    if row.file_path is None:
        _, rel = ticket_ops.store_file(data)
        row.file_name, row.file_type, row.file_size, row.file_path = name, content_type, len(data), rel
        db.session.flush()
        _announce_message(chat, row)  # again, now with its file
    return row


def file_of(chat: Chat, message_id: Any) -> ChatMessage | None:
    """A file message of this chat (None for another chat's, or a message without a file)."""
    try:
        ident = int(message_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < ident < 2**31:
        return None
    return db.session.scalar(select(ChatMessage).where(
        ChatMessage.id == ident, ChatMessage.chat_id == chat.id, ChatMessage.file_path.is_not(None)))


def mark_read(chat: Chat, upto: Any, *, side: str) -> None:
    """The last message id one side has seen (never moves back)."""
    try:
        upto = int(upto)
    except (TypeError, ValueError, OverflowError):
        raise ChatError("Отметка о прочтении — номер сообщения.") from None
    upto = max(0, min(upto, 2**31 - 1))
    column = Chat.subscriber_read if side == "subscriber" else Chat.operator_read
    last = db.session.scalar(select(func.max(ChatMessage.id)).where(ChatMessage.chat_id == chat.id)) or 0
    upto = min(upto, last)
    moved = db.session.execute(update(Chat).where(Chat.id == chat.id, column < upto).values({column: upto}))
    if moved.rowcount:
        other = chat.operator_id if side == "subscriber" else chat.subscriber.user_id
        if other:
            bus.publish([bus.user_channel(other)], {"type": "read", "chat": chat.id, "upto": upto})


def typing(chat: Chat, *, side: str) -> None:
    other = chat.operator_id if side == "subscriber" else chat.subscriber.user_id
    if other and chat.status == "active":
        bus.publish([bus.user_channel(other)], {"type": "typing", "chat": chat.id, "from": side}, now=True)


def colleagues_for(chat: Chat, user: User) -> list[User]:
    """Whom a chat may be transferred to: the other operators admitted to its line, and managers."""
    from app.exams.admission import admissions_of

    people = list(db.session.scalars(select(User).where(
        User.role.in_((Role.OPERATOR, Role.MANAGER)), User.active, User.id != user.id)
        .order_by(User.full_name)))
    operators = [u for u in people if u.role == Role.OPERATOR]
    admitted = admissions_of(operators) if operators else {}
    code = chat.carrier.code
    return [u for u in people if u.role == Role.MANAGER or (
        code in {s.carrier.code for s in u.skills} and admitted[u.id][code].admitted)]


def ready_answer(article_id: int, limit: int = 400) -> str:
    """A ready answer from a knowledge-base article: its first sentences, whole, up to ``limit``
    characters (an answer to paste, not a search snippet cut in the middle)."""
    plain = db.session.scalar(select(KbArticle.plain).where(KbArticle.id == article_id)) or ""
    text = " ".join(plain.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[:end + 1] if end > limit // 3 else cut.rsplit(" ", 1)[0] + "…"


def _check_can_hold(chat: Chat, operator: User) -> None:
    if operator.role not in (Role.OPERATOR, Role.MANAGER) or not operator.active:
        raise ChatError("Чаты ведут операторы и руководители.")
    if chat.carrier.code not in admitted_lines(operator):
        raise ChatError(f"{operator.full_name} не допущен(а) к линии {chat.carrier.name}: чат этой линии "
                        "ведут операторы, сдавшие по ней аттестацию.")
    if len(held_by(operator)) >= limit_per_operator():
        raise ChatError(f"У {operator.full_name} уже {_chats(limit_per_operator())} — больше одновременно "
                        "нельзя. "
                        "Завершите один из них.")


def take(chat: Chat, operator: User, now: datetime | None = None) -> None:
    """The operator takes a waiting chat (one of them wins when two click at once)."""
    _check_can_hold(chat, operator)
    now = now or utcnow()
    holding = (select(func.count()).select_from(Chat)
               .where(Chat.operator_id == operator.id, Chat.status == "active").scalar_subquery())
    taken = db.session.execute(update(Chat).where(Chat.id == chat.id, Chat.status == "queued",
                                                  holding < limit_per_operator())
                               .values(status="active", operator_id=operator.id, taken_at=now))
    if taken.rowcount != 1:
        db.session.expire(chat)
        if chat.status == "queued":
            raise ChatError(f"У {operator.full_name} уже {_chats(limit_per_operator())} — больше "
                            "одновременно нельзя. Завершите один из них.")
        raise ChatError("Этот чат уже взял другой оператор.")
    db.session.expire(chat)
    _system(chat, f"{operator.full_name.split()[0]} на связи.", f"take:{chat.id}:{now.timestamp()}")
    _announce_state(chat)


def transfer(chat: Chat, to: User, actor: User) -> None:
    """Hand an active chat to another operator admitted to the line."""
    if chat.status != "active" or chat.operator_id != actor.id and actor.role != Role.MANAGER:
        raise ChatError("Передать можно только свой активный чат.")
    if to.id == chat.operator_id:
        raise ChatError("Чат уже у этого оператора.")
    _check_can_hold(chat, to)
    before = chat.operator_id
    chat.operator_id = to.id
    db.session.flush()
    db.session.expire(chat, ["operator"])
    _system(chat, f"Чат передан: дальше с вами {to.full_name.split()[0]}.",
            f"transfer:{chat.id}:{utcnow().timestamp()}")
    if before:
        bus.publish([bus.user_channel(before)], {"type": "chat", "chat": chat.id, "status": "transferred"})
    _announce_state(chat)


def release(chat: Chat, note: str) -> None:
    """An active chat goes back to the queue (its operator signed out): nothing is lost."""
    before = chat.operator_id
    chat.status, chat.operator_id, chat.queued_at = "queued", None, utcnow()
    db.session.flush()
    _system(chat, note, f"release:{chat.id}:{chat.queued_at.timestamp()}")
    if before:
        bus.publish([bus.user_channel(before)], {"type": "chat", "chat": chat.id, "status": "released"})
    _announce_state(chat)


def release_all_of(user: User) -> int:
    """Event ``user.signed_out``: the person's event streams end (and their older stream tokens
    are refused); an operator's chats go back to the queue."""
    bus.publish([bus.user_channel(user.id)], {"type": bus.CLOSE})
    chats = held_by(user)
    for chat in chats:
        release(chat, "Оператор отключился. Чат вернулся в очередь — следующий свободный оператор "
                      "ответит вам.")
    return len(chats)


def transcript(chat: Chat) -> str:
    lines = []
    for m in db.session.scalars(select(ChatMessage).where(ChatMessage.chat_id == chat.id)
                                .order_by(ChatMessage.id)):
        who = "Абонент" if m.from_subscriber else (m.author.full_name if m.author else "Система")
        lines.append(f"[{m.created_at:%H:%M}] {who}: {m.body}")
    return "\n".join(lines)


def open_tickets_of(chat: Chat) -> list[Ticket]:
    """The subscriber's requests still open, that a chat about the same thing may join."""
    return list(db.session.scalars(select(Ticket).where(
        Ticket.subscriber_id == chat.subscriber_id, Ticket.status.not_in(("resolved", "closed", "rejected")))
        .order_by(Ticket.id.desc()).limit(20)))


def join_ticket(chat: Chat, ticket: Ticket, actor: User | None) -> Ticket:
    """The chat joins one of the subscriber's open tickets: its transcript (and files) go into the
    ticket's thread as an internal note."""
    if chat.ticket is not None:
        return chat.ticket
    if ticket.subscriber_id != chat.subscriber_id or ticket not in open_tickets_of(chat):
        raise ChatError("Присоединить чат можно только к открытому обращению этого абонента.")
    ticket_ops.add_comment(ticket, f"Чат № {chat.id}:\n{transcript(chat)}", author=actor, public=False,
                           mail=False)
    chat.ticket = ticket
    _attach_files(chat, ticket)
    db.session.flush()
    return ticket


def _attach_files(chat: Chat, ticket: Ticket) -> None:
    root = current_app.config["ULYBKA"].attachments_dir
    for m in db.session.scalars(select(ChatMessage).where(ChatMessage.chat_id == chat.id,
                                                          ChatMessage.file_path.is_not(None))):
        ticket_ops.attach(ticket, None, m.file_name, m.file_type, (root / m.file_path).read_bytes())


def to_ticket(chat: Chat, actor: User | None) -> Ticket:
    """The chat becomes a ticket (channel ``chat``) with the transcript; the same one when asked again."""
    if chat.ticket is not None:
        return chat.ticket
    first = db.session.scalar(select(ChatMessage.body).where(ChatMessage.chat_id == chat.id,
                                                              ChatMessage.from_subscriber.is_(True))
                              .order_by(ChatMessage.id).limit(1))
    subject = " ".join((first or "Обращение из чата").split())[:80]
    ticket = ticket_ops.create_ticket(channel="chat", type="other", subject=subject, body=transcript(chat),
                                      subscriber=chat.subscriber, actor=actor)
    chat.ticket = ticket
    _attach_files(chat, ticket)
    db.session.flush()
    return ticket


def as_contact(chat: Chat) -> Call | None:
    """The finished chat as a contact to judge (a call row of source ``chat``, no audio): each
    message a segment, seconds from the chat's start; the standards are checked by the same job
    as a call's, on the chat scorecard. None when no operator wrote anything."""
    if chat.call is not None:
        return chat.call
    rows = list(db.session.scalars(select(ChatMessage).where(ChatMessage.chat_id == chat.id)
                                   .order_by(ChatMessage.id)))
    said = [m for m in rows if m.from_subscriber or m.author_id]
    if chat.operator_id is None or not any(not m.from_subscriber for m in said):
        return None
    start = chat.created_at
    segments = []
    for m in said:
        at = round(max(0.0, (m.created_at - start).total_seconds()), 2)
        segments.append({"speaker": "subscriber" if m.from_subscriber else "operator", "start": at,
                         "end": at, "text": m.body, "words": []})
    end = chat.closed_at or utcnow()
    call = Call(sha256=hashlib.sha256(f"chat:{chat.id}".encode()).hexdigest(),
                original_name=f"Чат № {chat.id}", stored_path="", size_bytes=0,
                duration=round((end - start).total_seconds(), 2), operator_id=chat.operator_id,
                carrier_id=chat.carrier_id, direction="inbound", started_at=start,
                subscriber_number=chat.subscriber.phone, status="done", segments=segments,
                segments_original=segments, metrics={"medium": "chat", "holds": [], "overtalk": []},
                source="chat", diarization="chat", processed_at=end)
    db.session.add(call)
    db.session.flush()
    chat.call = call
    enqueue("calls.score", call_id=call.id)  # the same job as a recording's, after commit
    return call


def close(chat: Chat, outcome: str, actor: User | None, *, side: str, join: Ticket | None = None) -> None:
    """End the chat with an outcome (the subscriber leaving is ``left``; ``ticket`` makes one, or
    with ``join`` adds the chat to that open ticket of the subscriber)."""
    if chat.status == "closed":
        return
    if not isinstance(outcome, str) or outcome not in OUTCOMES:
        raise ChatError("Выберите, чем закончился чат: " + ", ".join(OUTCOMES.values()).lower() + ".")
    manager = getattr(actor, "role", "") == Role.MANAGER
    if side == "operator" and chat.operator_id != getattr(actor, "id", None) and not manager:
        raise ChatError("Завершить можно только свой чат.")
    now = utcnow()
    won = db.session.execute(update(Chat).where(Chat.id == chat.id, Chat.status != "closed")
                             .values(status="closed", outcome=outcome, closed_at=now))
    db.session.expire(chat, ["status", "outcome", "closed_at"])
    if won.rowcount != 1:
        return  # closed by the other side at the same moment: nothing more to do
    if outcome == "ticket":
        join_ticket(chat, join, actor) if join is not None else to_ticket(chat, actor)
    db.session.flush()
    text = {"subscriber": "Абонент завершил чат.",
            "operator": "Оператор завершил чат. Спасибо, что написали!"}[side]
    if chat.ticket is not None:
        text += f" Ваше обращение #{chat.ticket.number}: ответ придёт сюда, в «Мои заявки», и на почту."
    _system(chat, text, f"close:{chat.id}")
    as_contact(chat)
    _announce_state(chat)


def leave_as_ticket(chat: Chat) -> Ticket:
    """The subscriber leaves their waiting chat as a ticket (no operator free, or out of hours)."""
    if chat.status == "closed":
        raise ChatError("Чат уже завершён: начните новый или создайте заявку в «Мои заявки».")
    if chat.status != "queued":
        raise ChatError("Оператор уже отвечает вам в чате.")
    if not db.session.scalar(select(ChatMessage.id).where(ChatMessage.chat_id == chat.id,
                                                          ChatMessage.from_subscriber.is_(True)).limit(1)):
        raise ChatError("Напишите в чат, о чём вопрос: с этим текстом мы оформим заявку.")
    ticket = to_ticket(chat, None)
    close(chat, "ticket", None, side="subscriber")
    return ticket


def rate(chat: Chat, stars: Any, comment: str = "") -> Rating:
    """The subscriber rates a finished chat once (the ratings path: it counts for its operator)."""
    from app.qa.operations import QaError, add_rating

    if chat.status != "closed" or chat.call is None:
        raise ChatError("Оценить можно завершённый чат, в котором вам ответил оператор.")
    if rating_of(chat) is not None:
        raise ChatError("Этот чат уже оценён. Спасибо!")
    try:
        return add_rating(stars=stars, comment=comment, call_id=chat.call.id, source="chat")
    except QaError as exc:
        raise ChatError(str(exc)) from None


def rating_of(chat: Chat) -> Rating | None:
    if chat.call_id is None:
        return None
    return db.session.scalar(select(Rating).where(Rating.call_id == chat.call_id))

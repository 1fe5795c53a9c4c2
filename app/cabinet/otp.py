"""Sign-in to the cabinet by phone number and a one-time code.

A code is six digits, valid :data:`VALID_FOR`, used once. It is kept only as an HMAC with a key
derived from the server's secret (a plain hash of six digits is reversed in a second). Wrong
codes count against the code: after :data:`MAX_TRIES` it is dead and the number gets no new one
for :data:`COOL_DOWN`. A number gets a code at most every :data:`RESEND_AFTER` and
:data:`PER_NUMBER` an hour; one address asks for at most :data:`PER_ADDRESS` an hour (loose:
many subscribers share an office or a mobile operator's address).

Numbers not in the base are treated the same (a row is written, the limits apply, the answer is
the same) but get no code, so the form confirms nothing about who is a subscriber.

How the code reaches the subscriber is ``ULYBKA_OTP_SENDER``: ``log`` (a line in the server
log: the demo and the tests), ``smtp`` (their e-mail, by a job) or ``sms`` (by a job, through the
gateway of ``ULYBKA_SMS_GATEWAY``, see :mod:`app.sms`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

import tickets
from app import audit, mail, sms
from app.extensions import db
from app.jobs.operations import enqueue
from app.models import CabinetCode, Role, Subscriber, User, utcnow
from app.outcome import Refused
from app.users import create_user

log = logging.getLogger("ulybka.cabinet")
VALID_FOR = timedelta(minutes=5)
MAX_TRIES = 5
COOL_DOWN = timedelta(minutes=15)
RESEND_AFTER = timedelta(seconds=60)
PER_NUMBER = 5  # codes an hour
PER_ADDRESS = 30  # codes an hour
HOUR = timedelta(hours=1)


class CabinetError(Refused):
    """A cabinet action was refused; the message (Russian) says why."""


class TooSoon(CabinetError):
    """A limit on codes was reached; ``retry_after`` is in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def normalised(phone: str) -> str:
    try:
        return tickets.normalise_phone(phone)
    except tickets.TicketError:
        raise CabinetError("Введите номер телефона: +7 916 123-45-67 или 8 916 123-45-67.") from None


def _digest(phone: str, code: str) -> str:
    key = hashlib.sha256(("ulybka-cabinet-otp:" + current_app.config["SECRET_KEY"]).encode()).digest()
    return hmac.new(key, f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _minutes(delta: timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))


def _check_limits(phone: str, address: str, now: datetime) -> None:
    last = db.session.scalar(select(CabinetCode).where(CabinetCode.phone == phone)
                             .order_by(CabinetCode.id.desc()).limit(1))
    if last is not None:
        if last.attempts >= MAX_TRIES and now - last.created_at < COOL_DOWN:
            wait = COOL_DOWN - (now - last.created_at)
            raise TooSoon(f"Код введён неверно {MAX_TRIES} раз. Новый можно запросить через "
                          f"{_minutes(wait)} мин.", int(wait.total_seconds()) + 1)
        if now - last.created_at < RESEND_AFTER:
            wait = RESEND_AFTER - (now - last.created_at)
            seconds = int(wait.total_seconds()) + 1
            raise TooSoon(f"Код уже отправлен. Запросить новый можно через {seconds} с.", seconds)
    for column, value, limit in ((CabinetCode.phone, phone, PER_NUMBER),
                                 (CabinetCode.address, address, PER_ADDRESS)):
        if not value:
            continue
        count = db.session.scalar(select(func.count()).select_from(CabinetCode)
                                  .where(column == value, CabinetCode.created_at > now - HOUR))
        if count >= limit:
            raise TooSoon("Слишком много запросов кода. Попробуйте через час или позвоните нам.", 3600)


@dataclass(frozen=True)
class CodeRequest:
    phone: str
    valid_minutes: int


def request_code(phone_text: str, *, address: str = "", now: datetime | None = None) -> CodeRequest:
    """Issue a code for this number (sent only when the number is a subscriber's).

    :raises CabinetError: not a phone number; :class:`TooSoon` when a limit is reached.
    """
    phone = normalised(phone_text)
    now = now or utcnow()
    address = (address or "")[:64]
    _check_limits(phone, address, now)
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.phone == phone))
    code = f"{secrets.randbelow(10**6):06d}"
    allowed = subscriber is not None and (subscriber.user is None or subscriber.user.active)
    # a number that gets no code still gets a row with the HMAC of a code nobody is told: wrong
    # tries, limits and answers are then the same for every number
    db.session.add(CabinetCode(phone=phone, subscriber_id=subscriber.id if subscriber else None,
                               code_hmac=_digest(phone, code), address=address,
                               created_at=now, expires_at=now + VALID_FOR))
    db.session.flush()
    if allowed:
        _deliver(subscriber, code)
    else:
        log.info("cabinet code asked for %s: not a subscriber (or access closed), none sent", phone)
    return CodeRequest(phone, _minutes(VALID_FOR))


def _deliver(subscriber: Subscriber, code: str) -> None:
    sender = current_app.config["ULYBKA"].otp_sender
    minutes = _minutes(VALID_FOR)
    if sender == "log":
        log.warning("cabinet sign-in code for %s: %s (valid %s min)", subscriber.phone, code, minutes)
        return
    enqueue("cabinet.send_code", subscriber_id=subscriber.id, code=code, minutes=minutes)


def send_code(args: dict[str, Any], job_id: int) -> None:
    """Job: send a code by e-mail (``smtp``) or by SMS (``sms``)."""
    subscriber = db.session.get(Subscriber, args["subscriber_id"])
    if subscriber is None:
        return
    sender = current_app.config["ULYBKA"].otp_sender
    if sender == "smtp":
        if not subscriber.email:
            log.warning("cabinet code for %s not sent: no e-mail in the base", subscriber.phone)
            return
        message = EmailMessage()
        message["From"] = current_app.config["ULYBKA"].support_address
        message["To"] = subscriber.email
        message["Subject"] = f"Код для входа в личный кабинет: {args['code']}"
        message.set_content(f"Здравствуйте!\n\nКод для входа в личный кабинет: {args['code']}.\n"
                            f"Он действует {args['minutes']} минут. Никому его не сообщайте: "
                            "сотрудники никогда не спрашивают код.\n\nЕсли вы не запрашивали код, "
                            "просто удалите это письмо.\n")
        mail.send(message)
        return
    sms.send(subscriber.phone, f"Код для входа в личный кабинет: {args['code']}. Действует "
                               f"{args['minutes']} мин. Никому его не сообщайте.")


def _live_code(phone: str, now: datetime) -> CabinetCode | None:
    """The number's latest code while it may still be typed; an older one never counts (asking
    again replaces it), and a spent, expired or dead latest one leaves none."""
    row = db.session.scalar(select(CabinetCode).where(CabinetCode.phone == phone)
                            .order_by(CabinetCode.id.desc()).limit(1))
    if row is None or row.used_at is not None or row.expires_at <= now or row.attempts >= MAX_TRIES:
        return None
    return row


def verify_code(phone_text: str, code_text: str, *, now: datetime | None = None
                ) -> tuple[Subscriber | None, str]:
    """Check a typed code; returns the subscriber, or None and a Russian reason.

    A wrong try is counted in the database (the caller commits either way, as for a failed
    password). A right code is spent by a conditional update, so two requests with the same code
    sign in once.
    """
    try:
        phone = normalised(phone_text)
    except CabinetError as exc:
        return None, str(exc)
    code = "".join(str(code_text or "").split())
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None, "Код — шесть цифр из сообщения."
    now = now or utcnow()
    row = _live_code(phone, now)
    if row is None:
        return None, "Код не подходит или устарел. Запросите новый."
    if not hmac.compare_digest(row.code_hmac, _digest(phone, code)):
        left = MAX_TRIES - row.attempts - 1
        db.session.execute(update(CabinetCode).where(CabinetCode.id == row.id)
                           .values(attempts=CabinetCode.attempts + 1))
        audit.record(None, "cabinet.code_wrong", "subscriber", row.subscriber_id, phone=phone)
        if left <= 0:
            return None, (f"Неверный код. Попытки закончились: новый код можно запросить через "
                          f"{_minutes(COOL_DOWN)} минут.")
        return None, f"Неверный код. Осталось попыток: {left}."
    unused = (CabinetCode.id == row.id, CabinetCode.used_at.is_(None))
    spent = db.session.execute(update(CabinetCode).where(*unused).values(used_at=now))
    if spent.rowcount != 1:
        return None, "Код не подходит или устарел. Запросите новый."
    subscriber = db.session.get(Subscriber, row.subscriber_id) if row.subscriber_id else None
    if subscriber is None:
        return None, "Код не подходит или устарел. Запросите новый."
    account = account_of(subscriber)
    if not account.active:
        return None, "Вход в кабинет для этого номера закрыт. Позвоните нам, мы поможем."
    account.last_login_at = now
    audit.record(account, "cabinet.login", "subscriber", subscriber.id)
    return subscriber, ""


def account_of(subscriber: Subscriber) -> User:
    """The subscriber's sign-in account (made on their first sign-in: a login no one types, a
    password no one knows)."""
    if subscriber.user is not None:
        return subscriber.user
    user = create_user(f"abonent-{subscriber.phone.lstrip('+')}", subscriber.full_name or subscriber.phone,
                       Role.SUBSCRIBER, secrets.token_urlsafe(24), email=subscriber.email)
    subscriber.user = user
    db.session.flush()
    return user

"""E-mail and tickets: a message ``ulybka smtpd`` accepted becomes a ticket or a reply in its
thread (through the job queue); our public replies and acknowledgements go out by mail with our
own Message-ID and the ``[#N]`` tag, so the subscriber's answer threads back.

Threading, as mail clients expect: the ``In-Reply-To`` / ``References`` ids against the ids we
stored (the subscriber's messages) and sent (our replies) first; the ``[#N]`` tag of the subject
second, and only from a sender the ticket already knows (a tag alone cannot push text into
somebody else's ticket); anything else is a new ticket. A reply to a closed ticket opens a new
one that names the old. Auto-replies, bounces and bulk mail are recorded and never answered.
"""

from __future__ import annotations

import logging
import re
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import select

import tickets
from app import mail as outgoing
from app import sms
from app.extensions import db
from app.jobs.operations import enqueue
from app.models import InboundMail, Subscriber, Ticket, TicketComment
from app.tickets import operations
from app.wording import say

log = logging.getLogger("ulybka.tickets")
SUPPORT_NAME = "Служба поддержки"
REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|ответ|отв|на)\s*(\[\d+\])?\s*:\s*)+", re.I)


def accept(raw: bytes, mail_from: str, recipients: list[str]) -> InboundMail:
    """Keep a received message and queue it, in one transaction (what smtpd answers 250 for)."""
    found = re.search(rb"^Message-ID:\s*<([^>\s]+)>", raw[:65536], re.I | re.M)
    row = InboundMail(message_id=found.group(1).decode("ascii", "replace")[:250] if found else None,
                      mail_from=mail_from[:250], recipients=[r.lower() for r in recipients], raw=raw,
                      size=len(raw))
    db.session.add(row)
    db.session.flush()
    enqueue("tickets.mail_in", mail_id=row.id)
    db.session.commit()
    log.info("mail %s from %s accepted (%d bytes)", row.id, mail_from, len(raw))
    return row


def _limits() -> dict[str, int]:
    mb = current_app.config["ULYBKA"].mail_max_mb * 1024 * 1024
    return {"max_bytes": mb, "max_attachment_bytes": min(mb, tickets.mail.MAX_ATTACHMENT_BYTES)}


def _thread_by_ids(message: tickets.Inbound) -> Ticket | None:
    """The thread by Message-IDs alone (the sender on the envelope and in From differ: no tag)."""
    return _thread_of(message, tag=False)


def _thread_of(message: tickets.Inbound, *, tag: bool = True) -> Ticket | None:
    if message.references:
        ticket_id = db.session.scalar(select(TicketComment.ticket_id).where(
            TicketComment.message_id.in_(message.references)).order_by(TicketComment.id.desc()).limit(1))
        if ticket_id is None:
            ticket_id = db.session.scalar(select(InboundMail.ticket_id).where(
                InboundMail.message_id.in_(message.references), InboundMail.ticket_id.is_not(None)).limit(1))
        if ticket_id is not None:
            return db.session.get(Ticket, ticket_id)
    number = message.ticket_number
    if number is not None and tag:
        ticket = db.session.scalar(select(Ticket).where(Ticket.number == number))
        if ticket is None:
            return None
        known = {(ticket.contact_email or "").lower(),
                 ((ticket.subscriber.email if ticket.subscriber else None) or "").lower()}
        return ticket if message.sender in known else None
    return None


def _fitted_text(message: tickets.Inbound) -> tuple[str, list[tickets.Attachment]]:
    """The text that goes into the thread: never empty (an attachment-only reply says what came),
    never over the limit (the whole text is kept as an attachment)."""
    text, extra = message.text.strip(), []
    if len(text) > operations.MAX_BODY - 200:
        extra.append(tickets.Attachment("письмо.txt", "text/plain", message.full_text.encode("utf-8")))
        text = (text[:operations.MAX_BODY - 200]
                + "\n\n(Письмо длиннее — полный текст во вложении «письмо.txt».)")
    if not text:
        names = ", ".join(a.filename for a in message.attachments)
        text = f"(Письмо без текста; вложения: {names}.)" if names else "(Пустое письмо.)"
    return text, extra


def _store_attachments(ticket: Ticket, comment: TicketComment | None, message: tickets.Inbound,
                       extra: list[tickets.Attachment] = ()) -> None:
    for part in [*message.attachments, *extra]:
        operations.attach(ticket, comment, part.filename, part.content_type, part.data)


def _clean_subject(subject: str) -> str:
    return " ".join(REPLY_PREFIX.sub("", tickets.mail.TAG.sub("", subject or "")).split()) or "Без темы"


def process_inbound(args: dict[str, Any], job_id: int) -> None:
    """The job ``tickets.mail_in``: a queued message becomes a ticket, a reply, a bounce or nothing."""
    row = db.session.get(InboundMail, args["mail_id"])
    if row is None or row.status != "queued":
        return  # done already: a retried job changes nothing
    settings = current_app.config["ULYBKA"]
    try:
        message = tickets.parse(row.raw, **_limits())
    except tickets.MailError as exc:
        row.status, row.note = "bounced", say(exc)
        enqueue("tickets.send_mail", notice="bounce", mail_id=row.id)
        db.session.commit()
        return
    if message.automatic or message.sender == settings.support_address:
        row.status, row.note = "ignored", "Автоответ, уведомление о недоставке или рассылка: не отвечаем."
        db.session.commit()
        return
    if message.message_id and db.session.scalar(select(InboundMail.id).where(
            InboundMail.message_id == message.message_id, InboundMail.id != row.id,
            InboundMail.status.in_(("ticket", "reply")))):
        row.status, row.note = "ignored", "Это письмо уже получено (тот же Message-ID)."
        db.session.commit()
        return
    same_sender = message.sender == (row.mail_from or "").lower()  # a tag counts from the envelope's sender
    ticket = _thread_of(message) if same_sender else _thread_by_ids(message)
    text, extra = _fitted_text(message)
    try:
        if ticket is not None and ticket.status not in tickets.FINAL:
            comment = operations.add_comment(ticket, text, from_subscriber=True, channel="email",
                                             message_id=message.message_id)
            _store_attachments(ticket, comment, message, extra)
            row.status, row.ticket_id = "reply", ticket.id
        else:
            subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == message.sender)
                                           .limit(1))
            body = text if ticket is None else f"{text}\n\n(Ответ на закрытое обращение #{ticket.number}.)"
            new = operations.create_ticket(channel="email", type="other",
                                           subject=_clean_subject(message.subject)[:operations.MAX_SUBJECT],
                                           body=body, subscriber=subscriber, contact_email=message.sender,
                                           contact_name=message.sender_name[:160])
            _store_attachments(new, None, message, extra)
            row.status, row.ticket_id = "ticket", new.id
            enqueue("tickets.send_mail", notice="received", ticket_id=new.id, mail_id=row.id)
    except operations.TicketFlowError as exc:  # anything the ticket refuses: tell the sender why
        db.session.rollback()
        row = db.session.get(InboundMail, args["mail_id"])
        row.status, row.note = "bounced", f"Письмо не принято: {exc}"
        enqueue("tickets.send_mail", notice="bounce", mail_id=row.id)
    db.session.commit()
    log.info("mail %s: %s of ticket %s", row.id, row.status, row.ticket_id)


# --- outgoing ------------------------------------------------------------------------------

def _thread_ids(ticket: Ticket) -> list[str]:
    first = db.session.scalar(select(InboundMail.message_id).where(InboundMail.ticket_id == ticket.id,
                                                                   InboundMail.status == "ticket").limit(1))
    ids = [first] if first else []
    return ids + [c.message_id for c in ticket.comments if c.message_id and c.public]


def _from_support(to: str, subject: str, auto: str | None = None) -> EmailMessage:
    """A message of ours: from the support address, to ``to``; ``auto`` its Auto-Submitted."""
    local, _, domain = current_app.config["ULYBKA"].support_address.partition("@")
    message = EmailMessage()
    message["From"] = str(Address(SUPPORT_NAME, local, domain))
    message["To"], message["Subject"] = to, subject
    if auto:
        message["Auto-Submitted"] = auto
    return message


def _envelope(ticket: Ticket, message_id: str, text: str, *, auto: bool = False) -> EmailMessage:
    settings = current_app.config["ULYBKA"]
    thread = [i for i in _thread_ids(ticket) if i != message_id]
    subject = tickets.tag_subject(ticket.subject, ticket.number)
    message = _from_support(operations.reply_address(ticket), subject, "auto-replied" if auto else None)
    message["Message-ID"] = f"<{message_id}>"
    if thread:
        message["In-Reply-To"] = f"<{thread[-1]}>"
        message["References"] = " ".join(f"<{i}>" for i in thread)
    message.set_content(f"{text}\n\n--\n{SUPPORT_NAME} {settings.company_name}\n"
                        f"Отвечая, сохраните в теме письма номер обращения [#{ticket.number}].\n")
    return message


def send_reply(args: dict[str, Any], job_id: int) -> None:
    """The job ``tickets.send_reply``: a public reply of staff goes to the subscriber by mail."""
    comment = db.session.get(TicketComment, args["comment_id"])
    if comment is None or comment.ticket is None or operations.reply_address(comment.ticket) is None:
        return
    outgoing.send(_envelope(comment.ticket, comment.message_id, comment.body))


def send_notice(args: dict[str, Any], job_id: int) -> None:
    """The job ``tickets.send_mail``: a new ticket's acknowledgement, a resolved one's rating
    request (a signed link, 7 days, one rating), or a bounce."""
    notice = args["notice"]
    if notice == "call_survey":
        _send_call_survey(args["call_id"])
        return
    if notice in ("received", "rating"):
        ticket = db.session.get(Ticket, args["ticket_id"])
        if ticket is None or operations.reply_address(ticket) is None:
            return
        if notice == "received":
            text = (f"Здравствуйте!\n\nМы получили ваше письмо и зарегистрировали обращение #{ticket.number} "
                    f"«{ticket.subject}». Ответим в ближайшее время.")
        else:
            from app.qa import survey

            link = survey.ticket_link_for(ticket)
            text = (f"Здравствуйте!\n\nВаше обращение #{ticket.number} «{ticket.subject}» решено. Оцените, "
                    f"пожалуйста, как мы с ним справились — это займёт минуту:\n{link}\n\n"
                    "Ссылка действует 7 дней. Если вопрос не решён, просто ответьте на это письмо.")
        outgoing.send(_envelope(ticket, outgoing.new_message_id(), text, auto=True))
        return
    row = db.session.get(InboundMail, args["mail_id"])
    if row is None or "@" not in row.mail_from:
        return  # a bounce goes back to the envelope sender; a null sender gets none (no loops)
    settings = current_app.config["ULYBKA"]
    bounce = _from_support(row.mail_from, "Письмо не принято", "auto-replied")
    bounce.set_content(f"Здравствуйте!\n\n{row.note}\n\n--\n{SUPPORT_NAME} {settings.company_name}\n")
    outgoing.send(bounce)


def survey_after_call(call) -> None:
    """After a call is processed (event ``call.processed``): a subscriber of the base gets the
    call's survey link (signed, 7 days, one rating) by e-mail, or by SMS when the base has no
    address and an SMS gateway is configured (:mod:`app.sms`), by a job."""
    if not call.subscriber_number:
        return
    try:
        subscriber = operations.find_subscriber(call.subscriber_number)
    except operations.TicketFlowError:
        return  # a number that is not a phone number: nobody to ask
    if subscriber is not None and (subscriber.email or sms.configured()):
        enqueue("tickets.send_mail", notice="call_survey", call_id=call.id)


def _send_call_survey(call_id: int) -> None:
    from app import audit
    from app.models import AuditEntry, Call
    from app.qa import survey

    call = db.session.get(Call, call_id)
    if call is None or db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "survey.mailed", AuditEntry.target_id == str(call_id)).limit(1)):
        return  # sent already: a retried or repeated job sends nothing twice
    subscriber = operations.find_subscriber(call.subscriber_number)
    if subscriber is None:
        return
    settings = current_app.config["ULYBKA"]
    if not subscriber.email:
        if sms.configured():
            sms.send(subscriber.phone, f"{settings.company_name}: оцените, пожалуйста, разговор с оператором "
                                       f"— одна минута: {survey.link_for(call)}")
            audit.record(None, "survey.mailed", "call", call.id, to=subscriber.phone)
            db.session.commit()
        return
    message = _from_support(subscriber.email, f"Как прошёл разговор с {settings.company_name}?",
                            "auto-generated")
    name = call.operator.full_name.split()[0] if call.operator else "оператором"
    message.set_content(f"Здравствуйте!\n\nВы недавно говорили с нашим оператором ({name}). Оцените, "
                        f"пожалуйста, разговор — одна минута:\n{survey.link_for(call)}\n\n"
                        f"Ссылка действует {survey.VALID_FOR.days} дней.\n\n--\n{SUPPORT_NAME} "
                        f"{settings.company_name}\n")
    outgoing.send(message)
    audit.record(None, "survey.mailed", "call", call.id, to=subscriber.email)
    db.session.commit()


def mail_failed(job) -> None:
    """After the last attempt at a queued message: it is marked failed with the reason, never
    left queued for ever (the raw message stays for the administrator)."""
    row = db.session.get(InboundMail, job.args["mail_id"])
    if row is not None and row.status == "queued":
        row.status, row.note = "failed", f"Не удалось обработать: {job.last_error or 'ошибка'}"
        db.session.commit()

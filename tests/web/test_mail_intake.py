"""E-mail in and out over a real SMTP exchange on loopback (smtplib → aiosmtpd → job → ticket)."""

from __future__ import annotations

import dataclasses
import shutil
import smtplib
import socket
from email.header import Header
from email.message import EmailMessage
from email.mime.text import MIMEText

import pytest
from sqlalchemy import select

from app import mail as outgoing
from app.extensions import db
from app.jobs.operations import execute_job
from app.models import Carrier, InboundMail, Job, Subscriber, Ticket, TicketAttachment
from app.tickets import operations
from app.tickets.smtpd import controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp(app):
    shutil.rmtree(app.config["ULYBKA"].outbox_dir, ignore_errors=True)  # the data dir lives all session
    server = controller(app, "127.0.0.1", free_port())
    server.start()
    yield server.port
    server.stop()


def run_jobs() -> None:
    """What the worker does: every queued job, oldest first, until none is left."""
    while job := db.session.scalar(select(Job).where(Job.status == "queued").order_by(Job.id)):
        execute_job(job.id)
        db.session.expire_all()


def deliver(port: int, message, *, to: str = "support@ulybka.local", sender: str = "ivan@example.ru"):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail(sender, [to], message if isinstance(message, bytes) else message.as_bytes())


def cp1251_letter(subject: str, body: str, **headers: str) -> MIMEText:
    letter = MIMEText(body.encode("cp1251"), "plain", "windows-1251")  # 8-bit, base64 by default
    letter["Subject"] = Header(subject, "koi8-r")
    letter["From"] = f"{Header('Иван Петров', 'utf-8').encode()} <ivan@example.ru>"
    letter["To"] = "support@ulybka.local"
    letter["Message-ID"] = headers.pop("message_id", "<first@example.ru>")
    for name, value in headers.items():
        letter[name.replace("_", "-")] = value
    return letter


def test_a_russian_letter_becomes_a_ticket_and_the_reply_threads_into_it(app, smtp, make_user):
    ivan = Subscriber(phone="+79161234567", carrier_id=db.session.scalar(select(Carrier.id).where(
        Carrier.code == "mts")), email="ivan@example.ru", tariff="mts_smart", options=[])
    db.session.add(ivan)
    db.session.commit()
    deliver(smtp, cp1251_letter("Не работает интернет", "Здравствуйте! С утра нет мобильного интернета."))
    assert db.session.scalar(select(InboundMail.status)) == "queued"  # kept before the worker ran
    run_jobs()
    ticket = db.session.scalar(select(Ticket))
    assert (ticket.channel, ticket.subject, ticket.body) == (
        "email", "Не работает интернет", "Здравствуйте! С утра нет мобильного интернета.")
    assert ticket.subscriber_id == ivan.id and ticket.contact_name == "Иван Петров"
    [ack] = outgoing.outbox()
    assert ack["To"] == "ivan@example.ru" and f"[#{ticket.number}]" in ack["Subject"]
    assert ack["In-Reply-To"] == "<first@example.ru>" and ack["Auto-Submitted"] == "auto-replied"

    anna = make_user("anna")
    operations.add_comment(ticket, "Перезагрузите, пожалуйста, телефон.", author=anna)
    db.session.commit()
    run_jobs()
    answer = outgoing.outbox()[-1]
    assert answer.get_content().startswith("Перезагрузите") and answer["In-Reply-To"] == "<first@example.ru>"

    reply = cp1251_letter(f"Re: {answer['Subject']}", "Спасибо, заработало!\n\n"
                          "4 дек. 2026 г., в 10:00, Служба поддержки <support@ulybka.local> пишет:\n"
                          "> Перезагрузите, пожалуйста, телефон.", message_id="<second@example.ru>",
                          In_Reply_To=answer["Message-ID"],
                          References=f"<first@example.ru> {answer['Message-ID']}")
    deliver(smtp, reply)
    run_jobs()
    db.session.expire_all()
    assert db.session.query(Ticket).count() == 1
    ticket = db.session.get(Ticket, ticket.id)
    assert [c.body for c in ticket.comments if c.from_subscriber] == ["Спасибо, заработало!"]
    assert ticket.status == "open" and ticket.first_response_at is not None


def test_mail_for_other_domains_and_oversized_mail_are_refused_by_rule(app, smtp, monkeypatch):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        deliver(smtp, cp1251_letter("x", "y"), to="somebody@example.com")
    code, text = refused.value.recipients["somebody@example.com"]
    assert code == 550 and b"Relaying denied" in text
    small = dataclasses.replace(app.config["ULYBKA"], mail_max_mb=1)
    monkeypatch.setitem(app.config, "ULYBKA", small)
    server = controller(app, "127.0.0.1", free_port())
    server.start()
    try:
        huge = EmailMessage()
        huge["From"], huge["To"], huge["Subject"] = "ivan@example.ru", "support@ulybka.local", "Скан"
        huge.set_content("Скан паспорта")
        huge.add_attachment(b"\0" * (2 * 1024 * 1024), maintype="image", subtype="png", filename="scan.png")
        with pytest.raises((smtplib.SMTPDataError, smtplib.SMTPSenderRefused)) as too_big:
            deliver(server.port, huge)
        assert too_big.value.smtp_code == 552
    finally:
        server.stop()
    assert db.session.query(InboundMail).count() == 0


def test_auto_replies_are_recorded_never_answered_and_broken_mail_bounces(app, smtp):
    deliver(smtp, cp1251_letter("Автоответ: меня нет в офисе", "Я в отпуске", Auto_Submitted="auto-replied"))
    deliver(smtp, b"Subject: no sender here\r\nTo: support@ulybka.local\r\n\r\nbody",
            sender="robot@example.ru")
    run_jobs()
    statuses = [r.status for r in db.session.scalars(select(InboundMail).order_by(InboundMail.id))]
    assert statuses == ["ignored", "bounced"] and db.session.query(Ticket).count() == 0
    [bounce] = outgoing.outbox()
    assert bounce["To"] == "robot@example.ru"
    assert "нет заголовков или адреса отправителя" in bounce.get_content()
    assert bounce["Auto-Submitted"] == "auto-replied"


def test_a_tag_threads_only_for_a_sender_the_ticket_knows_and_attachments_are_kept(app, smtp):
    thread_with_an_attachment(app, smtp)


def thread_with_an_attachment(app, smtp) -> tuple[int, int]:
    deliver(smtp, cp1251_letter("Вопрос по счёту", "Пришлите счёт"))
    run_jobs()
    ticket = db.session.scalar(select(Ticket))
    stranger = cp1251_letter(f"[#{ticket.number}] чужое", "Подмешиваю текст", message_id="<x@evil.example>")
    stranger.replace_header("From", "mallory@evil.example")
    deliver(smtp, stranger, sender="mallory@evil.example")
    tagged = EmailMessage()
    tagged["From"], tagged["To"] = "ivan@example.ru", "support@ulybka.local"
    tagged["Subject"], tagged["Message-ID"] = f"Re: [#{ticket.number}] Вопрос по счёту", "<tag@example.ru>"
    tagged.set_content("Вот скан договора")
    tagged.add_attachment(b"%PDF-1.4 scan", maintype="application", subtype="pdf", filename="договор.pdf")
    deliver(smtp, tagged)
    run_jobs()
    db.session.expire_all()
    numbers = sorted(t.number for t in db.session.scalars(select(Ticket)))
    assert len(numbers) == 2  # the stranger got a ticket of their own
    ticket = db.session.get(Ticket, ticket.id)
    assert [c.body for c in ticket.comments if c.from_subscriber] == ["Вот скан договора"]
    [kept] = db.session.scalars(select(TicketAttachment)).all()
    assert (kept.filename, kept.ticket_id, kept.size) == ("договор.pdf", ticket.id, len(b"%PDF-1.4 scan"))
    path = app.config["ULYBKA"].attachments_dir / kept.stored_path
    assert path.read_bytes() == b"%PDF-1.4 scan"
    return ticket.number, kept.id


def test_staff_download_an_attachment_of_the_ticket_it_came_with_only(app, smtp, auth, make_user):
    number, attachment_id = thread_with_an_attachment(app, smtp)
    make_user("anna")
    make_user("sub", role="subscriber")
    auth.login("anna")
    page = auth.client.get(f"/tickets/{number}").get_data(as_text=True)
    assert "договор.pdf" in page
    got = auth.client.get(f"/tickets/{number}/attachments/{attachment_id}")
    assert got.status_code == 200 and got.data == b"%PDF-1.4 scan" and "attachment" in got.headers[
        "Content-Disposition"]
    got.close()
    other = db.session.scalar(select(Ticket.number).where(Ticket.number != number))
    assert auth.client.get(f"/tickets/{other}/attachments/{attachment_id}").status_code == 404
    auth.logout()
    auth.login("sub")
    assert auth.client.get(f"/tickets/{number}/attachments/{attachment_id}").status_code == 403


def test_the_same_message_delivered_twice_makes_one_ticket(app, smtp):
    letter = cp1251_letter("Повтор", "Одно и то же письмо")
    deliver(smtp, letter)
    deliver(smtp, letter)
    run_jobs()
    assert db.session.query(Ticket).count() == 1
    assert sorted(r.status for r in db.session.scalars(select(InboundMail))) == ["ignored", "ticket"]


def test_after_a_call_the_subscriber_gets_the_survey_link_by_mail_once(app, client, smtp, make_user):
    """Issue 13, item 11: nothing produced the survey link; now the call's subscriber gets it."""
    from app.features import announce
    from tests.conftest import csrf_from
    from tests.web.test_qa import make_done_call

    ivan = Subscriber(phone="+79161234567", carrier_id=db.session.scalar(select(Carrier.id).where(
        Carrier.code == "mts")), email="ivan@example.ru", tariff="mts_smart", options=[])
    db.session.add(ivan)
    call = make_done_call(make_user("anna", full_name="Анна Смирнова"), sha256="9" * 64)
    call.subscriber_number = "8 (916) 123-45-67"
    stranger = make_done_call(make_user("oleg"), sha256="8" * 64)
    stranger.subscriber_number = "+79990000000"  # not in the base: nobody to write to
    db.session.commit()
    for c in (call, stranger, call):  # processed twice: one letter
        announce("call.processed", c)
        db.session.commit()
        run_jobs()
    [letter] = outgoing.outbox()
    assert letter["To"] == "ivan@example.ru" and "(Анна)" in letter.get_content()
    path = "/qa/survey/" + letter.get_content().split("/qa/survey/")[1].split()[0]
    page = client.get(path)
    assert page.status_code == 200 and "Как прошёл разговор?" in page.get_data(as_text=True)
    client.post(path, data={"stars": "4", "csrf_token": csrf_from(page.get_data(as_text=True))})
    from app.qa.operations import rating_of

    assert rating_of(db.session.get(type(call), call.id)).stars == 4


def test_a_subscriber_without_e_mail_gets_the_survey_link_by_sms_once(app, client, make_user):
    """Issue 13, item 11, second half: the SMS gateway interface of app.sms."""
    import dataclasses

    from app.features import announce
    from tests.web.test_cabinet import SENT
    from tests.web.test_qa import make_done_call

    SENT.clear()
    mts = db.session.scalar(select(Carrier.id).where(Carrier.code == "mts"))
    db.session.add(Subscriber(phone="+79161234567", tariff="mts_smart", options=[], carrier_id=mts))
    call = make_done_call(make_user("anna", full_name="Анна Смирнова"), sha256="7" * 64)
    call.subscriber_number = "+79161234567"
    db.session.commit()
    announce("call.processed", call)  # no gateway: no SMS, no job
    db.session.commit()
    run_jobs()
    assert SENT == []
    gateway = "tests.web.test_cabinet:gateway"
    app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], sms_gateway=gateway)
    for _ in range(2):  # processed twice: one SMS
        announce("call.processed", call)
        db.session.commit()
        run_jobs()
    [(phone, text)] = SENT
    assert phone == "+79161234567" and "оцените, пожалуйста, разговор" in text
    path = "/qa/survey/" + text.split("/qa/survey/")[1].split()[0]
    assert client.get(path).status_code == 200

"""What a probe of the ticket endpoints found, each kept fixed: no 500s on forged numbers, no mail
lost, no silent changes, roles as on the web."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from app import users
from app.extensions import db
from app.models import InboundMail, Ticket, TicketAttachment, TicketComment
from app.qa import survey
from app.tickets import operations
from tests.conftest import csrf_from
from tests.web.test_mail_intake import deliver, run_jobs, smtp  # noqa: F401 - the SMTP fixture
from tests.web.test_tickets import base  # noqa: F401 - three subscribers

HUGE = "9999999999999999999999999"


def test_forged_numbers_are_not_found_never_a_500(base, auth, make_user, client):  # noqa: F811
    make_user("anna")
    ticket = operations.create_ticket(channel="phone", type="other", subject="Вопрос", subscriber=base[0])
    db.session.commit()
    auth.login("anna")
    for url in (f"/tickets/{HUGE}", f"/tickets/?page={HUGE}", f"/tickets/?q={HUGE}",
                f"/tickets/?q=%23{HUGE}", "/tickets/?q=%C2%B2", f"/tickets/new?call={HUGE}",
                f"/tickets/{ticket.number}/attachments/{HUGE}"):
        assert auth.client.get(url).status_code in (200, 404), url
    for url, data in ((f"/tickets/{ticket.number}/link-call", {"call_id": HUGE}),
                      (f"/tickets/{ticket.number}/actions/{HUGE}/confirm", {}),
                      ("/tickets/bulk-assign", {"number": ["²", HUGE], "assignee": ""}),
                      (f"/tickets/{ticket.number}/assign", {"assignee": HUGE})):
        assert auth.post(url, data).status_code in (302, 404), url
    manager = make_user("boss", role="manager")
    _, key = users.issue_api_key(manager, "crm", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    for url in (f"/api/v1/tickets?page={HUGE}", "/api/v1/tickets?q=%C2%B2", f"/api/v1/tickets/{HUGE}"):
        assert client.get(url, headers=headers).status_code in (200, 404), url
    forged = survey._serializer().dumps({"ticket": 10**30})
    assert client.get(f"/qa/survey/{forged}").status_code == 404


def test_an_unknown_assignee_is_refused_and_the_ticket_keeps_its_own(base, auth, make_user):  # noqa: F811
    anna = make_user("anna")
    ticket = operations.create_ticket(channel="phone", type="other", subject="Вопрос", subscriber=base[0])
    operations.assign(ticket, anna, None)
    db.session.commit()
    auth.login("anna")
    for bad in ("99999", "0", "abc"):
        page = auth.post(f"/tickets/{ticket.number}/assign", {"assignee": bad}, follow_redirects=True)
        assert "Такого сотрудника нет" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).assignee_id == anna.id
    sub = make_user("sub", role="subscriber", full_name="Секретное Имя")
    named = auth.post(f"/tickets/{ticket.number}/assign", {"assignee": str(sub.id)}, follow_redirects=True)
    assert "Секретное Имя" not in named.get_data(as_text=True)


def test_the_qa_role_has_no_tickets_api_and_the_api_takes_only_text(base, client, make_user):  # noqa: F811
    qa = make_user("qa1", role="qa_listener")
    _, qa_key = users.issue_api_key(qa, "qa", actor=None)
    boss = make_user("boss", role="manager")
    _, key = users.issue_api_key(boss, "crm", actor=None)
    db.session.commit()
    assert client.get("/api/v1/tickets", headers={"Authorization": f"Bearer {qa_key}"}).status_code == 403
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    good = {"phone": "+79161234567", "type": "other", "subject": "Вопрос"}
    for body in ('{"phone": "+79161234567", "type": "other", "subject": "\\ud800 x"}',
                 "[" * 5000,
                 json.dumps({**good, "subject": {"x": 1}}), json.dumps({**good, "channel": "email"})):
        assert client.post("/api/v1/tickets", headers=headers, data=body).status_code == 400, body[:40]
    assert db.session.query(Ticket).count() == 0


def test_text_that_is_only_invisible_is_no_subject_and_a_repeated_reply_is_one(base, make_user):  # noqa: F811
    with pytest.raises(operations.TicketFlowError, match="Укажите тему"):
        operations.create_ticket(channel="phone", type="other", subject="\u200b\u200b", subscriber=base[0])
    anna = make_user("anna")
    ticket = operations.create_ticket(channel="phone", type="other", subject="Во\u202eпрос\x07",
                                      subscriber=base[0])
    assert ticket.subject == "Вопрос"
    for _ in range(2):
        operations.add_comment(ticket, "Проверяем", author=anna, mail=False)
    assert [c.body for c in ticket.comments] == ["Проверяем"]


def test_a_move_on_a_stale_page_is_refused_and_reopening_stops_the_rating(base, make_user, client):  # noqa: F811
    anna = make_user("anna")
    ticket = operations.create_ticket(channel="phone", type="other", subject="Вопрос", subscriber=base[0])
    operations.assign(ticket, anna, None)
    operations.change_status(ticket, "resolved", anna, mail=False)
    db.session.commit()
    link = survey.ticket_link_for(ticket).split("127.0.0.1:5000", 1)[1]
    with db.engine.begin() as other:  # another window reopens it meanwhile
        other.execute(update(Ticket).where(Ticket.id == ticket.id).values(status="open"))
    set_committed_value(ticket, "status", "resolved")  # what this page still believes
    with pytest.raises(operations.TicketFlowError, match="уже изменилось"):
        operations.change_status(ticket, "closed", anna)
    db.session.rollback()
    with db.engine.begin() as other:  # back as it was, then reopened the proper way
        other.execute(update(Ticket).where(Ticket.id == ticket.id).values(status="resolved"))
    db.session.expire_all()
    operations.change_status(ticket, "open", anna)
    db.session.commit()
    assert ticket.resolved_at is None
    page = client.get(link)
    assert "снова открыто" in page.get_data(as_text=True)
    token = csrf_from(client.get("/help/new").get_data(as_text=True))
    client.post(link, data={"stars": "1", "csrf_token": token})
    from app.models import Rating

    assert db.session.query(Rating).count() == 0


def test_the_public_form_does_not_bind_someone_elses_number(base, client):  # noqa: F811
    page = client.get("/help/new").get_data(as_text=True)
    client.post("/help/new", data={"name": "Кто-то", "email": "stranger@example.ru", "phone": "+79161234567",
                                   "type": "balance", "subject": "Баланс", "body": "Сколько денег?",
                                   "csrf_token": csrf_from(page)})
    ticket = db.session.scalar(select(Ticket))
    assert ticket.subscriber_id is None and "+79161234567" in ticket.body
    page = client.get("/help/new").get_data(as_text=True)
    client.post("/help/new", data={"name": "Пётр", "email": "petr@example.ru", "phone": "+79161234567",
                                   "type": "balance", "subject": "Баланс", "body": "Мой баланс?",
                                   "csrf_token": csrf_from(page)})
    assert db.session.scalar(select(Ticket).order_by(Ticket.id.desc())).subscriber_id == base[0].id


def test_no_mail_is_lost_long_empty_attachment_only_or_broken(app, smtp):  # noqa: F811
    deliver(smtp, b"From: ivan@example.ru\r\nTo: support@ulybka.local\r\nMessage-ID: <long@x>\r\nSubject: "
            + b"L" * 400 + b"\r\n\r\n" + (b"x" * 900 + b"\r\n") * 40)
    empty = EmailMessage()
    empty["From"], empty["To"], empty["Subject"], empty["Message-ID"] = (
        "ivan@example.ru", "support@ulybka.local", "Скриншот", "<shot@x>")
    empty.set_content("")
    empty.add_attachment(b"\x89PNG...", maintype="image", subtype="png", filename="screen.png")
    deliver(smtp, empty)
    deliver(smtp, b"From: =?utf-8?B?####?= <<<@@@>>>\r\nTo: support@ulybka.local\r\nSubject: x\r\n\r\nbody")
    run_jobs()
    statuses = [r.status for r in db.session.scalars(select(InboundMail).order_by(InboundMail.id))]
    assert statuses in (["ticket", "ticket", "bounced"], ["ticket", "ticket", "ignored"])
    long, shot = db.session.scalars(select(Ticket).order_by(Ticket.id)).all()
    assert len(long.subject) <= 300 and "полный текст во вложении" in long.body
    names = {a.filename for a in db.session.scalars(select(TicketAttachment))}
    assert names == {"письмо.txt", "screen.png"}
    assert "вложения: screen.png" in shot.body
    assert db.session.query(TicketComment).count() == 0

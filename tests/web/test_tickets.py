"""Tickets through their real interfaces: the CLI contracts, the API, the pages, the SLA sweep."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import users
from app.cli import main
from app.extensions import db
from app.models import Carrier, GameEvent, Notification, Subscriber, Ticket, TicketChange, utcnow
from app.tickets import operations
from tests.web.test_exams_admission import lines  # noqa: F401 - fixture: an operator admitted to MTS


@pytest.fixture()
def base(app):
    """Three subscribers, one per carrier, +79161234567 on MTS."""
    ids = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    rows = [Subscriber(phone="+79161234567", carrier_id=ids["mts"], full_name="Пётр Васильев",
                       email="petr@example.ru", tariff="mts_smart", options=["mts_unlim_weekend"],
                       balance=Decimal("245.50")),
            Subscriber(phone="+79267654321", carrier_id=ids["megafon"], tariff="mf_minimum", options=[]),
            Subscriber(phone="+79031112233", carrier_id=ids["beeline"], tariff="bee_prosto", options=[])]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def cli(runner, *args):
    result = runner.invoke(main, list(args))
    return result, (json.loads(result.output) if result.exit_code == 0 and "--json" in args else None)


def test_the_command_line_contracts(base, runner):
    _, shown = cli(runner, "subscribers", "show", "8 (916) 123-45-67", "--json")
    assert shown["phone"] == "+79161234567" and shown["carrier"] == "mts" and shown["tariff"] == "mts_smart"
    assert shown["options"] == ["mts_unlim_weekend"] and shown["balance"] == 245.5
    assert "mts_smart" not in shown["tariffs_available"] and "mts_home" in shown["tariffs_available"]

    _, made = cli(runner, "tickets", "create", "--phone", "+79161234567", "--type", "option_on",
                  "--option", "mts_music", "--subject", "Подключить МТС Музыку", "--json")
    assert set(made) == {"id", "number"} and made["number"] > made["id"]
    _, ticket = cli(runner, "tickets", "show", str(made["number"]), "--json")
    assert ticket["subscriber"] == "+79161234567" and ticket["requested"] == {"option": "mts_music"}
    assert ticket["comments"] == [] and ticket["sla"]["state"] == "ok" and ticket["channel"] == "phone"
    assert ticket["sla"]["first_response_due"] and ticket["sla"]["resolution_due"]
    _, rows = cli(runner, "tickets", "list", "--json")
    keys = {"id", "number", "channel", "type", "status", "subject", "subscriber", "created_at",
            "comment_count", "sla"}
    assert [r["number"] for r in rows] == [made["number"]] and keys <= set(rows[0])


@pytest.mark.parametrize(("args", "message"), [
    (["--phone", "+79160000000", "--type", "other", "--subject", "Вопрос"], "not in the subscriber base"),
    (["--phone", "12345", "--type", "other", "--subject", "Вопрос"], "не российский номер"),
    (["--phone", "+79161234567", "--type", "option_on", "--option", "mf_anti_spam", "--subject", "x"],
     "У МТС нет опции «mf_anti_spam»"),
    (["--phone", "+79161234567", "--type", "option_on", "--option", "mts_unlim_weekend", "--subject", "x"],
     "уже подключена"),
    (["--phone", "+79161234567", "--type", "tariff_change", "--tariff", "mts_smart", "--subject", "x"],
     "уже на тарифе"),
    (["--phone", "+79161234567", "--type", "tariff_change", "--subject", "x"], "Укажите тариф"),
])
def test_bad_requests_are_refused_and_write_nothing(base, runner, args, message):
    result, _ = cli(runner, "tickets", "create", *args)
    assert result.exit_code == 2 and message in result.output
    assert db.session.query(Ticket).count() == 0


def test_the_api_lists_shows_and_creates(base, client, make_user):
    manager = make_user("boss", role="manager")
    _, key = users.issue_api_key(manager, "crm", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    created = client.post("/api/v1/tickets", headers=headers, json={
        "phone": "+7 926 765-43-21", "type": "tariff_change", "tariff": "mf_maximum",
        "subject": "Хочу Максимум"})
    assert created.status_code == 201 and created.json["channel"] == "api"
    number = created.json["number"]
    shown = client.get(f"/api/v1/tickets/{number}", headers=headers).json
    assert shown["requested"] == {"tariff": "mf_maximum"}
    listed = client.get("/api/v1/tickets", headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["number"] == number
    assert client.get("/api/v1/tickets/999999", headers=headers).status_code == 404
    assert client.post("/api/v1/tickets", headers=headers, data="nope").status_code == 400
    missing = client.post("/api/v1/tickets", headers=headers, json={"phone": "+79031112233"})
    assert missing.status_code == 400 and "type" in missing.json["error"]["message"]
    unknown = client.post("/api/v1/tickets", headers=headers, json={"phone": "+79990000000", "type": "other",
                                                                     "subject": "x"})
    assert unknown.status_code == 404
    assert client.get("/api/v1/tickets").status_code == 401
    assert db.session.query(Ticket).count() == 1


def test_replies_stop_the_first_response_clock_once_and_the_subscriber_reopens(base, make_user):
    anna = make_user("anna")
    ticket = operations.create_ticket(channel="email", type="balance", subject="Списание",
                                      subscriber=base[0], at=utcnow() - timedelta(minutes=30))
    operations.add_comment(ticket, "Разбираемся", author=anna)
    first = ticket.first_response_at
    assert first is not None and ticket.status == "open"
    operations.add_comment(ticket, "Проверил историю", author=anna, public=False)
    operations.add_comment(ticket, "Вот что нашли", author=anna)
    assert ticket.first_response_at == first  # stored when it happened, never moved
    operations.change_status(ticket, "resolved", anna)
    operations.add_comment(ticket, "Не помогло!", from_subscriber=True, channel="email")
    assert ticket.status == "open"  # the subscriber's reply reopens it
    operations.change_status(ticket, "resolved", anna)
    operations.change_status(ticket, "closed", anna)
    with pytest.raises(operations.TicketFlowError, match="создайте новое"):
        operations.add_comment(ticket, "Ещё вопрос", from_subscriber=True)
    with pytest.raises(operations.TicketFlowError, match="нельзя перевести"):
        operations.change_status(ticket, "open", anna)
    fields = [c.field for c in db.session.scalars(
        select(TicketChange).where(TicketChange.ticket_id == ticket.id))]
    # new → open (the reply), → resolved, → open (the subscriber), → resolved, → closed
    assert fields[0] == "created" and fields.count("status") == 5


def test_pages_for_staff_only_and_the_call_page_opens_a_ticket(base, auth, make_user):
    from tests.web.test_qa import make_done_call

    make_user("qa1", role="qa_listener")
    make_user("sub", role="subscriber")
    anna = make_user("anna")
    call = make_done_call(anna, sha256="f" * 64)
    call.subscriber_number = "+79161234567"
    db.session.commit()
    for login in ("qa1", "sub"):
        auth.login(login)
        assert auth.client.get("/tickets/").status_code == 403
        auth.logout()
    auth.login("anna")
    page = auth.client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Создать обращение" in page
    form = auth.client.get(f"/tickets/new?call={call.id}").get_data(as_text=True)
    assert 'value="+79161234567"' in form
    bad = auth.post("/tickets/new", {"call": call.id, "phone": "+79161234567", "type": "other",
                                     "subject": ""})
    assert bad.status_code == 400 and "Укажите тему" in bad.get_data(as_text=True)
    made = auth.post("/tickets/new", {"call": call.id, "phone": "+79161234567", "type": "device_setup",
                                      "channel": "phone", "priority": "normal", "subject": "Нет интернета"})
    ticket = db.session.scalar(select(Ticket))
    assert made.status_code == 302 and made.headers["Location"].endswith(f"/tickets/{ticket.number}")
    shown = auth.client.get(f"/tickets/{ticket.number}").get_data(as_text=True)
    assert "Нет интернета" in shown and f"№{call.id}" in shown and "Пётр Васильев" in shown
    assert auth.client.get("/tickets/999999").status_code == 404
    queue = auth.client.get("/tickets/?type=device_setup").get_data(as_text=True)
    assert f"#{ticket.number}" in queue and 'data-total="1"' in queue
    assert 'data-total="0"' in auth.client.get("/tickets/?type=balance").get_data(as_text=True)
    assert 'data-total="1"' in auth.client.get("/tickets/?carrier=mts").get_data(as_text=True)
    assert 'data-total="0"' in auth.client.get("/tickets/?carrier=beeline").get_data(as_text=True)


def test_only_operators_admitted_to_the_line_take_its_tickets(base, lines, make_user):  # noqa: F811
    """``lines``: MTS and Beeline need a certification; the operator ``op`` holds them, a new one does not."""
    certified, newcomer = lines, make_user("newcomer")
    mts = operations.create_ticket(channel="phone", type="other", subject="МТС", subscriber=base[0])
    megafon = operations.create_ticket(channel="phone", type="other", subject="МегаФон", subscriber=base[1])
    operations.assign(mts, certified, None)
    assert mts.assignee == certified
    with pytest.raises(operations.TicketFlowError, match="не допущен"):
        operations.assign(mts, newcomer, None)
    assert mts.assignee == certified
    operations.assign(megafon, newcomer, None)  # a line without a certification rule is open
    assert megafon.assignee == newcomer


def test_the_sweep_warns_once_and_escalates_a_breach_and_resolution_earns_points(base, make_user):
    anna = make_user("anna")
    boss = make_user("boss", role="manager")
    long_ago = utcnow() - timedelta(days=3)
    late = operations.create_ticket(channel="phone", type="complaint", subject="Жалоба", subscriber=base[0],
                                    at=long_ago)
    operations.assign(late, anna, boss)
    db.session.commit()
    assert operations.sweep_sla() == {"warning": 0, "breached": 1}
    assert operations.sweep_sla() == {"warning": 0, "breached": 0}  # told once
    texts = [(n.user_id, n.text) for n in db.session.scalars(select(Notification))]
    due = late.sla_due.astimezone(operations.tickets.BUSINESS_HOURS.zone)
    assert [t for u, t in texts if u == anna.id] == [f"Обращение #{late.number} просрочено (срок был "
                                                      f"{due:%d.%m %H:%M})"]
    assert [u for u, t in texts if "Просрочено обращение" in t] == [boss.id]

    fresh = operations.create_ticket(channel="phone", type="complaint", subject="Вопрос", subscriber=base[1])
    operations.assign(fresh, anna, boss)
    operations.add_comment(fresh, "Решили", author=anna)
    operations.change_status(fresh, "resolved", anna)
    db.session.commit()
    event = db.session.scalar(select(GameEvent).where(GameEvent.source_kind == "ticket"))
    assert event.source_id == str(fresh.number) and event.payload == {"resolved_within_sla": True}


def test_a_resolved_ticket_asks_for_a_rating_by_mail_and_counts_it_once_for_the_resolver(
        base, client, make_user, monkeypatch):
    import re
    import shutil

    from app import mail as outgoing
    from app.jobs.operations import execute_job
    from app.models import Job, Rating
    from app.qa import survey
    from tests.conftest import csrf_from

    shutil.rmtree(client.application.config["ULYBKA"].outbox_dir, ignore_errors=True)
    anna = make_user("anna")
    ticket = operations.create_ticket(channel="email", type="balance", subject="Списание", subscriber=base[0])
    operations.assign(ticket, anna, None)
    operations.add_comment(ticket, "Вернули деньги", author=anna, mail=False)
    db.session.commit()
    with pytest.raises(Exception, match="ещё не решено"):
        from app.qa.operations import add_rating

        add_rating(stars=5, ticket_ref=str(ticket.number))
    db.session.rollback()
    operations.change_status(ticket, "resolved", anna)
    db.session.commit()
    for job in db.session.scalars(select(Job).where(Job.status == "queued")).all():
        execute_job(job.id)
    [request] = outgoing.outbox()
    assert request["To"] == "petr@example.ru" and f"[#{ticket.number}]" in request["Subject"]
    link = re.search(r"http://\S+/qa/survey/\S+", request.get_content()).group(0)
    path = link.split("127.0.0.1:5000", 1)[1]

    page = client.get(path)  # a mail scanner opening the link records nothing
    assert page.status_code == 200 and f"#{ticket.number}" in page.get_data(as_text=True)
    assert db.session.query(Rating).count() == 0
    token = csrf_from(page.get_data(as_text=True))
    for stars in ("5", "1"):
        client.post(path, data={"stars": stars, "csrf_token": token})
    [rating] = db.session.scalars(select(Rating)).all()
    assert (rating.ticket_ref, rating.stars) == (str(ticket.number), 5)
    event = db.session.scalar(select(GameEvent).where(GameEvent.source_kind == "rating"))
    assert event.operator_id == anna.id and event.payload == {"stars": 5}
    assert client.get("/qa/survey/forged").status_code == 404
    monkeypatch.setattr(survey, "VALID_FOR", timedelta(seconds=-1))
    assert client.get(path).status_code == 410

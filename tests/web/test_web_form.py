"""The public web form: a ticket with its number at once; CSRF, honeypot, rate limit, repeats."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Job, Ticket
from tests.conftest import _wipe, build_app, csrf_from

FORM = {"name": "Ольга", "email": "Olga@Example.ru", "phone": "", "type": "balance",
        "subject": "Непонятное списание", "body": "Списали 300 рублей, я ничего не подключала."}


def send(client, **overrides):
    page = client.get("/help/new").get_data(as_text=True)
    return client.post("/help/new", data={**FORM, **overrides, "csrf_token": csrf_from(page)})


def test_the_form_makes_a_ticket_and_shows_its_number_once_however_often_it_is_sent(client):
    first = send(client)
    ticket = db.session.scalar(select(Ticket))
    assert first.status_code == 200 and f"#{ticket.number}" in first.get_data(as_text=True)
    assert (ticket.channel, ticket.type, ticket.contact_email, ticket.contact_name) == (
        "web_form", "balance", "olga@example.ru", "Ольга")
    again = send(client)  # a double click or a reload
    assert f"#{ticket.number}" in again.get_data(as_text=True) and db.session.query(Ticket).count() == 1
    assert db.session.scalar(select(Job.kind).where(Job.kind == "tickets.send_mail")) == "tickets.send_mail"


def test_bad_input_is_said_and_kept_and_a_bot_is_thanked_and_dropped(client):
    bad = send(client, email="not-an-address")
    assert bad.status_code == 400 and "адрес электронной почты" in bad.get_data(as_text=True)
    assert 'value="Непонятное списание"' in bad.get_data(as_text=True)  # nothing typed is lost
    unknown = send(client, phone="12")
    assert unknown.status_code == 400 and "не российский номер" in unknown.get_data(as_text=True)
    bot = send(client, website="http://spam.example")
    assert bot.status_code == 200 and "обращение принято" in bot.get_data(as_text=True).lower()
    assert db.session.query(Ticket).count() == 0
    no_token = client.post("/help/new", data=FORM)
    assert no_token.status_code == 400 and db.session.query(Ticket).count() == 0


def test_the_form_is_rate_limited_per_address(migrated):
    app = build_app(migrated, WEB_FORM_RATE_LIMIT="2 per hour")
    with app.app_context():
        try:
            client = app.test_client()
            answers = [send(client, subject=f"Вопрос {n}") for n in range(4)]
            assert [a.status_code for a in answers] == [200, 200, 429, 429]
            assert "Попробуйте через час" in answers[-1].get_data(as_text=True)
        finally:
            _wipe()  # this test has its own app: leave the database as the next test expects
            db.session.remove()

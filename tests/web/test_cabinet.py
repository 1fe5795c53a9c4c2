"""The subscriber cabinet through its real interfaces: sign-in by phone and code (brute force,
replay, expiry, limits), the pages and the JSON API, and nothing of another subscriber reachable."""

from __future__ import annotations

import io
import logging
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.cabinet import otp
from app.extensions import db
from app.models import CabinetCode, Carrier, Rating, Role, Subscriber, Ticket, TicketAttachment, User, utcnow
from app.tickets import operations as ticket_ops
from tests.web.test_exams_admission import lines  # noqa: F401 - fixture: an operator admitted to MTS

CODE_LINE = re.compile(r"cabinet sign-in code for (\+7\d{10}): (\d{6})")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture()
def base(app):
    ids = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    rows = [Subscriber(phone="+79161234567", carrier_id=ids["mts"], full_name="Пётр Васильев",
                       email="petr@example.ru", tariff="mts_smart", options=["mts_unlim_weekend"],
                       balance=Decimal("245.50")),
            Subscriber(phone="+79267654321", carrier_id=ids["megafon"], full_name="Людмила Фролова",
                       tariff="mf_minimum", options=[], balance=Decimal("-12.00"))]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def last_code(caplog, phone: str) -> str:
    found = [m.group(2) for r in caplog.records for m in [CODE_LINE.search(r.getMessage())]
             if m and m.group(1) == phone]
    assert found, f"no code logged for {phone}"
    return found[-1]


def token(client, url: str) -> str:
    from tests.conftest import csrf_from
    return csrf_from(client.get(url).get_data(as_text=True))


def sign_in(client, caplog, phone: str = "+79161234567"):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    sent = client.post("/cabinet/login", data={"phone": phone, "csrf_token": token(client, "/cabinet/login")})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    code = last_code(caplog, "+7" + re.sub(r"\D", "", phone)[-10:])
    return client.post("/cabinet/login/code",
                       data={"code": code, "csrf_token": token(client, "/cabinet/login/code")})


def test_a_subscriber_signs_in_by_phone_and_code_and_sees_their_line(base, client, caplog):
    done = sign_in(client, caplog, "8 (916) 123-45-67")
    assert done.status_code == 302 and done.headers["Location"].endswith("/cabinet/")
    page = client.get("/cabinet/").get_data(as_text=True)
    assert "+79161234567" in page and "МТС" in page and "245,50 ₽" in page
    assert "Мои заявки" in page and "Заявок пока нет" in page
    home = client.get("/").get_data(as_text=True)  # the home page is the cabinet too
    assert "245,50 ₽" in home
    account = db.session.scalar(select(User).where(User.id == base[0].user_id))
    assert account.role == Role.SUBSCRIBER and account.full_name == "Пётр Васильев"
    stored = db.session.scalars(select(CabinetCode)).all()
    assert len(stored) == 1 and stored[0].used_at is not None
    assert last_code(caplog, "+79161234567") not in stored[0].code_hmac and len(stored[0].code_hmac) == 64


def test_wrong_codes_count_and_the_fifth_kills_the_code(base, client, caplog):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    csrf = token(client, "/cabinet/login")
    client.post("/cabinet/login", data={"phone": "+79161234567", "csrf_token": csrf})
    right = last_code(caplog, "+79161234567")
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    answers = []
    for _ in range(otp.MAX_TRIES):
        reply = client.post("/cabinet/login/code", data={"code": wrong, "csrf_token": csrf})
        assert reply.status_code == 401
        answers.append(reply.get_data(as_text=True))
    assert "Осталось попыток: 4" in answers[0] and "Попытки закончились" in answers[-1]
    late = client.post("/cabinet/login/code", data={"code": right, "csrf_token": csrf})
    assert late.status_code == 401 and "Запросите новый" in late.get_data(as_text=True)
    again = client.post("/cabinet/login", data={"phone": "+79161234567",
                                                "csrf_token": token(client, "/cabinet/login")})
    assert again.status_code == 429 and "через 15 мин" in again.get_data(as_text=True)
    assert client.get("/cabinet/").status_code == 302  # never signed in


def test_a_code_is_used_once_and_expires(base, client, caplog):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    assert sign_in(client, caplog).status_code == 302
    used = last_code(caplog, "+79161234567")
    assert otp.verify_code("+79161234567", used) == (None, "Код не подходит или устарел. Запросите новый.")
    now = utcnow()
    otp.request_code("+79161234567", now=now + timedelta(minutes=2))
    db.session.commit()
    fresh = last_code(caplog, "+79161234567")
    assert otp.verify_code("+79161234567", fresh, now=now + timedelta(minutes=8))[0] is None  # 6 min later
    assert otp.verify_code("+79161234567", fresh, now=now + timedelta(minutes=6))[0] is not None


def test_codes_are_limited_per_number_and_unknown_numbers_answer_the_same(base, client, caplog):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    now = utcnow()
    for step in range(otp.PER_NUMBER):
        otp.request_code("+79161234567", now=now + timedelta(minutes=2 * step))
    with pytest.raises(otp.TooSoon):
        otp.request_code("+79161234567", now=now + timedelta(minutes=11))
    otp.request_code("+79990000000", now=now)
    with pytest.raises(otp.TooSoon, match="Запросить новый можно через"):
        otp.request_code("+79990000000", now=now + timedelta(seconds=10))
    db.session.rollback()
    known = client.post("/api/v1/cabinet/otp", json={"phone": "+79267654321"})
    unknown = client.post("/api/v1/cabinet/otp", json={"phone": "+79995554433"})
    assert known.status_code == unknown.status_code == 202
    assert known.json.keys() == unknown.json.keys() == {"phone", "valid_minutes"}
    logged = [r.getMessage() for r in caplog.records]
    assert not [m for m in logged if CODE_LINE.search(m) and "+79995554433" in m]
    assert client.post("/api/v1/cabinet/otp", json={"phone": "+79995554433"}).status_code == 429
    bad = client.post("/api/v1/cabinet/otp", json={"phone": "позвоните мне"})
    assert bad.status_code == 400 and "Введите номер телефона" in bad.json["error"]["message"]
    assert client.post("/api/v1/cabinet/otp", data="not json").status_code == 400


def test_the_api_signs_in_lists_creates_and_hides_other_subscribers(base, client, caplog):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    assert client.post("/api/v1/cabinet/otp", json={"phone": "+79161234567"}).status_code == 202
    bad = client.post("/api/v1/cabinet/session", json={"phone": "+79161234567", "code": "12345"})
    assert bad.status_code == 401 and bad.json["error"]["message"] == "Код — шесть цифр из сообщения."
    made = client.post("/api/v1/cabinet/session",
                       json={"phone": "+79161234567", "code": last_code(caplog, "+79161234567")})
    assert made.status_code == 200
    headers = {"Authorization": f"Bearer {made.json['token']}"}
    me = client.get("/api/v1/cabinet/me", headers=headers).json
    assert me["phone"] == "+79161234567" and me["tariff"]["code"] == "mts_smart" and me["balance"] == "245.50"
    assert [o["code"] for o in me["options"]] == ["mts_unlim_weekend"]
    created = client.post("/api/v1/cabinet/tickets", headers=headers,
                          json={"type": "option_on", "option": "mts_music", "body": "Подключите, пожалуйста"})
    assert created.status_code == 201, created.json
    assert created.json["channel"] == "cabinet" and created.json["subject"] == "Подключить опцию «МТС Музыка»"
    for key in ("id", "number", "channel", "type", "status", "subject", "subscriber", "created_at",
                "comment_count", "sla", "promise"):
        assert key in created.json
    assert "assignee" not in created.json and "calls" not in created.json
    refused = client.post("/api/v1/cabinet/tickets", headers=headers,
                          json={"type": "option_on", "option": "nope"})
    assert refused.status_code == 400 and "нет опции «nope»" in refused.json["error"]["message"]
    listed = client.get("/api/v1/cabinet/tickets", headers=headers).json
    assert [t["number"] for t in listed["items"]] == [created.json["number"]]
    theirs = ticket_ops.create_ticket(channel="phone", type="balance", subject="Чужой баланс",
                                      subscriber=base[1])
    ticket_ops.add_comment(created_ticket(created.json["number"]), "Внутренняя заметка", author=None,
                           public=False)
    db.session.commit()
    assert client.get(f"/api/v1/cabinet/tickets/{theirs.number}", headers=headers).status_code == 404
    mine = client.get(f"/api/v1/cabinet/tickets/{created.json['number']}", headers=headers).json
    assert "Внутренняя заметка" not in str(mine) and mine["comment_count"] == 0
    assert client.get("/api/v1/tickets", headers=headers).status_code == 403  # the staff API
    assert client.get("/api/v1/cabinet/me").status_code == 401


def created_ticket(number: int) -> Ticket:
    return db.session.scalar(select(Ticket).where(Ticket.number == number))


def test_requests_from_the_cabinet_with_files_a_thread_and_a_rating(base, client, caplog, make_user):
    boss = make_user("boss", role="manager")
    sign_in(client, caplog)
    csrf = token(client, "/cabinet/requests/new")
    form = {"type": "tariff_change", "tariff": "mts_smart", "csrf_token": csrf}
    same = client.post("/cabinet/requests/new", data=form)
    assert same.status_code == 400 and "уже на тарифе" in same.get_data(as_text=True)
    form = {"type": "complaint", "subject": "Списали деньги",
            "body": "<script>alert(1)</script> списали 300 ₽", "csrf_token": csrf,
            "files": [(io.BytesIO(PNG), "чек.png", "image/png")]}
    made = client.post("/cabinet/requests/new", data=form, content_type="multipart/form-data")
    assert made.status_code == 302
    ticket = db.session.scalar(select(Ticket).where(Ticket.channel == "cabinet"))
    page = client.get(made.headers["Location"]).get_data(as_text=True)
    assert f"Заявка #{ticket.number} принята" in page and "ответим до" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    attachment = db.session.scalar(select(TicketAttachment))
    got = client.get(f"/cabinet/requests/{ticket.number}/files/{attachment.id}")
    assert got.status_code == 200 and got.data == PNG
    got.close()
    exe = {"body": "ещё файл", "csrf_token": token(client, "/cabinet/"),
           "files": [(io.BytesIO(b"MZ\x90\0"), "virus.exe", "application/x-msdownload")]}
    refused = client.post(f"/cabinet/requests/{ticket.number}/messages", data=exe, follow_redirects=True)
    assert "принимаем PDF, JPEG, PNG" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TicketAttachment)) == 1
    ticket_ops.add_comment(ticket, "Вернём 300 ₽ в течение дня", author=boss, mail=False)
    ticket_ops.assign(ticket, boss, boss)
    ticket_ops.change_status(ticket, "resolved", boss, mail=False)
    db.session.commit()
    page = client.get(f"/cabinet/requests/{ticket.number}").get_data(as_text=True)
    assert "Вернём 300 ₽" in page and "Как мы справились?" in page
    client.post(f"/cabinet/requests/{ticket.number}/rating", data={"stars": "5", "csrf_token": csrf})
    twice = client.post(f"/cabinet/requests/{ticket.number}/rating",
                        data={"stars": "1", "csrf_token": token(client, "/cabinet/")}, follow_redirects=True)
    assert "уже оценена" in twice.get_data(as_text=True)
    ratings = db.session.scalars(select(Rating)).all()
    assert [(r.stars, r.source, r.ticket_ref) for r in ratings] == [(5, "cabinet", str(ticket.number))]


def test_nothing_of_another_subscriber_is_reachable_and_no_staff_page(base, client, caplog, make_user):
    theirs = ticket_ops.create_ticket(channel="phone", type="balance", subject="Чужой", subscriber=base[1])
    db.session.flush()
    file = ticket_ops.attach(theirs, None, "их.png", "image/png", PNG)
    db.session.commit()
    sign_in(client, caplog)
    csrf = token(client, "/cabinet/")
    for method, url in [("get", f"/cabinet/requests/{theirs.number}"),
                        ("get", f"/cabinet/requests/{theirs.number}/files/{file.id}"),
                        ("post", f"/cabinet/requests/{theirs.number}/messages"),
                        ("post", f"/cabinet/requests/{theirs.number}/rating"),
                        ("get", "/cabinet/requests/99999999999"), ("get", "/cabinet/requests/0")]:
        reply = getattr(client, method)(url, data={"body": "x", "stars": "5", "csrf_token": csrf})
        assert reply.status_code == 404, (method, url)
    for staff in ("/tickets/", f"/tickets/{theirs.number}", "/calls/", "/qa/", "/kb/", "/games/leaderboard",
                  "/admin/users"):
        assert client.get(staff).status_code in (403, 404), staff
    assert db.session.get(Ticket, theirs.id).comments == []


def test_the_demo_subscriber_signs_in_with_the_password_too(base, client, make_user):
    from tests.conftest import PASSWORD
    user = make_user("subscriber", role="subscriber", full_name="Пётр Васильев")
    base[0].user_id = user.id
    db.session.commit()
    client.post("/login", data={"login": "subscriber", "password": PASSWORD,
                                "csrf_token": token(client, "/login")})
    assert "+79161234567" in client.get("/cabinet/").get_data(as_text=True)


SENT: list[tuple[str, str]] = []


def gateway(phone: str, text: str) -> None:
    """An SMS gateway as ``ULYBKA_SMS_GATEWAY=tests.web.test_cabinet:gateway`` names it."""
    SENT.append((phone, text))


@pytest.mark.parametrize("sender", ["smtp", "sms"])
def test_codes_go_by_e_mail_or_through_an_sms_gateway_by_a_job(base, app, client, sender):
    import dataclasses
    import shutil

    from app.mail import outbox
    from tests.web.test_mail_intake import run_jobs

    shutil.rmtree(app.config["ULYBKA"].outbox_dir, ignore_errors=True)
    SENT.clear()
    app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], otp_sender=sender,
                                               sms_gateway="tests.web.test_cabinet:gateway")
    assert client.post("/api/v1/cabinet/otp", json={"phone": "+79161234567"}).status_code == 202
    run_jobs()
    if sender == "smtp":
        (message,) = outbox()
        assert message["To"] == "petr@example.ru"
        code = re.search(r"\d{6}", message["Subject"]).group(0)
        assert f"Код для входа в личный кабинет: {code}." in message.get_content()
    else:
        ((phone, text),) = SENT
        code = re.search(r"\d{6}", text).group(0)
        assert phone == "+79161234567" and text.endswith("Действует 5 мин. Никому его не сообщайте.")
    made = client.post("/api/v1/cabinet/session", json={"phone": "+79161234567", "code": code})
    assert made.status_code == 200 and made.json["token"].startswith("ulb_")


def test_the_otp_sender_setting_is_checked():
    from app.config import ConfigError, load_settings

    where = {"ULYBKA_DATA_DIR": "/tmp/ulybka-otp-check"}
    with pytest.raises(ConfigError, match="ULYBKA_OTP_SENDER 'sms-ru': accepted are log, smtp or sms"):
        load_settings({**where, "ULYBKA_OTP_SENDER": "sms-ru"})
    with pytest.raises(ConfigError, match="needs ULYBKA_SMS_GATEWAY"):
        load_settings({**where, "ULYBKA_OTP_SENDER": "sms"})
    with pytest.raises(ConfigError, match="expected package.module:function"):
        load_settings({**where, "ULYBKA_SMS_GATEWAY": "https://sms.example.ru"})
    with pytest.raises(ConfigError, match="ULYBKA_CHAT_LIMIT '0'"):
        load_settings({**where, "ULYBKA_CHAT_LIMIT": "0"})
    assert load_settings({**where, "ULYBKA_CHAT_LIMIT": "5"}).chat_limit == 5
    chosen = load_settings({**where, "ULYBKA_OTP_SENDER": "sms", "ULYBKA_SMS_GATEWAY": "mygate.sms:send"})
    assert (chosen.otp_sender, chosen.sms_gateway) == ("sms", "mygate.sms:send")


def test_the_tariffs_page_shows_the_catalogue_the_knowledge_base_published(base, client, caplog):
    from app.models import CarrierCatalogue
    from carriers.plans import offer, offer_to_json

    sign_in(client, caplog)
    page = client.get("/cabinet/tariffs").get_data(as_text=True)
    music = offer("mts").option("mts_music")
    assert music.name in page and "/cabinet/requests/new?type=option_on&amp;option=mts_music" in page
    assert "/cabinet/requests/new?type=option_off&amp;option=mts_unlim_weekend" in page
    reviewed = offer_to_json(offer("mts"))
    reviewed["tariffs"] = [dict(t, fee=777) if t["code"] == "mts_smart" else t for t in reviewed["tariffs"]]
    db.session.add(CarrierCatalogue(carrier="mts", status="published", offer=reviewed, changes=[], note="",
                                    checked_at=utcnow()))
    db.session.commit()
    assert "777 ₽" in client.get("/cabinet/tariffs").get_data(as_text=True)
    assert "777 ₽ в месяц" in client.get("/cabinet/").get_data(as_text=True)


def test_unknown_numbers_answer_every_step_like_known_ones(base, client, caplog):
    """Found by the probe: a wrong code and the lock-out used to tell the two apart."""
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    answers = {}
    for phone in ("+79161234567", "+79995550101"):
        assert client.post("/api/v1/cabinet/otp", json={"phone": phone}).status_code == 202
        right = last_code(caplog, "+79161234567")
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        tries = [client.post("/api/v1/cabinet/session", json={"phone": phone, "code": wrong})
                 for _ in range(otp.MAX_TRIES)]
        again = client.post("/api/v1/cabinet/otp", json={"phone": phone})
        answers[phone] = ([(t.status_code, t.json["error"]["message"]) for t in tries],
                          again.status_code, again.json["error"]["message"])
    assert answers["+79161234567"] == answers["+79995550101"]
    assert answers["+79995550101"][0][0] == (401, "Неверный код. Осталось попыток: 4.")


def test_an_earlier_code_never_counts_once_a_new_one_was_asked_for(base, client, caplog):
    caplog.set_level(logging.INFO, logger="ulybka.cabinet")
    now = utcnow()
    otp.request_code("+79161234567", now=now - timedelta(minutes=2))
    first = last_code(caplog, "+79161234567")
    otp.request_code("+79161234567", now=now)
    second = last_code(caplog, "+79161234567")
    db.session.commit()
    if first != second:
        assert otp.verify_code("+79161234567", first)[0] is None
    assert otp.verify_code("+79161234567", second)[0] is not None
    db.session.commit()
    assert otp.verify_code("+79161234567", first) == (None, "Код не подходит или устарел. Запросите новый.")


def test_text_that_cannot_be_stored_and_empty_complaints_are_refused(base, client, caplog):
    sign_in(client, caplog)
    csrf = token(client, "/cabinet/requests/new")
    blank = client.post("/cabinet/requests/new",
                        data={"type": "complaint", "body": "  \u200b ", "csrf_token": csrf})
    assert blank.status_code == 400 and "Опишите, что случилось" in blank.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf})
    assert client.get("/cabinet/").headers["Location"].startswith("/cabinet/login")
    caplog.clear()
    client.post("/api/v1/cabinet/otp", json={"phone": "+79267654321"})
    made = client.post("/api/v1/cabinet/session",
                       json={"phone": "+79267654321", "code": last_code(caplog, "+79267654321")})
    headers = {"Authorization": f"Bearer {made.json['token']}"}
    broken = client.post("/api/v1/cabinet/tickets", headers=headers, content_type="application/json",
                         data=b'{"type": "other", "body": "x\\ud800"}')
    assert broken.status_code == 400 and broken.json["error"]["code"] == "bad_json"
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 0

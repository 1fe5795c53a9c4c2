"""Live chat through its real interfaces: the pages' JSON calls on the web server, the chat stream
server started as its own process (events over real HTTP, Server-Sent Events), the queue, the
line gate, the limit per operator, transfer, close, tickets, sign-out, bad input."""

from __future__ import annotations

import dataclasses
import json
import os
import queue
import subprocess
import sys
import threading
import time
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select

from app.chat import bus
from app.extensions import db
from app.models import (
    Carrier,
    CertificationPass,
    CertificationRule,
    Chat,
    ChatMessage,
    Subscriber,
    Ticket,
    utcnow,
)
from tests.conftest import PASSWORD, csrf_from
from tests.web.test_exams_admission import lines  # noqa: F401 - fixture: "op" admitted to MTS, not Beeline
from tests.web.test_mail_intake import free_port


def start_stream_server(settings, port: int, **extra: str) -> subprocess.Popen:
    """``ulybka chat-server`` as its own process, with the tests' data dir, database and secret."""
    env = {**os.environ, "ULYBKA_DATA_DIR": str(settings.data_dir), "SECRET_KEY": settings.secret_key,
           "DATABASE_URL": settings.database_url, **extra}
    env.pop("REDIS_URL", None) if "REDIS_URL" not in extra else None
    proc = subprocess.Popen([sys.executable, "-m", "app", "chat-server", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("the chat stream server did not start")


@pytest.fixture()
def stream(app):
    port = free_port()
    proc = start_stream_server(app.config["ULYBKA"], port)
    app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], chat_url=f"http://127.0.0.1:{port}")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


class Listener:
    """A browser's EventSource: the stream's events, in order, on a thread."""

    def __init__(self, url: str):
        self.events: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(url,), daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "the stream did not open"

    def _run(self, url: str) -> None:
        try:
            with httpx.stream("GET", url, timeout=httpx.Timeout(30, connect=5)) as response:
                for line in response.iter_lines():
                    if line.startswith(": ok"):
                        self.ready.set()
                    elif line.startswith("data: "):
                        self.events.put(json.loads(line[6:]))
        except httpx.HTTPError:
            pass  # the server stopped at the end of the test

    def next(self, kind: str, timeout: float = 5.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if event["type"] == kind:
                return event
        raise AssertionError(f"no {kind!r} event")


@pytest.fixture()
def people(app, make_user, lines):  # noqa: F811 - the fixture
    ids = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    petr = make_user("petr", role="subscriber", full_name="Пётр Васильев")
    olga = make_user("olga", role="subscriber", full_name="Ольга Белова")
    db.session.add_all([
        Subscriber(phone="+79161234567", carrier_id=ids["mts"], full_name="Пётр Васильев", tariff="mts_smart",
                   options=[], balance=Decimal("10"), user_id=petr.id, email="petr@example.ru"),
        Subscriber(phone="+79031112233", carrier_id=ids["beeline"], full_name="Ольга Белова",
                   tariff="bee_prosto", options=[], balance=Decimal("0"), user_id=olga.id)])
    make_user("boss", role="manager")
    db.session.commit()
    return {"petr": petr, "olga": olga}


class Browser:
    """One signed-in person's browser: the session cookie and the page's CSRF token."""

    def __init__(self, app, login: str):
        self.client = app.test_client()
        page = self.client.get("/login").get_data(as_text=True)
        self.client.post("/login", data={"login": login, "password": PASSWORD, "csrf_token": csrf_from(page)})
        self.csrf = csrf_from(self.client.get("/").get_data(as_text=True))

    def post(self, url: str, data: dict | None = None):
        return self.client.post(url, json=data or {}, headers={"X-CSRFToken": self.csrf})

    def get(self, url: str):
        return self.client.get(url)


def token_of(page: str) -> str:
    return page.split('data-stream="')[1].split('"')[0].replace("&amp;", "&")


def test_a_subscriber_and_an_operator_chat_live_with_marks(app, people, stream):
    petr, op = Browser(app, "petr"), Browser(app, "op")
    op_events = Listener(token_of(op.get("/chat/console").get_data(as_text=True)))
    assert petr.post("/chat/open").status_code == 302
    chat = db.session.scalar(select(Chat))
    assert chat.status == "queued" and chat.carrier.code == "mts"
    assert op_events.next("queue")["carrier"] == "mts"  # the console learns a chat waits
    petr_events = Listener(token_of(petr.get("/chat/").get_data(as_text=True)))
    first = {"client_id": "c-1", "body": "Не работает роуминг <b>в Турции</b>"}
    sent = petr.post("/chat/mine/messages", first)
    assert sent.status_code == 200 and sent.json["from"] == "subscriber"
    again = petr.post("/chat/mine/messages", first)  # sent again after a dropped connection
    assert again.json["id"] == sent.json["id"]  # stored once
    state = op.get("/chat/console/state").json
    assert [c["id"] for c in state["waiting"]] == [chat.id]
    assert state["waiting"][0]["preview"] == "Не работает роуминг <b>в Турции</b>"
    taken = op.post(f"/chat/{chat.id}/take")
    assert taken.status_code == 200 and taken.json["status"] == "active"
    assert petr_events.next("chat")["status"] == "active"
    started = time.perf_counter()
    reply = op.post(f"/chat/{chat.id}/messages", {"client_id": "o-1", "body": "Сейчас проверю."})
    event = petr_events.next("message")
    assert event["message"]["body"] == "Сейчас проверю." and event["message"]["author"] == "Тест"
    assert time.perf_counter() - started < 5
    assert petr.post("/chat/mine/read", {"upto": reply.json["id"]}).status_code == 200
    assert op_events.next("read")["upto"] == reply.json["id"]
    petr.post("/chat/mine/typing")
    assert op_events.next("typing")["from"] == "subscriber"
    page = op.get(f"/chat/console?chat={chat.id}").get_data(as_text=True)
    assert "Не работает роуминг &lt;b&gt;в Турции&lt;/b&gt;" in page and "<b>в Турции</b>" not in page
    caught_up = petr.get(f"/chat/mine/messages?after={sent.json['id']}").json["messages"]
    assert [(m["from"], m["body"]) for m in caught_up] == [("system", "Тест на связи."),
                                                          ("operator", "Сейчас проверю.")]
    closed = op.post(f"/chat/{chat.id}/close", {"outcome": "resolved"})
    assert closed.status_code == 200
    assert petr_events.next("chat")["status"] == "closed"
    refused = petr.post("/chat/mine/messages", {"client_id": "c-2", "body": "Ещё вопрос"})
    assert refused.status_code == 400 and "Чат завершён" in refused.json["error"]["message"]


def test_the_line_gate_and_the_limit_per_operator(app, people, make_user):
    make_user("fresh", role="operator", carriers=list(db.session.scalars(select(Carrier))))
    fresh, op = Browser(app, "fresh"), Browser(app, "op")
    Browser(app, "olga").post("/chat/open")
    beeline = db.session.scalar(select(Chat))
    assert fresh.get("/chat/console/state").json["waiting"] == []  # no Beeline certification
    assert fresh.post(f"/chat/{beeline.id}/take").status_code == 404
    assert [c["id"] for c in op.get("/chat/console/state").json["waiting"]] == [beeline.id]  # certified
    app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], chat_limit=2)
    ids = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    for n in range(3):
        user = make_user(f"s{n}", role="subscriber")
        db.session.add(Subscriber(phone=f"+7916000000{n}", carrier_id=ids["mts"], tariff="mts_smart",
                                  options=[], user_id=user.id))
        db.session.commit()
        Browser(app, f"s{n}").post("/chat/open")
    waiting = [c["id"] for c in op.get("/chat/console/state").json["waiting"]][1:]  # after Beeline's
    assert len(waiting) == 3
    assert op.post(f"/chat/{waiting[0]}/take").status_code == 200
    assert op.post(f"/chat/{waiting[1]}/take").status_code == 200
    third = op.post(f"/chat/{waiting[2]}/take")
    assert third.status_code == 400 and "больше одновременно нельзя" in third.json["error"]["message"]
    boss = Browser(app, "boss")
    again = boss.post(f"/chat/{waiting[0]}/take")
    assert again.status_code == 400 and "уже взял другой оператор" in again.json["error"]["message"]


def test_transfer_sign_out_and_a_chat_that_becomes_a_ticket(app, people, make_user):
    anna = make_user("anna", role="operator", full_name="Анна Смирнова",
                     carriers=list(db.session.scalars(select(Carrier))))
    db.session.commit()
    petr, op = Browser(app, "petr"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    petr.post("/chat/mine/messages", {"client_id": "a", "body": "Подключите опцию «МТС Музыка»"})
    op.post(f"/chat/{chat.id}/take")
    uncertified = op.post(f"/chat/{chat.id}/transfer", {"operator": anna.id})
    assert uncertified.status_code == 400
    assert "не допущен(а) к линии МТС" in uncertified.json["error"]["message"]
    mts = db.session.scalar(select(CertificationRule).where(CertificationRule.carrier == "mts"))
    db.session.add(CertificationPass(certification=mts, user_id=anna.id, passed_at=utcnow()))
    db.session.commit()
    assert op.post(f"/chat/{chat.id}/transfer", {"operator": anna.id}).status_code == 200
    db.session.expire_all()
    assert db.session.get(Chat, chat.id).operator_id == anna.id
    assert op.get(f"/chat/{chat.id}/messages").status_code == 404  # no longer theirs
    anna_browser = Browser(app, "anna")
    anna_browser.post("/logout")
    db.session.expire_all()
    back = db.session.get(Chat, chat.id)
    assert back.status == "queued" and back.operator_id is None
    assert "Оператор отключился" in petr.get("/chat/mine/messages").get_data(as_text=True)
    op.post(f"/chat/{chat.id}/take")
    done = op.post(f"/chat/{chat.id}/close", {"outcome": "ticket"})
    assert done.status_code == 200 and done.json["ticket"]
    ticket = db.session.scalar(select(Ticket))
    assert ticket.channel == "chat" and ticket.subject == "Подключите опцию «МТС Музыка»"
    assert "Абонент: Подключите опцию «МТС Музыка»" in ticket.body
    assert op.post(f"/chat/{chat.id}/close", {"outcome": "ticket"}).status_code == 200  # twice: one ticket
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_no_operator_free_the_subscriber_leaves_the_question_as_a_ticket(app, people):
    petr = Browser(app, "petr")
    petr.post("/chat/open")
    page = petr.get("/chat/").get_data(as_text=True)
    assert "Вы в очереди" in page and "оставить вопрос заявкой" in page
    empty = petr.post("/chat/mine/ticket")
    assert empty.status_code == 400 and "Напишите в чат, о чём вопрос" in empty.json["error"]["message"]
    petr.post("/chat/mine/messages", {"client_id": "q", "body": "Почему списали 300 ₽?"})
    left = petr.post("/chat/mine/ticket")
    assert left.status_code == 200
    ticket = db.session.scalar(select(Ticket).where(Ticket.number == left.json["ticket"]))
    assert ticket.channel == "chat" and ticket.subscriber.phone == "+79161234567"
    assert db.session.scalar(select(Chat)).outcome == "ticket"


def test_bad_messages_and_other_peoples_chats(app, people, make_user):
    petr, olga, op = Browser(app, "petr"), Browser(app, "olga"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    huge = petr.post("/chat/mine/messages", {"client_id": "big", "body": "я" * 100_000})
    assert huge.status_code == 400 and "длиннее 4000 знаков" in huge.json["error"]["message"]
    for body in ({"client_id": "", "body": "без id"}, {"client_id": "x" * 65, "body": "длинный id"},
                 {"client_id": "system:take:1", "body": "подделка"}, {"client_id": "e", "body": "  \u200b "}):
        assert petr.post("/chat/mine/messages", body).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ChatMessage)) == 0
    assert olga.get("/chat/mine/messages").status_code == 404  # she has no chat; his is not hers
    assert olga.post("/chat/mine/messages", {"client_id": "o", "body": "чужой"}).status_code == 404
    assert olga.get(f"/chat/{chat.id}/messages").status_code == 403  # the operators' side
    assert op.get(f"/chat/{chat.id}/messages").status_code == 200  # waiting on a line he may take
    stranger = make_user("stranger", role="operator")  # no lines at all
    db.session.commit()
    assert Browser(app, "stranger").get(f"/chat/{chat.id}/messages").status_code == 404
    assert stranger is not None
    assert op.post(f"/chat/{chat.id}/messages", {"client_id": "z", "body": "до взятия"}).status_code == 400


def test_the_stream_server_refuses_forged_tokens_and_unsigned_events(app, stream):
    assert httpx.get(f"{stream}/stream?token=forged", timeout=5).status_code == 403
    body = json.dumps([{"channels": ["u1"], "event": {"type": "message"}}]).encode()
    unsigned = httpx.post(f"{stream}/internal/publish", content=body,
                          headers={"X-Ulybka-Signature": "0" * 64})
    assert unsigned.status_code == 403
    with app.test_request_context():
        url = f"{stream}/stream?token={bus.stream_token(['u1'])}"
    listener = Listener(url)
    signed = httpx.post(f"{stream}/internal/publish", content=body,
                        headers={"X-Ulybka-Signature": bus.signature(app.config["SECRET_KEY"], body)})
    assert signed.status_code == 202 and listener.next("message") == {"type": "message"}
    assert httpx.get(f"{stream}/health", timeout=5).json()["connections"] == 1


def test_events_go_through_redis_to_every_stream_server(app):
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    ports = [free_port(), free_port()]
    servers = [start_stream_server(app.config["ULYBKA"], port, REDIS_URL=url) for port in ports]
    try:
        with app.test_request_context():
            token = bus.stream_token(["u7"])
        listeners = [Listener(f"http://127.0.0.1:{port}/stream?token={token}") for port in ports]
        time.sleep(0.5)  # both have subscribed to Redis
        app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], redis_url=url)
        with app.app_context():
            bus.publish(["u7"], {"type": "typing", "chat": 1}, now=True)
        assert [listener.next("typing")["chat"] for listener in listeners] == [1, 1]
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=10)


def test_a_finished_chat_is_judged_as_writing_graded_rated_and_earns_points(app, people, make_user):
    from app.models import CallEvaluation, PointEvent, Rating
    from tests.web.test_mail_intake import run_jobs

    make_user("qa", role="qa_listener")
    petr, op = Browser(app, "petr"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    petr.post("/chat/mine/messages", {"client_id": "1", "body": "Здравствуйте, не работает роуминг в Турции"})
    op.post(f"/chat/{chat.id}/take")
    for client_id, body in (("2", "Здравствуйте, Пётр! Компания мтСЕТЬ, меня зовут Тест. Сейчас проверю."),
                            ("3", "Я подключил опцию «Роуминг», она заработает через пять минут. Спасибо за "
                                  "обращение, всего доброго, до свидания!")):
        op.post(f"/chat/{chat.id}/messages", {"client_id": client_id, "body": body})
    early = petr.client.post("/chat/mine/rating", data={"stars": "5", "csrf_token": petr.csrf},
                             follow_redirects=True).get_data(as_text=True)
    assert "Оценить можно завершённый чат" in early
    op.post(f"/chat/{chat.id}/close", {"outcome": "resolved"})
    run_jobs()
    db.session.expire_all()
    contact = db.session.get(Chat, chat.id).call
    assert (contact.source, contact.operator.login) == ("chat", "op")
    assert contact.subscriber_number == "+79161234567"
    evaluation = db.session.scalar(select(CallEvaluation).where(CallEvaluation.call_id == contact.id))
    assert evaluation.scorecard.name == "Стандарт переписки"
    verdicts = {k: v["verdict"] for k, v in evaluation.verdicts.items()}
    assert verdicts["no_interruption"] is None and verdicts["hold_etiquette"] is None
    assert [verdicts[k] for k in ("greeting", "reply_time", "addressed_by_name")] == [True, True, True]
    assert verdicts["forbidden_words"] is True  # «сейчас» is not the slang «щас»
    qa = Browser(app, "qa")
    page = qa.get(f"/qa/calls/{contact.id}").get_data(as_text=True)
    assert "Это переписка в чате" in page and "Скорость ответа" in page and "<audio" not in page
    rated = petr.client.post("/chat/mine/rating", data={"stars": "5", "csrf_token": petr.csrf},
                             follow_redirects=True)
    assert "Спасибо за оценку!" in rated.get_data(as_text=True)
    again = petr.client.post("/chat/mine/rating", data={"stars": "1", "csrf_token": petr.csrf},
                             follow_redirects=True)
    assert "уже оценён" in again.get_data(as_text=True)
    assert [(r.stars, r.source) for r in db.session.scalars(select(Rating))] == [(5, "chat")]
    run_jobs()
    earned = db.session.scalars(select(PointEvent).where(PointEvent.operator_id == contact.operator_id)).all()
    assert ("call", str(contact.id)) in {(e.source_kind, e.source_id) for e in earned}  # scored as a contact
    assert [(e.rule_key, e.points) for e in earned if e.source_kind == "rating"] == [("five_stars", 5)]


def test_files_in_a_chat_are_checked_kept_scoped_and_go_with_its_ticket(app, people):
    import io

    petr, olga, op = Browser(app, "petr"), Browser(app, "olga"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32

    def upload(browser, url, name, kind, data, client_id):
        return browser.client.post(url, data={"client_id": client_id, "file": (io.BytesIO(data), name, kind)},
                                   headers={"X-CSRFToken": browser.csrf}, content_type="multipart/form-data")

    bad = upload(petr, "/chat/mine/files", "virus.exe", "application/x-msdownload", b"MZ\x90", "f0")
    assert bad.status_code == 400 and "принимаем PDF, JPEG, PNG" in bad.json["error"]["message"]
    lying = upload(petr, "/chat/mine/files", "фото.png", "image/png", b"<html>", "f1")
    assert lying.status_code == 400 and "повреждён или это не PNG" in lying.json["error"]["message"]
    sent = upload(petr, "/chat/mine/files", "чек.png", "image/png", png, "f2")
    assert sent.status_code == 200 and sent.json["file"] == {"name": "чек.png", "size": len(png)}
    assert upload(petr, "/chat/mine/files", "чек.png", "image/png", png, "f2").json["id"] == sent.json["id"]
    got = petr.get(f"/chat/mine/files/{sent.json['id']}")
    assert got.status_code == 200 and got.data == png
    got.close()
    assert olga.get(f"/chat/mine/files/{sent.json['id']}").status_code == 404  # she has no chat of hers
    shown = op.get(f"/chat/{chat.id}/files/{sent.json['id']}")
    assert shown.status_code == 200  # a waiting chat of his line
    shown.close()
    op.post(f"/chat/{chat.id}/take")
    op.post(f"/chat/{chat.id}/close", {"outcome": "ticket"})
    ticket = db.session.scalar(select(Ticket))
    assert [a.filename for a in ticket_files(ticket)] == ["чек.png"]


def ticket_files(ticket):
    from app.models import TicketAttachment

    return db.session.scalars(select(TicketAttachment).where(TicketAttachment.ticket_id == ticket.id)).all()


def test_a_chat_joins_an_open_ticket_of_its_subscriber_only(app, people):
    from app.tickets import operations as ticket_ops

    mine = ticket_ops.create_ticket(channel="phone", type="balance", subject="Списание 300 ₽",
                                    subscriber=db.session.scalar(select(Subscriber).where(
                                        Subscriber.phone == "+79161234567")))
    theirs = ticket_ops.create_ticket(channel="phone", type="balance", subject="Чужое",
                                      subscriber=db.session.scalar(select(Subscriber).where(
                                          Subscriber.phone == "+79031112233")))
    db.session.commit()
    petr, op = Browser(app, "petr"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    petr.post("/chat/mine/messages", {"client_id": "1", "body": "Так что со списанием?"})
    op.post(f"/chat/{chat.id}/take")
    assert f"#{mine.number} Списание 300 ₽" in op.get(f"/chat/console?chat={chat.id}").get_data(as_text=True)
    refused = op.post(f"/chat/{chat.id}/close", {"outcome": "ticket", "ticket": theirs.number})
    assert refused.status_code == 400
    assert "открытому обращению этого абонента" in refused.json["error"]["message"]
    joined = op.post(f"/chat/{chat.id}/close", {"outcome": "ticket", "ticket": mine.number})
    assert joined.json["ticket"] == mine.number
    db.session.expire_all()
    note = db.session.get(Ticket, mine.id).comments[-1]
    assert note.public is False and "Абонент: Так что со списанием?" in note.body
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == 2  # no new ticket


def test_the_demo_has_a_good_chat_and_a_slow_one_judged_as_writing(demo_centre):
    from app.models import CallEvaluation
    from tests.web.test_mail_intake import run_jobs

    run_jobs()
    chats = db.session.scalars(select(Chat).order_by(Chat.id)).all()
    assert [c.subscriber.phone for c in chats] == ["+79161234567", "+79267654321"]
    verdicts = []
    for chat in chats:
        evaluation = db.session.scalar(select(CallEvaluation).where(CallEvaluation.call_id == chat.call_id))
        verdicts.append({k: evaluation.verdicts[k]["verdict"]
                         for k in ("reply_time", "no_wall_of_text", "closing")})
    assert verdicts == [{"reply_time": True, "no_wall_of_text": True, "closing": True},
                        {"reply_time": False, "no_wall_of_text": False, "closing": False}]


def test_what_the_probe_found_is_refused_clearly(app, people, make_user):
    """A client id is its sender's; text that cannot be stored, numbers out of range and lists are
    refused with a reason (they were 500s); the operator who loses a take is told so."""
    import io

    petr, op = Browser(app, "petr"), Browser(app, "op")
    petr.post("/chat/open")
    chat = db.session.scalar(select(Chat))
    op.post(f"/chat/{chat.id}/take")
    reply = op.post(f"/chat/{chat.id}/messages", {"client_id": "op-1", "body": "Ваш тариф в порядке"})
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(16)), "x.png", "image/png")
    forged = petr.client.post("/chat/mine/files", data={"client_id": "op-1", "file": png},
                              headers={"X-CSRFToken": petr.csrf}, content_type="multipart/form-data")
    assert forged.status_code == 400 and "идентификатором уже есть" in forged.json["error"]["message"]
    stolen = petr.post("/chat/mine/messages", {"client_id": "op-1", "body": "подмена"})
    assert stolen.status_code == 400
    db.session.expire_all()
    assert db.session.get(ChatMessage, reply.json["id"]).file_path is None
    for body in (b'{"client_id": "s1", "body": "x\\ud800y"}', b'{"client_id": "s2", "body": ["a"]}',
                 b'{"client_id": {"a": 1}, "body": "hi"}'):
        answer = petr.client.post("/chat/mine/messages", data=body, content_type="application/json",
                                  headers={"X-CSRFToken": petr.csrf})
        assert answer.status_code == 400, body
    assert petr.client.post("/chat/mine/read", data=b'{"upto": 1e999}', content_type="application/json",
                            headers={"X-CSRFToken": petr.csrf}).status_code == 400
    assert petr.get("/chat/mine/files/99999999999999999999").status_code == 404
    assert op.post(f"/chat/{chat.id}/close", {"outcome": ["resolved"]}).status_code == 400
    assert op.post(f"/chat/{chat.id}/close", {"outcome": "no_operator"}).status_code == 400
    assert op.post(f"/chat/{chat.id}/close", {"outcome": "ticket", "ticket": "abc"}).status_code == 400
    make_user("boss2", role="manager")
    late = Browser(app, "boss2").post(f"/chat/{chat.id}/take")
    assert late.status_code == 400 and late.json["error"]["message"] == "Этот чат уже взял другой оператор."


def test_signing_out_ends_the_stream_and_its_token(app, people, stream):
    petr = Browser(app, "petr")
    url = token_of(petr.get("/chat/").get_data(as_text=True))
    listener = Listener(url)
    petr.post("/logout")
    listener.thread.join(5)
    assert not listener.thread.is_alive()  # the stream ended
    assert httpx.get(url, timeout=5).status_code == 403  # and its token is no longer good
    assert petr.get("/chat/stream-token").status_code == 302  # no new one without signing in
    petr = Browser(app, "petr")
    fresh = petr.get("/chat/stream-token").json["stream"]
    time.sleep(1.1)  # tokens carry whole seconds
    fresh = petr.get("/chat/stream-token").json["stream"]
    assert Listener(fresh).ready.is_set()


def test_ready_answers_are_whole_sentences_of_the_article(app, people):
    from datetime import date

    from app.kb.operations import save_article

    text = ("Роуминг подключается сам при выезде за границу. " * 3 + "Пакет «Мир» даёт 2 ГБ на 7 дней. " * 20)
    save_article(None, title="Роуминг МТС", carrier="mts", topic="tariffs", body_md=text, tags=[],
                 effective_from=date.today(), author=None)
    db.session.commit()
    items = Browser(app, "op").get("/chat/canned?q=роуминг&carrier=mts").json["items"]
    assert [i["title"] for i in items] == ["Роуминг МТС"]
    answer = items[0]["text"]
    assert answer.startswith("Роуминг подключается сам") and answer.endswith(".") and len(answer) <= 400

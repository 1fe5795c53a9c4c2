"""The ticket queue page at 100,000 tickets, and the e-mail intake rate.

Builds a throwaway data dir (SQLite by default; ``--database-url postgresql+psycopg://...`` for an
existing empty PostgreSQL database), runs the migrations, inserts the subscriber base and
``--tickets`` tickets in bulk (every status, type, carrier, SLA state and assignee, spread over a
year), then:

* times ``GET /tickets/`` as a signed-in operator through the WSGI app (the page as a browser gets
  it: the query, the paging count, the comment counts, the template) for the default queue and
  the filters people use (a status, a type, a carrier, overdue, «мои», a ticket number), and
  prints p50 and p95 of each;
* sends ``--mails`` messages in windows-1251 over real SMTP to ``ulybka smtpd``'s handler on
  loopback and has the worker turn them into tickets, and prints messages per second for the
  SMTP side (accepted and queued) and for the worker side (parsed and filed).

    .venv/bin/python bench/tickets.py [--tickets 100000] [--repeat 30] [--mails 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import smtplib
import socket
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.mime.text import MIMEText
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def fill(count: int) -> str:
    from sqlalchemy import insert, select, text

    import carriers
    from app.extensions import db
    from app.models import Carrier, Subscriber, Ticket, TicketComment
    from app.users import create_user
    from carriers.sandbox import seed_line

    rng = random.Random(2026)
    lines = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
    workers = [create_user(f"op{n:02d}", f"Оператор {n}", "operator", "bench-password-1") for n in range(40)]
    db.session.commit()
    login = workers[0].login
    worker_ids = [w.id for w in workers]
    phones = [f"+79{rng.randint(100000000, 999999999)}" for _ in range(21000)]
    rows = []
    for phone in dict.fromkeys(phones):
        code = rng.choice(carriers.CODES)
        line = seed_line(code, phone)
        rows.append({"phone": phone, "carrier_id": lines[code], "full_name": "", "tariff": line["tariff"],
                     "options": line["options"], "balance": line["balance"], "status": "active"})
    db.session.execute(insert(Subscriber), rows)
    db.session.commit()
    subscribers = db.session.execute(select(Subscriber.id, Subscriber.carrier_id)).all()
    now = datetime.now(UTC)
    statuses = ["new", "open", "pending_subscriber", "pending_carrier", "resolved", "closed", "rejected"]
    weights = [3, 5, 2, 1, 10, 70, 2]
    types = ["option_on", "option_off", "tariff_change", "device_setup", "balance", "complaint", "other"]
    start = db.session.scalar(select(Ticket.id).order_by(Ticket.id.desc()).limit(1)) or 0
    batch = []
    for n in range(count):
        created = now - timedelta(minutes=rng.randint(1, 365 * 24 * 60))
        status = rng.choices(statuses, weights)[0]
        done = status in ("resolved", "closed", "rejected")
        batch.append({
            "id": start + n + 1, "number": 1000 + start + n + 1,
            "channel": rng.choice(["phone", "email", "web_form"]),
            **dict(zip(("subscriber_id", "carrier_id"), rng.choice(subscribers), strict=True)),
            "type": rng.choice(types), "subject": f"Обращение {n}",
            "body": "", "requested": {}, "status": status, "priority": "normal",
            "assignee_id": rng.choice(worker_ids) if rng.random() < 0.8 else None,
            "policy": "hotline:normal", "sla_state": rng.choice(["met", "breached"]) if done else
            rng.choice(["ok", "ok", "warning", "breached", "paused"]),
            "sla_due": None if done else created + timedelta(hours=rng.randint(1, 48)),
            "sla_warned": "", "created_at": created, "updated_at": created,
            "contact_name": ""})
        if len(batch) == 5000:
            db.session.execute(insert(Ticket), batch)
            batch = []
    if batch:
        db.session.execute(insert(Ticket), batch)
    if db.engine.dialect.name == "postgresql":  # explicit ids: the sequence moves past them
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), "
                                "(SELECT max(id) FROM tickets))"))
    db.session.commit()
    comments = [{"ticket_id": rng.randint(start + 1, start + count), "body": "Ответ", "public": True,
                 "from_subscriber": False, "channel": "web", "created_at": now} for _ in range(count // 2)]
    for k in range(0, len(comments), 5000):
        db.session.execute(insert(TicketComment), comments[k:k + 5000])
    db.session.commit()
    db.session.remove()
    return login


def time_queue(app, login: str, repeat: int) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Ticket

    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"login": login, "password": "bench-password-1", "csrf_token": token})
    with app.app_context():
        number = db.session.scalar(select(Ticket.number).order_by(Ticket.id.desc()).limit(1))
    cases = {"default (open, nearest deadline first)": "/tickets/", "status=new": "/tickets/?status=new",
             "type=tariff_change": "/tickets/?type=tariff_change",
             "carrier=beeline": "/tickets/?carrier=beeline",
             "sla=breached": "/tickets/?sla=breached", "mine": "/tickets/?mine=1",
             "all, page 50": "/tickets/?status=all&page=50", f"#{number}": f"/tickets/?q=%23{number}"}
    print(f"{'GET /tickets/ …':42} {'p50 ms':>8} {'p95 ms':>8}")
    for name, url in cases.items():
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            client.get(url).get_data()
            times.append((time.perf_counter() - t) * 1000)
        print(f"{name:42} {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}")


def time_mail(app, count: int) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.jobs.operations import execute_job
    from app.models import Job
    from app.tickets.smtpd import controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = controller(app, "127.0.0.1", port)
    server.start()
    letters = []
    for n in range(count):
        letter = MIMEText(f"Здравствуйте! Вопрос номер {n}: не работает интернет.".encode("cp1251"), "plain",
                          "windows-1251")
        letter["Subject"] = Header(f"Вопрос {n}", "koi8-r")
        letter["From"], letter["To"] = f"abonent{n}@example.ru", "support@ulybka.local"
        letter["Message-ID"] = f"<bench-{n}@example.ru>"
        letters.append(letter.as_bytes())
    t = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n, raw in enumerate(letters):
            client.sendmail(f"abonent{n}@example.ru", ["support@ulybka.local"], raw)
    smtp_s = time.perf_counter() - t
    server.stop()
    with app.app_context():
        ids = list(db.session.scalars(select(Job.id).where(Job.kind == "tickets.mail_in",
                                                           Job.status == "queued")))
        t = time.perf_counter()
        for job_id in ids:
            execute_job(job_id)
        work_s = time.perf_counter() - t
        db.session.remove()
    print(f"e-mail intake: SMTP accepted and queued {count / smtp_s:.0f} messages/s; "
          f"the worker filed {len(ids) / work_s:.0f} messages/s as tickets ({count} windows-1251 messages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ulybka-bench-tickets-")
    os.environ["ULYBKA_DATA_DIR"] = data_dir
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    from app import create_app
    from app.database import upgrade_database

    app = create_app()
    with app.app_context():
        upgrade_database("heads")
        t = time.perf_counter()
        login = fill(args.tickets)
        print(f"{args.tickets} tickets, 21,000 subscribers in {time.perf_counter() - t:.0f} s "
              f"({app.config['ULYBKA'].database_url.split(':')[0]})")
    time_queue(app, login, args.repeat)
    time_mail(app, args.mails)


if __name__ == "__main__":
    main()

"""Live chat under load: N subscriber–operator pairs chatting at once over the real protocol.

Builds a throwaway data dir, runs the migrations, creates N subscribers and N operators, then
starts the real servers as ``make run`` does — ``ulybka serve`` (the web app, granian WSGI) and
``ulybka chat-server`` (the event streams, granian ASGI) — and drives every pair from one event
loop with httpx, as browsers would: sign in, open the page (its stream token), hold a
Server-Sent Events stream each, the subscriber opens a chat, the operator takes it, and both
write ``--messages`` messages each with a short random pause. A message's delivery time is from
the moment its sender starts the POST to the moment the other side's stream brings it.

Prints JSON: ``chats``, ``messages`` (sent), ``delivered``, ``lost``, ``duplicated``, ``p50_ms``,
``p95_ms``, ``max_ms``, and for each server its OS ``threads`` and ``rss_mb`` at the end of the run
(the chat server also its open streams).

    .venv/bin/python bench/chat.py [--chats 200] [--messages 5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PASSWORD = "bench-password-1"
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"')
STREAM = re.compile(r'data-stream="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def prepare(count: int) -> dict[str, str]:
    """Migrations, then ``count`` subscribers (with accounts) and operators, in bulk; returns each
    login's signed session cookie (400 sign-ins from one address would meet the sign-in throttle,
    and signing in is not what is measured here)."""
    from sqlalchemy import insert, select

    from app import create_app
    from app.auth.passwords import hash_password
    from app.database import upgrade_database
    from app.extensions import db
    from app.models import Carrier, OperatorSkill, Subscriber, User

    app = create_app()
    with app.app_context():
        upgrade_database("heads")
        carriers = dict(db.session.execute(select(Carrier.code, Carrier.id)).all())
        digest = hash_password(PASSWORD)
        people = (("subscriber", "Абонент"), ("operator", "Оператор"))
        users = [{"login": f"{kind[0]}{n}", "full_name": f"{title} {n}", "role": kind,
                  "password_hash": digest} for kind, title in people for n in range(count)]
        db.session.execute(insert(User), users)
        ids = dict(db.session.execute(select(User.login, User.id)).all())
        db.session.execute(insert(OperatorSkill), [{"user_id": ids[f"o{n}"], "carrier_id": carriers["mts"]}
                                                   for n in range(count)])
        db.session.execute(insert(Subscriber), [
            {"phone": f"+7916{n:07d}", "carrier_id": carriers["mts"], "full_name": f"Абонент {n}",
             "tariff": "mts_smart", "options": [], "user_id": ids[f"s{n}"]} for n in range(count)])
        db.session.commit()
        signer = app.session_interface.get_signing_serializer(app)
        cookies = {login: signer.dumps({"_user_id": f"{uid}:1", "_fresh": True})
                   for login, uid in ids.items()}
        db.session.remove()
        db.engine.dispose()
    return cookies


def start(args: list[str], env: dict[str, str], health: str) -> subprocess.Popen:
    log = open(Path(env["ULYBKA_DATA_DIR"]) / f"{args[0]}.log", "wb")  # noqa: SIM115 - the server's life
    proc = subprocess.Popen([sys.executable, "-m", "app", *args], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(health, timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"{' '.join(args)} did not start")


def process_figures(pid: int) -> dict[str, float]:
    """OS threads and resident memory of a process and its children (granian forks its workers)."""
    threads, rss = 0, 0
    pids = [pid, *(int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key == "Threads":
                threads += int(value)
            elif key == "VmRSS":
                rss += int(value.split()[0])
    return {"threads": threads, "rss_mb": round(rss / 1024, 1)}


class Side:
    """One browser: a session, its page's CSRF token and stream, what its stream brought."""

    def __init__(self, web: str, login: str, cookie: str):
        self.web, self.login = web, login
        self.client = httpx.AsyncClient(base_url=web, timeout=httpx.Timeout(60, connect=30))
        self.client.cookies.set("session", cookie, domain="127.0.0.1")  # as the server sets it
        self.seen: dict[int, int] = {}  # message id -> times the stream brought it
        self.arrived: dict[str, float] = {}  # client id -> when it first arrived
        self.opened = asyncio.Event()
        self.broken: Exception | None = None

    async def open_page(self, page: str) -> str:
        response = await self.client.get(page)
        found = STREAM.search(response.text)
        if found is None:
            raise SystemExit(f"{self.login}: {page} answered {response.status_code} at {response.url} "
                             "without a chat stream")
        self.csrf = CSRF.search(response.text).group(1)
        return found.group(1).replace("&amp;", "&")

    async def listen(self, url: str, stream_client: httpx.AsyncClient) -> None:
        try:
            async with stream_client.stream("GET", url) as response:
                async for line in response.aiter_lines():
                    if line.startswith(": ok"):
                        self.opened.set()
                    elif line.startswith("data: "):
                        event = json.loads(line[6:])
                        if event.get("type") == "message":
                            message = event["message"]
                            self.seen[message["id"]] = self.seen.get(message["id"], 0) + 1
                            self.arrived.setdefault(message["client_id"], time.perf_counter())
        except httpx.HTTPError as exc:
            self.broken = exc  # counted: a stream that breaks loses what it would have brought

    async def post(self, url: str, data: dict | None = None) -> dict:
        response = await self.client.post(url, json=data or {}, headers={"X-CSRFToken": self.csrf})
        response.raise_for_status()
        return response.json()


async def pair(n: int, web: str, cookies: dict[str, str], stream_client: httpx.AsyncClient, messages: int,
               sent: list, posts: list, pause: tuple[float, float], ready: asyncio.Barrier,
               measure) -> tuple[Side, Side]:
    rng = random.Random(n)
    subscriber, operator = Side(web, f"s{n}", cookies[f"s{n}"]), Side(web, f"o{n}", cookies[f"o{n}"])
    sub_stream = await subscriber.open_page("/chat/")
    op_stream = await operator.open_page("/chat/console")
    tasks = [asyncio.create_task(subscriber.listen(sub_stream, stream_client)),
             asyncio.create_task(operator.listen(op_stream, stream_client))]
    await asyncio.wait_for(asyncio.gather(subscriber.opened.wait(), operator.opened.wait()), 60)
    opened = await subscriber.client.post("/chat/open", headers={"X-CSRFToken": subscriber.csrf})
    if opened.status_code != 302:
        raise SystemExit(f"{subscriber.login}: opening a chat answered {opened.status_code}")
    chat = (await subscriber.client.get("/chat/mine/messages")).json()["chat"]["id"]
    await operator.post(f"/chat/{chat}/take")
    if await ready.wait() == 0:  # every pair is connected and holds its chat: now they all write
        await measure()
    for k in range(messages):
        for side, url, other in ((subscriber, "/chat/mine/messages", operator),
                                 (operator, f"/chat/{chat}/messages", subscriber)):
            await asyncio.sleep(rng.uniform(*pause))
            client_id = f"{side.login}-{k}"
            started = time.perf_counter()
            await side.post(url, {"client_id": client_id, "body": f"Сообщение {k} от {side.login}"})
            posts.append((time.perf_counter() - started) * 1000)
            sent.append((client_id, started, other))
    await asyncio.sleep(2.0)  # the last deliveries
    for task in tasks:
        task.cancel()
    await subscriber.client.aclose()
    await operator.client.aclose()
    return subscriber, operator


async def drive(count: int, messages: int, pause: tuple[float, float], web: str, cookies: dict[str, str],
                measure) -> dict:
    sent: list = []
    posts: list[float] = []
    ready = asyncio.Barrier(count)
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(timeout=httpx.Timeout(None, connect=30), limits=limits) as stream_client:
        results = await asyncio.gather(*(pair(n, web, cookies, stream_client, messages, sent, posts, pause,
                                              ready, measure) for n in range(count)))
    delays = [(other.arrived[cid] - started) * 1000 for cid, started, other in sent if cid in other.arrived]
    duplicated = sum(times - 1 for sub, op in results for side in (sub, op) for times in side.seen.values())
    broken = sum(1 for sub, op in results for side in (sub, op) if side.broken)
    return {"chats": count, "messages": len(sent), "delivered": len(delays), "lost": len(sent) - len(delays),
            "duplicated": duplicated, "p50_ms": round(percentile(delays, 0.5), 1),
            "p95_ms": round(percentile(delays, 0.95), 1), "max_ms": round(max(delays, default=0.0), 1),
            "streams_broken": broken, "post_p50_ms": round(percentile(posts, 0.5), 1),
            "post_p95_ms": round(percentile(posts, 0.95), 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5, help="messages each side writes")
    parser.add_argument("--pause", type=float, nargs=2, default=(1.0, 5.0), metavar=("MIN", "MAX"),
                        help="seconds each side waits before its next message (default 1 5: a fast typist)")
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ulybka-bench-chat-")
    web_port, chat_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(ULYBKA_DATA_DIR=data_dir, ULYBKA_CHAT_URL=f"http://127.0.0.1:{chat_port}")
    os.environ.update(ULYBKA_DATA_DIR=data_dir, ULYBKA_CHAT_URL=env["ULYBKA_CHAT_URL"])
    cookies = prepare(args.chats)
    web = f"http://127.0.0.1:{web_port}"
    servers = {"web": start(["serve", "--port", str(web_port), "--threads", "8"], env, f"{web}/login"),
               "chat": start(["chat-server", "--port", str(chat_port)], env, f"http://127.0.0.1:{chat_port}/health")}
    loaded: dict = {}

    async def measure() -> None:  # while every browser holds its stream open
        async with httpx.AsyncClient() as client:
            health = (await client.get(f"http://127.0.0.1:{chat_port}/health", timeout=5)).json()
        loaded["chat_server"] = {**process_figures(servers["chat"].pid),
                                 "streams_open": health["connections"]}
        loaded["web_server"] = process_figures(servers["web"].pid)

    try:
        started = time.perf_counter()
        figures = asyncio.run(drive(args.chats, args.messages, tuple(args.pause), web, cookies, measure))
        figures["pause_s"] = list(args.pause)
        figures["seconds"] = round(time.perf_counter() - started, 1)
        figures.update(loaded)
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(timeout=30)
    if not args.json:
        print(f"{args.chats} chats, {figures['messages']} messages: delivered {figures['delivered']}, lost "
              f"{figures['lost']}, duplicated {figures['duplicated']}; delivery p50 {figures['p50_ms']} ms, "
              f"p95 {figures['p95_ms']} ms", file=sys.stderr)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()

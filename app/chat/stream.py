"""The chat stream server (``ulybka chat-server``): an asynchronous ASGI app that holds every
waiting browser as a Server-Sent Events stream on one event loop, with no thread per browser.

``GET /stream?token=T`` streams the events of the channels the signed token names (issued by the
web pages, see :func:`app.chat.bus.stream_token`); ``POST /internal/publish`` (signed with the
server's secret) hands it events on the embedded default; with ``REDIS_URL`` it subscribes to
Redis instead, so any number of these servers can run. ``GET /health`` says how many browsers
are connected, with the process's threads and memory. It touches no database: messages are
stored by the web server, and a browser fetches what it missed from there by message id.
"""

from __future__ import annotations

import asyncio
import json
import logging
import resource
import threading
import time
from collections import defaultdict
from typing import Any
from urllib.parse import parse_qs

from app.chat.bus import CLOSE, REDIS_CHANNEL, TOKEN_AGE, read_token, signature
from app.config import load_settings

log = logging.getLogger("ulybka.chat")
HEARTBEAT_S = 15.0
MAX_PUBLISH_BYTES = 1_000_000
QUEUE_SIZE = 1000  # events a slow browser may lag behind before it is dropped (it reconnects)


class Hub:
    """Channel → the queues of the browsers listening to it, on one event loop."""

    def __init__(self) -> None:
        self.listeners: dict[str, set[asyncio.Queue]] = defaultdict(set)
        self.revoked: dict[str, float] = {}  # channel -> when its person signed out
        self.connections = 0
        self.relayed = 0

    def refuses(self, channels: list[str], issued: float) -> bool:
        """A token issued before its person signed out is no longer good."""
        now = time.time()
        for channel, moment in list(self.revoked.items()):
            if now - moment > TOKEN_AGE:
                del self.revoked[channel]  # every token of before has expired anyway
        return any(self.revoked.get(c, float("-inf")) >= issued for c in channels)

    def add(self, channels: list[str]) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        for channel in channels:
            self.listeners[channel].add(queue)
        self.connections += 1
        return queue

    def remove(self, channels: list[str], queue: asyncio.Queue) -> None:
        for channel in channels:
            self.listeners[channel].discard(queue)
            if not self.listeners[channel]:
                del self.listeners[channel]
        self.connections -= 1

    def publish(self, items: list[dict[str, Any]]) -> None:
        for item in items:
            channels, payload = item.get("channels"), item.get("event")
            if not isinstance(channels, list) or not isinstance(payload, dict):
                continue
            targets = set().union(*(self.listeners.get(str(c), set()) for c in channels))
            if payload.get("type") == CLOSE:  # a sign-out: end these streams, refuse older tokens
                for channel in channels:
                    self.revoked[str(channel)] = time.time()
                data = None
            else:
                data = json.dumps(payload, ensure_ascii=False)
            for queue in targets:
                try:
                    queue.put_nowait(data)
                except asyncio.QueueFull:
                    pass  # a browser this far behind catches up by message id from the web server
            self.relayed += len(targets)


class StreamApp:
    """The ASGI callable granian serves."""

    def __init__(self) -> None:
        self.hub = Hub()
        self.settings = None
        self._redis_task: asyncio.Task | None = None

    def _setup(self) -> None:
        if self.settings is None:
            self.settings = load_settings()
            log.info("chat stream server: %s", "Redis pub/sub" if self.settings.redis_url else "in-process")
        if self.settings.redis_url and self._redis_task is None:
            self._redis_task = asyncio.get_running_loop().create_task(self._follow_redis())

    async def _follow_redis(self) -> None:
        import redis.asyncio as aioredis

        while True:
            try:
                client = aioredis.Redis.from_url(self.settings.redis_url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(REDIS_CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._relay(message["data"])
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - Redis restarted: follow it again
                log.warning("chat stream server lost Redis (%s); retrying", exc)
                await asyncio.sleep(1)

    def _relay(self, body: bytes) -> None:
        try:
            items = json.loads(body)
        except ValueError:
            return
        if isinstance(items, list):
            self.hub.publish(items)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if scope["type"] != "http":
            return
        self._setup()
        path, method = scope["path"], scope["method"]
        if path == "/stream" and method == "GET":
            await self._stream(scope, receive, send)
        elif path == "/internal/publish" and method == "POST":
            await self._publish(scope, receive, send)
        elif path == "/health" and method == "GET":
            await _json(send, 200, {"connections": self.hub.connections, "relayed": self.hub.relayed,
                                    **_process()})
        else:
            await _json(send, 404, {"error": {"code": "not_found", "message": "GET /stream?token=…"}})

    async def _publish(self, scope, receive, send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > MAX_PUBLISH_BYTES:
                await _json(send, 413, {"error": {"code": "too_large", "message": "events too large"}})
                return
            if not message.get("more_body"):
                break
        given = dict(scope["headers"]).get(b"x-ulybka-signature", b"").decode()
        if given != signature(self.settings.secret_key, body):
            await _json(send, 403, {"error": {"code": "bad_signature",
                                              "message": "not signed by the web server"}})
            return
        self._relay(body)
        await _json(send, 202, {"ok": True})

    async def _stream(self, scope, receive, send) -> None:
        query = parse_qs(scope.get("query_string", b"").decode())
        found = read_token(self.settings.secret_key, (query.get("token") or [""])[0])
        channels = found[0] if found and not self.hub.refuses(*found) else None
        if not channels:
            await _json(send, 403, {"error": {"code": "bad_token",
                                              "message": "a fresh page gives a new token"}})
            return
        queue = self.hub.add(channels)
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", b"text/event-stream; charset=utf-8"), (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"), (b"access-control-allow-origin", b"*")]})
        gone = asyncio.get_running_loop().create_task(_disconnected(receive))
        try:
            await send({"type": "http.response.body", "body": b"retry: 2000\n: ok\n\n", "more_body": True})
            getter = None
            while not gone.done():
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait({getter, gone}, timeout=HEARTBEAT_S,
                                             return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    items = [getter.result()]
                    while not queue.empty():  # what came meanwhile goes in the same write
                        items.append(queue.get_nowait())
                    chunk = "".join(f"data: {item}\n\n" for item in items if item is not None)
                    if chunk:
                        await send({"type": "http.response.body", "body": chunk.encode(), "more_body": True})
                    if None in items:
                        break  # signed out
                else:
                    getter.cancel()
                    if not gone.done():
                        await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
            if getter is not None:
                getter.cancel()
            if not gone.done():
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (OSError, RuntimeError):
            pass  # the browser went away mid-write
        finally:
            gone.cancel()
            self.hub.remove(channels, queue)


def _process() -> dict[str, int]:
    """This process's OS threads (granian's own included) and memory, from /proc where there is one."""
    found = {"threads": threading.active_count(),
             "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    try:
        with open("/proc/self/status") as status:
            for line in status:
                key, _, value = line.partition(":")
                if key == "Threads":
                    found["threads"] = int(value)
                elif key == "VmRSS":
                    found["rss_kb"] = int(value.split()[0])
    except OSError:
        pass
    return found


async def _disconnected(receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _json(send, status: int, data: dict[str, Any]) -> None:
    body = json.dumps(data, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"access-control-allow-origin", b"*")]})
    await send({"type": "http.response.body", "body": body})


app = StreamApp()

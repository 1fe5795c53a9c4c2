"""The carrier sandbox: the three back-office protocols on loopback, with state per subscriber,
for the demo and the tests (``ulybka carrier-sandbox``).

* **MTS** — JSON REST with OAuth2 client-credentials tokens; orders take an ``Idempotency-Key``
  (the same key returns the same order) and are polled by ``orderId``.
* **Beeline** — a static ``X-Api-Token``; an asynchronous ``requestId`` polled until final, and
  a ``clientRequestId`` the client can search by.
* **MegaFon** — a form POST answered in XML, login and password in every request; no client key
  and, when a request times out, no reference at all: the only way to know is to read the line.

State: a number seen for the first time starts with :func:`seed_line` (a deterministic tariff and
options from the carrier's catalogue, so the demo's subscriber base agrees with the sandbox).
An accepted operation changes the line at once; its status reads "in progress" for
``settle_s`` seconds, then final.

Failures on demand: ``latency_ms`` on every answer; ``fail_rate`` answers at random with a 503
or with garbage; ``fail_first`` makes the first K submissions apply and then hang past the
client's timeout (the hard case for idempotency); a request header ``X-Sandbox-Fail:
timeout|garbage|error`` does one of those to that request. ``GET /_sandbox/operations?phone=P``
lists, as JSON, the operations applied to a number.

Catalogue: each carrier lists :data:`carriers.plans.OFFERS` until ``PUT /_sandbox/catalogue/<carrier>``
replaces it (the same JSON as ``GET``: ``{"tariffs": [{code, name, fee}], "options": [...]}``), so a
demo or a test can make a carrier raise a fee or launch an option and watch the sync find it.
"""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from .errors import CarrierUnavailable
from .plans import Offer, offer, offer_to_json, parse_offer

MTS_CLIENT = ("ulybka", "sandbox-secret")
BEELINE_TOKEN = "sandbox-token"
MEGAFON_LOGIN = ("ulybka", "sandbox-password")


def seed_line(carrier: str, phone: str) -> dict[str, Any]:
    """The state a number starts with in the sandbox (deterministic: the same for everyone)."""
    digest = hashlib.sha256(f"{carrier}:{phone}".encode()).digest()
    plans = offer(carrier)
    tariff = plans.tariffs[digest[0] % len(plans.tariffs)].code if plans.tariffs else ""
    options = [o.code for n, o in enumerate(plans.options) if digest[1 + n] % 3 == 0]
    balance = round((int.from_bytes(digest[8:10], "big") % 3000) - 200 + digest[10] / 100, 2)
    return {"carrier": carrier, "tariff": tariff, "options": options, "balance": balance, "status": "active"}


@dataclass
class Order:
    reference: str
    carrier: str
    phone: str
    kind: str
    code: str
    key: str | None
    at: float
    state: str = "accepted"  # accepted → done, or rejected
    reason: str = ""


@dataclass
class World:
    """Everything the sandbox knows, behind one lock."""

    settle_s: float = 0.3
    lines: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    offers: dict[str, Offer] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def offer(self, carrier: str) -> Offer:
        """What the carrier lists now: the catalogue put last, else the built-in one."""
        return self.offers.get(carrier) or offer(carrier)

    def line(self, carrier: str, phone: str) -> dict[str, Any]:
        return self.lines.setdefault((carrier, phone), seed_line(carrier, phone))

    def apply(self, carrier: str, phone: str, kind: str, code: str, key: str | None) -> Order:
        with self.lock:
            if key:
                for order in self.orders.values():
                    if order.key == key and order.carrier == carrier:
                        return order
            line = self.line(carrier, phone)
            plans = self.offer(carrier)
            order = Order(uuid.uuid4().hex[:12], carrier, phone, kind, code, key, time.monotonic())
            known = plans.tariff(code) if kind == "change_tariff" else plans.option(code)
            if line["status"] != "active":
                order.state, order.reason = "rejected", "number is blocked"
            elif known is None:
                what = "tariff" if kind == "change_tariff" else "option"
                order.state, order.reason = "rejected", f"unknown {what}"
            elif kind == "change_tariff":
                line["tariff"] = code
            elif kind == "enable_option":
                if code not in line["options"]:
                    line["options"].append(code)
            else:
                if code in line["options"]:
                    line["options"].remove(code)
            self.orders[order.reference] = order
            return order

    def state_of(self, order: Order) -> str:
        """``in_progress`` for ``settle_s`` after a successful order, then ``done``."""
        if order.state == "rejected":
            return "rejected"
        return "done" if time.monotonic() - order.at >= self.settle_s else "in_progress"

    def applied(self, phone: str) -> list[dict[str, Any]]:
        with self.lock:
            return [{"carrier": o.carrier, "kind": o.kind, "code": o.code, "reference": o.reference,
                     "key": o.key, "state": self.state_of(o)}
                    for o in self.orders.values() if o.phone == phone and o.state != "rejected"]


@dataclass
class Faults:
    latency_ms: int = 0
    fail_rate: float = 0.0
    fail_first: int = 0
    hang_s: float = 10.0
    submissions: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(7))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_submission_hangs(self) -> bool:
        with self.lock:
            self.submissions += 1
            return self.submissions <= self.fail_first


KIND_MTS = {"CHANGE_TARIFF": "change_tariff", "ADD_SERVICE": "enable_option",
            "REMOVE_SERVICE": "disable_option"}
KIND_BEELINE = {"pricePlanChange": "change_tariff", "productActivate": "enable_option",
                "productDeactivate": "disable_option"}
KIND_MEGAFON = {"change_tariff": "change_tariff", "add_option": "enable_option",
                "remove_option": "disable_option"}
STATE_MTS = {"in_progress": "IN_PROGRESS", "done": "COMPLETED", "rejected": "REJECTED"}
STATE_BEELINE = {"in_progress": "IN_PROGRESS", "done": "SUCCESS", "rejected": "ERROR"}
STATE_MEGAFON = {"in_progress": "processing", "done": "done", "rejected": "rejected"}


class Handler(BaseHTTPRequestHandler):
    server_version = "CarrierSandbox/1"
    world: World
    faults: Faults

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and the demo read the state
        return

    # --- plumbing ---------------------------------------------------------------------------

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        self._send(status, json.dumps(data, ensure_ascii=False).encode())

    def _xml(self, status: int, **fields: Any) -> None:
        inner = "".join(f"<{k}>{v if k == 'subscriber' or k == 'catalog' else escape(str(v))}</{k}>"
                        for k, v in fields.items() if v is not None)
        self._send(status, f'<?xml version="1.0" encoding="UTF-8"?><response>{inner}</response>'.encode(),
                   "application/xml; charset=utf-8")

    def _fault(self, submission: bool = False) -> bool:
        """Apply latency and faults; True when the request was answered (or dropped) by a fault."""
        faults = self.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        forced = self.headers.get("X-Sandbox-Fail", "")
        if not forced and faults.fail_rate and faults.rng.random() < faults.fail_rate:
            forced = faults.rng.choice(["error", "garbage"])
        if forced == "error":
            self._send(503, b'{"error": "service temporarily unavailable"}')
            return True
        if forced == "garbage":
            self._send(200, b"<html>\x00\xff maintenance", "text/html")
            return True
        return forced == "timeout" and not submission and self._hang()

    def _hang(self) -> bool:
        time.sleep(self.faults.hang_s)
        self.close_connection = True
        return True

    def _submitted(self, order: Order) -> bool:
        """After a submission was applied: hang instead of answering, for the first K (fail-first)
        or when the request asked for a timeout."""
        if self.headers.get("X-Sandbox-Fail") == "timeout" or self.faults.next_submission_hangs():
            return self._hang()
        return False

    # --- routes -----------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/_sandbox/operations":
            self._json(200, self.world.applied(query.get("phone", "")))
            return
        if url.path.startswith("/_sandbox/catalogue/"):
            self._json(200, offer_to_json(self.world.offer(url.path.rsplit("/", 1)[1])))
            return
        if self._fault():
            return
        parts = url.path.strip("/").split("/")
        if parts[0] == "mts":
            self._mts_get(parts, query)
        elif parts[0] == "beeline":
            self._beeline_get(parts, query)
        else:
            self._json(404, {"error": "no such resource"})

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        body = self._body()
        parts = url.path.strip("/").split("/")
        if url.path == "/_sandbox/reset":
            with self.world.lock:
                self.world.lines.clear()
                self.world.orders.clear()
                self.world.offers.clear()
            self._json(200, {"reset": True})
            return
        submission = self._is_submission(parts, body)
        if self._fault(submission):
            return
        if parts[0] == "mts":
            self._mts_post(parts, body)
        elif parts[0] == "beeline":
            self._beeline_post(parts, body)
        elif parts[0] == "megafon":
            self._megafon(body)
        else:
            self._json(404, {"error": "no such resource"})

    def do_PUT(self) -> None:  # noqa: N802
        carrier = urlsplit(self.path).path.removeprefix("/_sandbox/catalogue/")
        if carrier not in ("mts", "beeline", "megafon"):
            self._json(404, {"error": "PUT /_sandbox/catalogue/mts|beeline|megafon only"})
            return
        try:
            new = parse_offer(json.loads(self._body() or b"null"), carrier)
        except (ValueError, CarrierUnavailable) as exc:
            self._json(400, {"error": f"expected {{tariffs: [{{code, name, fee}}], options: [...]}}: {exc}"})
            return
        with self.world.lock:
            self.world.offers[carrier] = new
        self._json(200, offer_to_json(new))

    def _is_submission(self, parts: list[str], body: bytes) -> bool:
        if parts[0] == "megafon":
            action = parse_qs(body.decode("utf-8", "replace")).get("action", [""])[0]
            return action in KIND_MEGAFON
        return parts[-1] in ("orders", "requests")

    # --- MTS --------------------------------------------------------------------------------

    def _mts_authorised(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if token not in self.world.tokens:
            self._json(401, {"error": "invalid_token"})
            return False
        return True

    def _mts_order(self, order: Order) -> dict[str, Any]:
        return {"orderId": order.reference, "state": STATE_MTS[self.world.state_of(order)],
                "reason": order.reason or None}

    def _mts_get(self, parts: list[str], query: dict[str, str]) -> None:
        if not self._mts_authorised():
            return
        if parts[1:3] == ["v1", "subscribers"] and len(parts) == 4:
            line = self.world.line("mts", parts[3])
            self._json(200, {"msisdn": parts[3], "tariff": {"code": line["tariff"]},
                             "services": [{"code": c} for c in line["options"]],
                             "balance": {"amount": line["balance"], "currency": "RUB"},
                             "status": line["status"]})
        elif parts[1:3] == ["v1", "catalogue"]:
            plans = self.world.offer("mts")
            self._json(200, {"tariffs": [vars(t) for t in plans.tariffs],
                             "services": [vars(o) for o in plans.options]})
        elif parts[1:3] == ["v1", "orders"] and len(parts) == 4:
            order = self.world.orders.get(parts[3])
            self._json(200, self._mts_order(order)) if order else self._json(404, {"error": "no such order"})
        elif parts[1:3] == ["v1", "orders"]:
            key = query.get("idempotencyKey")
            found = [self._mts_order(o) for o in self.world.orders.values() if o.key and o.key == key]
            self._json(200, {"items": found})
        else:
            self._json(404, {"error": "no such resource"})

    def _mts_post(self, parts: list[str], body: bytes) -> None:
        if parts[1:3] == ["oauth", "token"]:
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            if (form.get("grant_type"), form.get("client_id"), form.get("client_secret")) != (
                    "client_credentials", *MTS_CLIENT):
                self._json(401, {"error": "invalid_client"})
                return
            token = uuid.uuid4().hex
            self.world.tokens.add(token)
            self._json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})
            return
        if not self._mts_authorised():
            return
        if parts[1:3] == ["v1", "subscribers"] and len(parts) == 5 and parts[4] == "orders":
            try:
                data = json.loads(body or b"{}")
                kind = KIND_MTS[data["action"]]
                code = str(data["code"])
            except (ValueError, KeyError, TypeError):
                self._json(400, {"error": "expected {action: CHANGE_TARIFF|ADD_SERVICE|REMOVE_SERVICE, "
                                          "code}"})
                return
            order = self.world.apply("mts", parts[3], kind, code, self.headers.get("Idempotency-Key"))
            if not self._submitted(order):
                self._json(202, self._mts_order(order))
            return
        self._json(404, {"error": "no such resource"})

    # --- Beeline ----------------------------------------------------------------------------

    def _beeline_authorised(self) -> bool:
        if self.headers.get("X-Api-Token") != BEELINE_TOKEN:
            self._json(403, {"errorCode": "AUTH", "errorText": "bad token"})
            return False
        return True

    def _beeline_request(self, order: Order) -> dict[str, Any]:
        return {"requestId": order.reference, "clientRequestId": order.key,
                "status": STATE_BEELINE[self.world.state_of(order)], "errorText": order.reason or None}

    def _beeline_get(self, parts: list[str], query: dict[str, str]) -> None:
        if not self._beeline_authorised():
            return
        if parts[1:4] == ["api", "v2", "msisdn"] and len(parts) == 6 and parts[5] == "info":
            line = self.world.line("beeline", parts[4])
            self._json(200, {"msisdn": parts[4], "pricePlan": line["tariff"], "products": line["options"],
                             "balance": line["balance"], "state": line["status"].upper()})
        elif parts[1:4] == ["api", "v2", "catalog"]:
            plans = self.world.offer("beeline")
            self._json(200, {"pricePlans": [vars(t) for t in plans.tariffs],
                             "products": [vars(o) for o in plans.options]})
        elif parts[1:4] == ["api", "v2", "requests"] and len(parts) == 5:
            order = self.world.orders.get(parts[4])
            if order is None:
                self._json(404, {"errorText": "unknown"})
            else:
                self._json(200, self._beeline_request(order))
        elif parts[1:4] == ["api", "v2", "requests"]:
            key = query.get("clientRequestId")
            self._json(200, {"requests": [self._beeline_request(o) for o in self.world.orders.values()
                                          if o.key and o.key == key]})
        else:
            self._json(404, {"errorText": "no such resource"})

    def _beeline_post(self, parts: list[str], body: bytes) -> None:
        if not self._beeline_authorised():
            return
        if parts[1:4] == ["api", "v2", "requests"]:
            try:
                data = json.loads(body or b"{}")
                kind = KIND_BEELINE[data["operation"]]
                phone, code = str(data["msisdn"]), str(data["productCode"])
            except (ValueError, KeyError, TypeError):
                self._json(400, {"errorText": "expected {msisdn, operation, productCode, clientRequestId}"})
                return
            order = self.world.apply("beeline", phone, kind, code, data.get("clientRequestId"))
            if not self._submitted(order):
                self._json(200, {"requestId": order.reference})
            return
        self._json(404, {"errorText": "no such resource"})

    # --- MegaFon ----------------------------------------------------------------------------

    def _megafon(self, body: bytes) -> None:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if (form.get("login"), form.get("password")) != MEGAFON_LOGIN:
            self._xml(403, result="ERROR", error="auth failed")
            return
        action, phone = form.get("action", ""), form.get("msisdn", "")
        if action == "info":
            line = self.world.line("megafon", phone)
            options = "".join(f"<option>{escape(c)}</option>" for c in line["options"])
            subscriber = (f"<msisdn>{escape(phone)}</msisdn><tariff>{escape(line['tariff'])}</tariff>"
                          f"<options>{options}</options><balance>{line['balance']:.2f}</balance>"
                          f"<status>{line['status']}</status>")
            self._xml(200, result="OK", subscriber=subscriber)
        elif action == "catalog":
            plans = self.world.offer("megafon")
            items = "".join(f'<tariff code="{t.code}" fee="{t.fee}">{escape(t.name)}</tariff>'
                            for t in plans.tariffs)
            items += "".join(f'<option code="{o.code}" fee="{o.fee}">{escape(o.name)}</option>'
                             for o in plans.options)
            self._xml(200, result="OK", catalog=items)
        elif action in KIND_MEGAFON:
            order = self.world.apply("megafon", phone, KIND_MEGAFON[action], form.get("code", ""), None)
            if not self._submitted(order):
                self._xml(200, result="OK", ticket=order.reference,
                          state=STATE_MEGAFON[self.world.state_of(order)], error=order.reason or None)
        elif action == "status":
            order = self.world.orders.get(form.get("ticket", ""))
            if order is None:
                self._xml(200, result="ERROR", error="unknown ticket")
            else:
                self._xml(200, result="OK", ticket=order.reference,
                          state=STATE_MEGAFON[self.world.state_of(order)], error=order.reason or None)
        else:
            self._xml(400, result="ERROR", error=f"unknown action {action!r}")


class Sandbox:
    """The sandbox server; :meth:`start` runs it in a thread (tests), :meth:`serve` in the foreground."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, fail_first: int = 0, latency_ms: int = 0,
                 fail_rate: float = 0.0, hang_s: float = 10.0, settle_s: float = 0.3) -> None:
        world, faults = World(settle_s=settle_s), Faults(latency_ms, fail_rate, fail_first, hang_s)
        handler = type("BoundHandler", (Handler,), {"world": world, "faults": faults})
        self.world, self.faults = world, faults
        self.server = ThreadingHTTPServer((host, port), handler)
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Sandbox:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve(self) -> None:
        self.server.serve_forever()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

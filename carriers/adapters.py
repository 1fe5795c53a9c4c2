"""The three adapters, each speaking its carrier's protocol (see ``docs/carriers.md``), and the
registry the app picks them from by carrier code.

Every adapter turns a timeout, a refused connection, a 5xx or an answer it cannot read into
:class:`~carriers.protocol.CarrierUnavailable` (retry later) and a refusal into
:class:`~carriers.protocol.CarrierError`. ``transport`` is the httpx test seam
(``httpx.MockTransport``); the real ones talk HTTP.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .plans import Offer, parse_offer
from .protocol import CarrierError, CarrierUnavailable, Line, Operation, Submission
from .sandbox import BEELINE_TOKEN, MEGAFON_LOGIN, MTS_CLIENT

TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Settings:
    """Where a carrier's back-office is and how to sign in (``ULYBKA_CARRIER_<NAME>_*``)."""

    url: str
    user: str = ""
    secret: str = ""
    timeout_s: float = TIMEOUT_S


class _Http:
    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.client = httpx.Client(base_url=settings.url.rstrip("/"), timeout=settings.timeout_s,
                                   transport=transport)

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise CarrierUnavailable(f"{self.code}: no answer in {self.settings.timeout_s:g} s ({path})",
                                     code="carrier_timeout", carrier=self.code) from exc
        except httpx.TransportError as exc:
            raise CarrierUnavailable(f"{self.code}: cannot reach {self.settings.url}: {exc}",
                                     code="carrier_unreachable", carrier=self.code) from exc
        if response.status_code >= 500:
            raise CarrierUnavailable(f"{self.code}: {response.status_code} from {path}",
                                     code="carrier_server_error", carrier=self.code,
                                     status=response.status_code)
        return response

    def json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise CarrierUnavailable(f"{self.code}: an answer that is not JSON", code="carrier_garbage",
                                     carrier=self.code) from None

    def refuse(self, response: httpx.Response, text: str) -> CarrierError:
        return CarrierError(f"{self.code}: {response.status_code} {text}", code="carrier_refused",
                            carrier=self.code, reason=text)

    code = "?"


class MtsAdapter(_Http):
    """MTS: JSON REST, OAuth2 client credentials, ``Idempotency-Key`` on orders."""

    code = "mts"
    takes_idempotency_key = True
    ACTIONS = {"change_tariff": "CHANGE_TARIFF", "enable_option": "ADD_SERVICE",
               "disable_option": "REMOVE_SERVICE"}
    STATES = {"ACCEPTED": "pending", "IN_PROGRESS": "pending", "COMPLETED": "done", "REJECTED": "failed"}

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__(settings, transport)
        self._token: str | None = None
        self._lock = threading.Lock()

    def _auth(self) -> dict[str, str]:
        with self._lock:
            if self._token is None:
                response = self.call("POST", "/mts/oauth/token", data={
                    "grant_type": "client_credentials", "client_id": self.settings.user or MTS_CLIENT[0],
                    "client_secret": self.settings.secret or MTS_CLIENT[1]})
                if response.status_code != 200:
                    raise self.refuse(response, "the client credentials were refused")
                self._token = self.json(response).get("access_token")
                if not self._token:
                    raise CarrierUnavailable("mts: a token answer without a token", code="carrier_garbage",
                                             carrier="mts")
            return {"Authorization": f"Bearer {self._token}"}

    def _authed(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        response = self.call(method, path, headers={**headers, **self._auth()}, **kwargs)
        if response.status_code == 401:  # the token expired: one fresh token, once
            self._token = None
            response = self.call(method, path, headers={**headers, **self._auth()}, **kwargs)
        return response

    def _order(self, data: dict[str, Any]) -> Submission:
        state = self.STATES.get(str(data.get("state")))
        if state is None or not data.get("orderId"):
            raise CarrierUnavailable(f"mts: an order answer it cannot read: {data!r}", code="carrier_garbage",
                                     carrier="mts")
        return Submission(state, str(data["orderId"]), str(data.get("reason") or ""), data)

    def get_line(self, phone: str) -> Line:
        response = self._authed("GET", f"/mts/v1/subscribers/{phone}")
        if response.status_code != 200:
            raise self.refuse(response, "no such subscriber")
        data = self.json(response)
        try:
            return Line(phone, data["tariff"]["code"], tuple(s["code"] for s in data["services"]),
                        float(data["balance"]["amount"]), str(data["status"]))
        except (KeyError, TypeError, ValueError):
            raise CarrierUnavailable("mts: a subscriber answer it cannot read", code="carrier_garbage",
                                     carrier="mts") from None

    def offer(self) -> Offer:
        data = self.json(self._authed("GET", "/mts/v1/catalogue"))
        data = data if isinstance(data, dict) else {}
        return parse_offer({"tariffs": data.get("tariffs"), "options": data.get("services")}, self.code)

    def submit(self, operation: Operation, key: str) -> Submission:
        response = self._authed("POST", f"/mts/v1/subscribers/{operation.phone}/orders",
                                headers={"Idempotency-Key": key},
                                json={"action": self.ACTIONS[operation.kind], "code": operation.code})
        if response.status_code not in (200, 201, 202):
            raise self.refuse(response, str(self.json(response).get("error", "")))
        return self._order(self.json(response))

    def status(self, reference: str) -> Submission:
        response = self._authed("GET", f"/mts/v1/orders/{reference}")
        if response.status_code != 200:
            raise self.refuse(response, "no such order")
        return self._order(self.json(response))

    def find(self, operation: Operation, key: str) -> Submission | None:
        response = self._authed("GET", "/mts/v1/orders", params={"idempotencyKey": key})
        items = self.json(response).get("items", [])
        return self._order(items[0]) if items else None


class BeelineAdapter(_Http):
    """Beeline: token auth, asynchronous ``requestId``, a ``clientRequestId`` to search by."""

    code = "beeline"
    takes_idempotency_key = True
    OPERATIONS = {"change_tariff": "pricePlanChange", "enable_option": "productActivate",
                  "disable_option": "productDeactivate"}
    STATES = {"NEW": "pending", "IN_PROGRESS": "pending", "SUCCESS": "done", "ERROR": "failed"}

    def _headers(self) -> dict[str, str]:
        return {"X-Api-Token": self.settings.secret or BEELINE_TOKEN}

    def _request(self, data: dict[str, Any]) -> Submission:
        state = self.STATES.get(str(data.get("status")))
        if state is None or not data.get("requestId"):
            raise CarrierUnavailable(f"beeline: a request answer it cannot read: {data!r}",
                                     code="carrier_garbage", carrier="beeline")
        return Submission(state, str(data["requestId"]), str(data.get("errorText") or ""), data)

    def get_line(self, phone: str) -> Line:
        response = self.call("GET", f"/beeline/api/v2/msisdn/{phone}/info", headers=self._headers())
        if response.status_code != 200:
            raise self.refuse(response, "no such subscriber")
        data = self.json(response)
        try:
            return Line(phone, str(data["pricePlan"]), tuple(data["products"]), float(data["balance"]),
                        str(data["state"]).lower())
        except (KeyError, TypeError, ValueError):
            raise CarrierUnavailable("beeline: a subscriber answer it cannot read", code="carrier_garbage",
                                     carrier="beeline") from None

    def offer(self) -> Offer:
        data = self.json(self.call("GET", "/beeline/api/v2/catalog", headers=self._headers()))
        data = data if isinstance(data, dict) else {}
        return parse_offer({"tariffs": data.get("pricePlans"), "options": data.get("products")}, self.code)

    def submit(self, operation: Operation, key: str) -> Submission:
        response = self.call("POST", "/beeline/api/v2/requests", headers=self._headers(), json={
            "msisdn": operation.phone, "operation": self.OPERATIONS[operation.kind],
            "productCode": operation.code, "clientRequestId": key})
        if response.status_code != 200:
            raise self.refuse(response, str(self.json(response).get("errorText", "")))
        reference = self.json(response).get("requestId")
        if not reference:
            raise CarrierUnavailable("beeline: a submission answer without requestId", code="carrier_garbage",
                                     carrier="beeline")
        return Submission("pending", str(reference))

    def status(self, reference: str) -> Submission:
        response = self.call("GET", f"/beeline/api/v2/requests/{reference}", headers=self._headers())
        if response.status_code != 200:
            raise self.refuse(response, "no such request")
        return self._request(self.json(response))

    def find(self, operation: Operation, key: str) -> Submission | None:
        data = self.json(self.call("GET", "/beeline/api/v2/requests", headers=self._headers(),
                                   params={"clientRequestId": key}))
        found = data.get("requests") or []
        return self._request(found[0]) if found else None


class MegafonAdapter(_Http):
    """MegaFon: a form POST answered in XML; no client key and no reference on a timeout, so an
    earlier submission is found by reading the line."""

    code = "megafon"
    takes_idempotency_key = False
    ACTIONS = {"change_tariff": "change_tariff", "enable_option": "add_option",
               "disable_option": "remove_option"}
    STATES = {"queued": "pending", "processing": "pending", "done": "done", "rejected": "failed"}

    def _post(self, **form: str) -> ET.Element:
        login = self.settings.user or MEGAFON_LOGIN[0]
        password = self.settings.secret or MEGAFON_LOGIN[1]
        response = self.call("POST", "/megafon/gate.xml", data={"login": login, "password": password, **form})
        try:
            root = ET.fromstring(response.content)
        except ET.ParseError:
            raise CarrierUnavailable("megafon: an answer that is not XML", code="carrier_garbage",
                                     carrier="megafon") from None
        if response.status_code != 200 or root.findtext("result") != "OK":
            raise self.refuse(response, root.findtext("error") or "refused")
        return root

    def _ticket(self, root: ET.Element) -> Submission:
        state = self.STATES.get(root.findtext("state") or "")
        if state is None or not root.findtext("ticket"):
            raise CarrierUnavailable("megafon: a ticket answer it cannot read", code="carrier_garbage",
                                     carrier="megafon")
        return Submission(state, root.findtext("ticket"), root.findtext("error") or "")

    def get_line(self, phone: str) -> Line:
        node = self._post(action="info", msisdn=phone).find("subscriber")
        if node is None:
            raise CarrierUnavailable("megafon: an info answer without a subscriber", code="carrier_garbage",
                                     carrier="megafon")
        try:
            options = tuple(o.text or "" for o in node.iter("option"))
            return Line(phone, node.findtext("tariff") or "", options, float(node.findtext("balance") or 0),
                        node.findtext("status") or "active")
        except ValueError:
            raise CarrierUnavailable("megafon: a balance it cannot read", code="carrier_garbage",
                                     carrier="megafon") from None

    def offer(self) -> Offer:
        root = self._post(action="catalog")

        def plans(tag: str) -> list[dict[str, Any]]:
            return [{"code": e.get("code"), "name": e.text,
                     "fee": int(e.get("fee")) if (e.get("fee") or "").isdigit() else e.get("fee")}
                    for e in root.iter(tag)]

        return parse_offer({"tariffs": plans("tariff"), "options": plans("option")}, self.code)

    def submit(self, operation: Operation, key: str) -> Submission:  # the key cannot be sent
        return self._ticket(self._post(action=self.ACTIONS[operation.kind], msisdn=operation.phone,
                                       code=operation.code))

    def status(self, reference: str) -> Submission:
        return self._ticket(self._post(action="status", ticket=reference))

    def find(self, operation: Operation, key: str) -> Submission | None:
        line = self.get_line(operation.phone)
        return Submission("done", None, "the line already shows it") if operation.done_in(line) else None


ADAPTERS: dict[str, Callable[..., Any]] = {"mts": MtsAdapter, "megafon": MegafonAdapter,
                                           "beeline": BeelineAdapter}


def adapter(code: str, settings: Settings, transport: httpx.BaseTransport | None = None):
    """The adapter of a carrier code (the registry, no if/elif)."""
    try:
        return ADAPTERS[code](settings, transport)
    except KeyError:
        raise CarrierError(f"no adapter for carrier {code!r}", code="no_adapter", carrier=code) from None

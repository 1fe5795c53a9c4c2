"""The carriers' catalogues: read through each protocol, validated, compared, written as an article."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from carriers.adapters import Settings, adapter
from carriers.errors import CarrierUnavailable
from carriers.plans import (
    Change,
    Offer,
    Plan,
    diff_offers,
    offer,
    offer_markdown,
    offer_to_json,
    parse_offer,
)
from carriers.sandbox import Sandbox

BASE = Offer((Plan("t1", "Смарт", 650), Plan("t2", "Мой", 450)),
             (Plan("o1", "Антиспам", 0), Plan("o2", "Музыка", 199)))


@pytest.fixture()
def sandbox():
    box = Sandbox(settle_s=0.05, hang_s=1.0).start()
    yield box
    box.stop()


@pytest.mark.parametrize(("after", "expected"), [
    (BASE, []),
    (Offer((Plan("t1", "Смарт", 700), BASE.tariffs[1]), BASE.options),
     [Change("tariff", "t1", "fee", "Смарт", 650, 700)]),
    (Offer(BASE.tariffs, BASE.options + (Plan("o3", "Роуминг", 490),)),
     [Change("option", "o3", "added", "Роуминг", None, 490)]),
    (Offer(BASE.tariffs[:1], BASE.options),
     [Change("tariff", "t2", "removed", "Мой", 450, None)]),
    (Offer((Plan("t1", "Смарт+", 650), BASE.tariffs[1]), BASE.options),
     [Change("tariff", "t1", "renamed", "Смарт+", "Смарт", "Смарт+")]),
    (Offer(BASE.tariffs, (Plan("o2", "Музыка Плюс", 249),)),
     [Change("option", "o2", "renamed", "Музыка Плюс", "Музыка", "Музыка Плюс"),
      Change("option", "o2", "fee", "Музыка Плюс", 199, 249),
      Change("option", "o1", "removed", "Антиспам", 0, None)]),
])
def test_diff_names_every_change(after, expected):
    assert list(diff_offers(BASE, after)) == expected


@pytest.mark.parametrize(("change", "text"), [
    (Change("tariff", "t1", "fee", "Смарт", 650, 700), "Тариф «Смарт»: абонентская плата 650 → 700 ₽"),
    (Change("option", "o3", "added", "Роуминг", None, 490), "Новая опция «Роуминг» — 490 ₽ в месяц"),
    (Change("tariff", "t3", "added", "Семья", None, 900), "Новый тариф «Семья» — 900 ₽ в месяц"),
    (Change("tariff", "t2", "removed", "Мой", 450, None), "Тариф «Мой» больше не продаётся"),
    (Change("option", "o2", "renamed", "Б", "А", "Б"), "Опция «А» теперь называется «Б»"),
])
def test_changes_read_as_russian(change, text):
    assert change.describe() == text


def test_json_round_trip_and_the_article():
    assert parse_offer(offer_to_json(BASE), "mts") == BASE
    text = offer_markdown("МТС", BASE)
    assert "| Смарт | `t1` | 650 ₽ |" in text and "## Опции" in text and "## Тарифы" in text


@pytest.mark.parametrize("data", [
    None, [], {"tariffs": []}, {"tariffs": [], "options": []},
    {"tariffs": [{"code": "t", "name": "Т"}], "options": []},
    {"tariffs": [{"code": "t", "name": "Т", "fee": -5}], "options": []},
    {"tariffs": [{"code": "t", "name": "Т", "fee": "650"}], "options": []},
    {"tariffs": [{"code": "t", "name": "Т", "fee": 1.5}], "options": []},
    {"tariffs": [{"code": "t", "name": "", "fee": 1}], "options": []},
    {"tariffs": [{"code": "t", "name": "Т", "fee": 1}], "options": [{"code": "t", "name": "О", "fee": 0}]},
    {"tariffs": ["t"], "options": []},
])
def test_a_catalogue_that_makes_no_sense_is_refused(data):
    with pytest.raises(CarrierUnavailable) as refused:
        parse_offer(data, "mts")
    assert refused.value.code == "carrier_garbage"


@pytest.mark.parametrize("carrier", ["mts", "megafon", "beeline"])
def test_each_protocol_lists_what_the_sandbox_was_given(sandbox, carrier):
    client = adapter(carrier, Settings(sandbox.url, timeout_s=2))
    assert client.offer() == offer(carrier)
    built_in = offer(carrier)
    dearer = dataclasses.replace(built_in.tariffs[0], fee=built_in.tariffs[0].fee + 50)
    launched = Plan(f"{carrier}_new", "Новая «опция» & Co", 99)
    changed = Offer((dearer, *built_in.tariffs[1:]), (*built_in.options, launched))
    put = httpx.put(f"{sandbox.url}/_sandbox/catalogue/{carrier}", json=offer_to_json(changed))
    assert put.status_code == 200
    assert client.offer() == changed
    assert [c.change for c in diff_offers(built_in, client.offer())] == ["fee", "added"]


def test_the_sandbox_refuses_a_catalogue_that_makes_no_sense(sandbox):
    bad = httpx.put(f"{sandbox.url}/_sandbox/catalogue/mts", json={"tariffs": []})
    assert bad.status_code == 400 and "expected" in bad.json()["error"]
    assert httpx.put(f"{sandbox.url}/_sandbox/catalogue/tele2", json={}).status_code == 404
    assert adapter("mts", Settings(sandbox.url, timeout_s=2)).offer() == offer("mts")


@pytest.mark.parametrize("carrier", ["mts", "megafon", "beeline"])
def test_garbage_instead_of_a_catalogue_is_unavailable(sandbox, carrier):
    client = adapter(carrier, Settings(sandbox.url, timeout_s=2))
    client.client.headers["X-Sandbox-Fail"] = "garbage"
    with pytest.raises(CarrierUnavailable):
        client.offer()

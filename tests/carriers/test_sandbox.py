"""The three adapters against the sandbox over real HTTP: state, faults, and idempotency proven
by the sandbox's own record of what it applied."""

from __future__ import annotations

import socket

import httpx
import pytest

from carriers.adapters import Settings, adapter
from carriers.protocol import CarrierError, CarrierUnavailable, Operation
from carriers.runner import carry_out
from carriers.sandbox import Sandbox, seed_line

CARRIERS = ["mts", "megafon", "beeline"]
OPTION = {"mts": "mts_music", "megafon": "mf_unlim_video", "beeline": "bee_kto_zvonil"}


@pytest.fixture()
def sandbox():
    box = Sandbox(settle_s=0.05, hang_s=1.0).start()
    yield box
    box.stop()


def applied(box: Sandbox, phone: str) -> list[dict]:
    return httpx.get(f"{box.url}/_sandbox/operations", params={"phone": phone}).json()


def a_phone_without(carrier: str, option: str) -> str:
    n = 0
    while option in seed_line(carrier, phone := f"+7916000{n:04d}")["options"]:
        n += 1
    return phone


@pytest.mark.parametrize("carrier", CARRIERS)
def test_each_protocol_reads_the_line_and_carries_out_an_option(sandbox, carrier):
    client = adapter(carrier, Settings(sandbox.url, timeout_s=2))
    phone = a_phone_without(carrier, OPTION[carrier])
    seed = seed_line(carrier, phone)
    line = client.get_line(phone)
    assert (line.tariff, list(line.options)) == (seed["tariff"], seed["options"])
    assert OPTION[carrier] in {o.code for o in client.offer().options}
    result = carry_out(client, Operation("enable_option", phone, OPTION[carrier]), "key-1", poll_s=0.02)
    assert result.submission.state == "done" and result.submitted
    assert OPTION[carrier] in result.after.options and OPTION[carrier] not in result.before.options
    assert [(o["kind"], o["code"]) for o in applied(sandbox, phone)] == [("enable_option", OPTION[carrier])]
    again = carry_out(client, Operation("enable_option", phone, OPTION[carrier]), "key-1", poll_s=0.02)
    assert not again.submitted and len(applied(sandbox, phone)) == 1  # a retried job changes nothing


@pytest.mark.parametrize("carrier", CARRIERS)
def test_a_submission_that_times_out_after_being_applied_is_never_applied_twice(carrier):
    """The hard case: the sandbox applies the first submission and never answers it."""
    box = Sandbox(fail_first=1, hang_s=1.0, settle_s=0.05).start()
    try:
        client = adapter(carrier, Settings(box.url, timeout_s=0.4))
        tariffs = [t.code for t in client.offer().tariffs]
        phone = "+79161234567"
        target = next(t for t in tariffs if t != client.get_line(phone).tariff)
        operation = Operation("change_tariff", phone, target)
        with pytest.raises(CarrierUnavailable) as timed_out:
            carry_out(client, operation, "ticket-1042-1", poll_s=0.02)
        assert timed_out.value.code == "carrier_timeout"
        retried = carry_out(client, operation, "ticket-1042-1", poll_s=0.02)  # the job's next attempt
        assert retried.submission.state == "done" and retried.after.tariff == target
        assert [(o["kind"], o["code"]) for o in applied(box, phone)] == [("change_tariff", target)]
    finally:
        box.stop()


@pytest.mark.parametrize("carrier", CARRIERS)
def test_errors_and_garbage_are_transient_and_a_refusal_is_final(carrier):
    box = Sandbox(fail_rate=1.0, settle_s=0.05).start()
    try:
        client = adapter(carrier, Settings(box.url, timeout_s=1))
        codes = set()
        for _ in range(6):
            with pytest.raises(CarrierUnavailable) as failed:
                client.get_line("+79161234567")
            codes.add(failed.value.code)
        assert codes <= {"carrier_server_error", "carrier_garbage"} and codes
    finally:
        box.stop()
    box = Sandbox(settle_s=0.05).start()
    try:
        client = adapter(carrier, Settings(box.url, timeout_s=1))
        refused = carry_out(client, Operation("enable_option", "+79161234567", "no_such_option"), "k",
                            poll_s=0.02)
        assert refused.submission.state == "failed" and "unknown option" in refused.submission.note
        assert applied(box, "+79161234567") == []
    finally:
        box.stop()


def test_wrong_credentials_and_an_unreachable_carrier():
    box = Sandbox().start()
    try:
        for carrier in CARRIERS:
            with pytest.raises(CarrierError) as refused:
                adapter(carrier, Settings(box.url, user="intruder", secret="wrong")).get_line("+79161234567")
            assert not isinstance(refused.value, CarrierUnavailable), carrier
    finally:
        box.stop()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(CarrierUnavailable) as unreachable:
        adapter("mts", Settings(f"http://127.0.0.1:{port}", timeout_s=0.5)).get_line("+79161234567")
    assert unreachable.value.code == "carrier_unreachable"
    with pytest.raises(CarrierError, match="no adapter"):
        adapter("tele2", Settings("http://127.0.0.1:1"))

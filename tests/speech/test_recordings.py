from datetime import datetime

import pytest

from speech import mask_phone, parse_recording_name

T = datetime(2026, 11, 24, 10, 15, 0)


@pytest.mark.parametrize(("name", "direction", "number", "extension", "started"), [
    ("out-79161234567-101-20261124-101500-1700000000.123.wav", "outbound", "+79161234567",
     "101", T),
    ("in-101-89161234567-20261124-101500-1700000000.123.wav", "inbound", "+79161234567",
     "101", T),
    ("in-74951234567-89161234567-20261124-101500-1700000000.1.wav", "inbound",
     "+79161234567", None, T),
    ("q-500-79161234567-20261124-101500-1700000000.12.wav", "inbound", "+79161234567", None,
     T),
    ("external-101-79161234567-20261124-101500-1700000000.5.mp3", "outbound", "+79161234567",
     "101", T),
    ("20261124-101500-79161234567-101.wav", "inbound", "+79161234567", "101", T),
    ("20261124-101500-101-89161234567.wav", "outbound", "+79161234567", "101", T),
    ("/var/spool/asterisk/monitor/2026/11/24/out-9161234567-205-20261124-101500-1.2.wav",
     "outbound", "+79161234567", "205", T),
    ("recording.wav", None, None, None, None),
    ("out-79161234567-101-20261399-101500-1.wav", "outbound", "+79161234567", "101", None),
])
def test_parse_recording_name(name, direction, number, extension, started):
    meta = parse_recording_name(name)
    assert meta["direction"] == direction
    assert meta["subscriber_number"] == number
    assert meta["extension"] == extension
    assert meta["started_at"] == started


def test_queue_is_kept():
    assert parse_recording_name("q-500-79161234567-20261124-101500-1.2.wav")["queue"] == "500"


@pytest.mark.parametrize(("number", "masked"), [
    ("+79161234567", "+7 916 ***-**-67"),
    ("8 (916) 123-45-67", "+7 916 ***-**-67"),
    ("9161234567", "+7 916 ***-**-67"),
    ("+4915112345678", "+***********78"),
    ("101", "***"),
])
def test_mask_phone(number: str, masked: str):
    assert mask_phone(number) == masked

"""Call metadata from recorder file names, and subscriber number masking.

Recognised Asterisk / FreePBX MixMonitor names (any audio extension)::

    out-79161234567-101-20261124-101500-1700000000.123.wav   outbound: number dialed, extension
    in-74951234567-79161234567-20261124-101500-17000.1.wav   inbound: DID or extension, caller
    q-500-79161234567-20261124-101500-1700000000.12.wav      inbound via queue 500
    rg-600-79161234567-20261124-101500-...                   inbound via ring group 600
    external-101-79161234567-20261124-101500-...             outbound from extension 101
    internal-101-102-20261124-101500-...                     extension to extension
    20261124-101500-79161234567-101.wav                      caller, callee (direction guessed)

The subscriber is whichever party looks like a telephone number (7+ digits), the extension
whichever is short (2–6 digits).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import PurePath
from typing import Any

__all__ = ["mask_phone", "normalise_phone", "parse_recording_name"]

_PREFIX_DIRECTION = {"out": "outbound", "external": "outbound", "in": "inbound",
                     "q": "inbound", "rg": "inbound", "exten": None, "internal": "internal",
                     "force": None, "ondemand": None}
_STAMP = re.compile(r"(?<!\d)(?P<date>20\d{6})-(?P<time>\d{6})(?!\d)")


def normalise_phone(number: str) -> str:
    """Russian numbers to ``+7XXXXXXXXXX``; anything else to its digits (``+`` kept).

    :param number: as written by the PBX or a person (``8 (916) 123-45-67``).
    """
    digits = re.sub(r"\D", "", number)
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    return ("+" if number.strip().startswith("+") else "") + digits


def mask_phone(number: str) -> str:
    """Hide the middle of a subscriber number: ``+79161234567`` → ``+7 916 ***-**-67``.

    :param number: any written form; short or foreign numbers keep only the last two digits.
    """
    norm = normalise_phone(number)
    if norm.startswith("+7") and len(norm) == 12:
        return f"+7 {norm[2:5]} ***-**-{norm[-2:]}"
    digits = norm.lstrip("+")
    if len(digits) <= 4:
        return "*" * len(digits)
    return ("+" if norm.startswith("+") else "") + "*" * (len(digits) - 2) + digits[-2:]


def _is_phone(part: str) -> bool:
    return len(re.sub(r"\D", "", part)) >= 7


def _is_extension(part: str) -> bool:
    return part.isdigit() and 2 <= len(part) <= 6


def _started(date: str, time: str) -> datetime | None:
    try:
        return datetime.strptime(date + time, "%Y%m%d%H%M%S")
    except ValueError:
        return None


def parse_recording_name(filename: str) -> dict[str, Any]:
    """Read direction, numbers and start time from a recorder file name.

    :param filename: a file name or path.
    :returns: ``direction`` (``"inbound"``, ``"outbound"``, ``"internal"`` or ``None``),
        ``subscriber_number`` (``+7…`` or ``None``), ``extension``, ``queue``,
        ``started_at`` (naive local ``datetime`` or ``None``), ``unique_id``. Unknown names
        give all ``None`` rather than an error.
    """
    name = PurePath(filename).name
    stem = re.sub(r"\.(wav|mp3|ogg|opus|flac|gsm|wav49|WAV|MP3)$", "", name)
    result: dict[str, Any] = {"direction": None, "subscriber_number": None, "extension": None,
                              "queue": None, "started_at": None, "unique_id": None}
    stamp = _STAMP.search(stem)
    if not stamp:
        return result
    result["started_at"] = _started(stamp["date"], stamp["time"])
    before = [p for p in stem[:stamp.start()].split("-") if p]
    after = [p for p in stem[stamp.end():].split("-") if p]
    prefix = before[0].lower() if before and not before[0].lstrip("+").isdigit() else None
    if prefix is not None:
        before = before[1:]
        parties = before
        if after:
            result["unique_id"] = after[0]
    else:  # date-time-caller-callee
        parties = after
    result["direction"] = _PREFIX_DIRECTION.get(prefix) if prefix else None
    phones = [p for p in parties if _is_phone(p)]
    exts = [p for p in parties if _is_extension(p)]
    if phones:
        result["subscriber_number"] = normalise_phone(phones[-1] if prefix == "in" else phones[0])
    if prefix in ("q", "rg") and exts:
        result["queue"] = exts[0]
        exts = exts[1:]
    if exts:
        result["extension"] = exts[0]
    if prefix is None and len(parties) >= 2:
        caller, callee = parties[0], parties[1]
        if _is_phone(caller) and _is_extension(callee):
            result["direction"] = "inbound"
        elif _is_extension(caller) and _is_phone(callee):
            result["direction"] = "outbound"
        elif _is_extension(caller) and _is_extension(callee):
            result["direction"] = "internal"
    return result

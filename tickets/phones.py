"""Russian phone numbers as people type them, to E.164 (``+79161234567``)."""

from __future__ import annotations

import re

from .errors import TicketError

DIGITS = re.compile(r"\d")


def normalise_phone(text: str) -> str:
    """``8 (916) 123-45-67``, ``+7 916 123 45 67``, ``9161234567`` → ``+79161234567``.

    :raises TicketError: ``bad_phone`` when it is not a Russian number of 10 digits after the
        country code.
    """
    raw = str(text or "").strip()
    digits = "".join(DIGITS.findall(raw))
    if re.search(r"[^\d\s()+\-.]", raw):
        digits = ""
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    if len(digits) != 10 or digits[0] not in "3489":
        raise TicketError(f"{raw!r} is not a Russian phone number", code="bad_phone", phone=raw)
    return "+7" + digits

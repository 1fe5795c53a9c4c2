"""The centre's SLA policies, by ticket type and priority.

The hotline (complaints, balance, devices, anything else) answers round the clock; the back
office carries out carrier operations (options, tariffs, porting) in business hours by the
Russian production calendar, and its clock stands still while the carrier works on a request.
Priority scales every target: urgent a quarter, high a half, low twice the normal one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from .calendar import BUSINESS_HOURS, ROUND_THE_CLOCK
from .errors import TicketError
from .sla import Policy

TYPES: Final[dict[str, str]] = {
    "option_on": "Подключение опции",
    "option_off": "Отключение опции",
    "tariff_change": "Смена тарифа",
    "device_setup": "Настройка устройства",
    "balance": "Баланс и платежи",
    "complaint": "Жалоба",
    "porting": "Перенос номера или расторжение",
    "other": "Другое",
}
CARRIER_TYPES: Final = frozenset({"option_on", "option_off", "tariff_change", "porting"})
PRIORITIES: Final[dict[str, str]] = {"low": "Низкий", "normal": "Обычный", "high": "Высокий",
                                     "urgent": "Срочный"}
SCALE: Final[dict[str, float]] = {"low": 2.0, "normal": 1.0, "high": 0.5, "urgent": 0.25}

HOTLINE = Policy("hotline", "Горячая линия, круглосуточно", ROUND_THE_CLOCK,
                 first_response=timedelta(hours=1), next_response=timedelta(hours=4),
                 resolution=timedelta(hours=24))
BACK_OFFICE = Policy("back_office", "Бэк-офис, рабочие часы", BUSINESS_HOURS,
                     first_response=timedelta(hours=2), next_response=timedelta(hours=4),
                     resolution=timedelta(hours=8), pause_on_carrier=True)


def _scaled(base: Policy, priority: str) -> Policy:
    factor = SCALE[priority]

    def scale(value: timedelta | None) -> timedelta | None:
        return None if value is None else value * factor

    return Policy(f"{base.key}:{priority}", f"{base.title}, приоритет «{PRIORITIES[priority].lower()}»",
                  base.calendar, scale(base.first_response), scale(base.next_response),
                  scale(base.resolution), base.pause_on_carrier, base.warn_before)


def policy_for(ticket_type: str, priority: str = "normal") -> Policy:
    """The policy a new ticket of this type and priority gets (its key is stored on the ticket)."""
    if ticket_type not in TYPES:
        raise TicketError(f"unknown ticket type {ticket_type!r}", code="unknown_type", type=ticket_type)
    if priority not in PRIORITIES:
        raise TicketError(f"unknown priority {priority!r}", code="unknown_priority", priority=priority)
    return _scaled(BACK_OFFICE if ticket_type in CARRIER_TYPES else HOTLINE, priority)


def policy(key: str) -> Policy:
    """The policy stored on a ticket (``back_office:high``)."""
    base, _, priority = key.partition(":")
    found = {p.key: p for p in (HOTLINE, BACK_OFFICE)}.get(base)
    if found is None or priority not in PRIORITIES:
        raise TicketError(f"unknown SLA policy {key!r}", code="unknown_policy", policy=key)
    return _scaled(found, priority)

"""Russian wording of the carriers package's error codes (see :mod:`app.wording`)."""

from __future__ import annotations

from typing import Any

import carriers


def _name(carrier: Any = "", **_: Any) -> str:
    return carriers.carrier_name(str(carrier)) or "оператора связи"


WORDING: dict[str, Any] = {
    "unknown_carrier": "Оператор связи «{carrier}» неизвестен; есть: {known}.",
    "carrier_error": "Оператор связи отказал в операции.",
    "carrier_unavailable": "Система оператора связи сейчас недоступна; попробуем ещё раз.",
    "carrier_timeout": lambda carrier="", **_: (
        f"Система {_name(carrier)} не ответила вовремя; попробуем ещё раз с тем же ключом — "
        "дважды операция не выполнится."),
    "carrier_unreachable": lambda carrier="", **_: (
        f"Не удаётся связаться с системой {_name(carrier)}; попробуем ещё раз."),
    "carrier_server_error": lambda carrier="", status="", **_: (
        f"Система {_name(carrier)} ответила ошибкой {status}; попробуем ещё раз."),
    "carrier_garbage": lambda carrier="", **_: (
        f"Система {_name(carrier)} прислала ответ, который нельзя разобрать; попробуем ещё раз."),
    "carrier_refused": lambda carrier="", reason="", **_: (
        f"Система {_name(carrier)} отказала: {reason or 'без объяснений'}."),
    "carrier_pending": lambda carrier="", reference=None, **_: (
        f"Операция в системе {_name(carrier)} ещё выполняется"
        f"{f' (номер {reference})' if reference else ''}; проверим позже."),
    "no_adapter": "Для оператора связи «{carrier}» нет подключения к его системе.",
}

"""Russian wording of the workforce package's error codes (see :mod:`app.wording`)."""

from __future__ import annotations

from typing import Any

FIELDS = {"calls": "Число звонков (--calls)", "interval": "Длина интервала (--interval)",
          "aht": "Среднее время обработки (--aht)", "answer_within": "Время ответа для уровня сервиса "
          "(--answer-within)", "patience": "Терпение абонента (--patience)",
          "target": "Целевой уровень сервиса (--target)", "shrinkage": "Доля времени вне линии (--shrinkage)",
          "max_occupancy": "Предельная загрузка (--max-occupancy)"}


def _field(field: str = "", **_: Any) -> str:
    return FIELDS.get(field, field)


WORDING: dict[str, Any] = {
    "not_positive": lambda field="", value=None, **_: f"{_field(field)} должно быть положительным числом, "
                                                      f"а не {value!r}.",
    "bad_share": lambda field="", value=None, **_: (
        f"{_field(field)} — доля от 0 до 1 (например, 0.8 для 80 %), а не {value!r}."),
    "unservable": lambda value=None, **_: (
        f"Такой поток ({value!r} звонков за интервал) не обслужить никаким разумным числом операторов: "
        "проверьте число звонков и время обработки."),
}

"""Russian wording of the tickets package's error codes (see :mod:`app.wording`)."""

from __future__ import annotations

from typing import Any

import tickets

ADMIN: str = "сообщите администратору"


def _status(status: Any) -> str:
    return f"«{tickets.STATUSES.get(status, status)}»"


def _mb(size: Any) -> str:
    return f"{int(size) / 1024 / 1024:.1f} МБ".replace(".", ",")


WORDING: dict[str, Any] = {
    "ticket_error": f"Обращение не обработано: данные не подошли; {ADMIN}.",
    "naive_moment": f"Время «{{field}}» указано без часового пояса; {ADMIN}.",
    "bad_tz": "Часовой пояс «{tz}» неизвестен: укажите его так, как в базе часовых поясов (Europe/Moscow).",
    "bad_hours": "Начало рабочего дня должно быть раньше его конца.",
    "calendar_never_open": "В календаре нет ни одного рабочего часа: отметьте рабочие дни и часы.",
    "unknown_status": lambda status, **_: (
        f"Состояния {_status(status)} нет; допустимы: {', '.join(tickets.STATUSES.values())}."),
    "mail_error": "Письмо не принято: его не удалось прочитать. Отправьте его ещё раз обычным письмом.",
    "message_too_large": lambda size, limit, **_: (
        f"Письмо не принято: его размер {_mb(size)}, а принимаем письма до {_mb(limit)}. "
        "Пришлите вложения отдельными письмами или ссылкой."),
    "attachment_too_large": lambda filename, size, limit, **_: (
        f"Письмо не принято: вложение «{filename}» весит {_mb(size)}, а принимаем вложения до {_mb(limit)}."),
    "not_a_message": "Письмо не принято: в нём нет заголовков или адреса отправителя.",
    "broken_mime": "Письмо не принято: его структура повреждена. Отправьте его ещё раз обычным письмом.",
    "bad_phone": "«{phone}» — не российский номер телефона: укажите 10 цифр после +7, "
                 "например +7 916 123-45-67.",
    "unknown_type": lambda type, **_: (
        f"Вида обращения «{type}» нет; допустимы: {', '.join(tickets.TYPES.values())}."),
    "unknown_priority": lambda priority, **_: (
        f"Приоритета «{priority}» нет; допустимы: {', '.join(tickets.PRIORITIES.values())}."),
    "unknown_policy": f"У обращения неизвестные правила SLA «{{policy}}»; {ADMIN}.",
    "bad_move": lambda before, after, **_: (
        f"Обращение в состоянии {_status(before)} нельзя перевести в {_status(after)}."),
}

"""Russian wording of the games package's error codes (see :mod:`app.wording`).

Each template is a whole sentence (capital letter, full stop): the app shows it as it is, in a
flash message or on a form. String templates are ``str.format`` strings over the error's
params, so a literal brace is written twice (``{{`` and ``}}``). Errors that only a bug can
cause (a naive datetime, ledger rows of two operators) end with «сообщите администратору».
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.formatting import format_datetime
from games.challenges import KINDS, METRICS
from games.events import SOURCE_KINDS
from games.leaderboard import PERIOD_TITLES

ADMIN: str = "сообщите администратору"


def _quoted(values: Iterable[Any]) -> str:
    return ", ".join(f"«{value}»" for value in values)


def _problems(problems: Iterable[str]) -> str:
    return "; ".join(str(problem) for problem in problems)


def _rules(problems: Iterable[str] = (), **_: Any) -> str:
    listed = _problems(problems)
    return f"Правила начисления баллов не сохранены: {listed}." if listed else (
        "Правила начисления баллов не сохранены: в них есть ошибки."
    )


def _badges(problems: Iterable[str] = (), **_: Any) -> str:
    listed = _problems(problems)
    return f"Каталог значков заполнен с ошибками: {listed}." if listed else (
        f"Каталог значков заполнен с ошибками — {ADMIN}."
    )


def _payload(kind: str, source_id: str, problems: Iterable[str]) -> str:
    return f"Событие {kind}:{source_id} записано с ошибками: {_problems(problems)}."


def _moment(value: Any) -> str:
    return f"{format_datetime(value)} мск" if isinstance(value, datetime) else str(value)


def _ends_before_start(starts_at: Any, ends_at: Any, **_: Any) -> str:
    return (
        f"Окончание челленджа ({_moment(ends_at)}) должно быть позже начала "
        f"({_moment(starts_at)})."
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _unknown_kind(kind: Any, **_: Any) -> str:
    kinds = " или ".join(f"«{title}»" for title in KINDS.values())
    return f"Вид челленджа «{kind}» неизвестен: выберите {kinds}."


def _unknown_metric(metric: Any, **_: Any) -> str:
    titles = ", ".join(_lower_first(title) for title in METRICS.values())
    return f"Показатель «{metric}» неизвестен. Выберите один из этих: {titles}."


def _unknown_source(kind: Any, **_: Any) -> str:
    titles = ", ".join(source.title.lower() for source in SOURCE_KINDS.values())
    return f"Неизвестный источник события «{kind}». Баллы начисляются за такие события: {titles}."


def _unknown_period(period: Any, **_: Any) -> str:
    titles = ", ".join(f"«{title.lower()}»" for title in PERIOD_TITLES.values())
    return f"Неизвестный период «{period}». Выберите один из: {titles}."


def _missing_fields(fields: Iterable[str], **_: Any) -> str:
    names = list(fields)
    noun = "поля" if len(names) == 1 else "полей"
    return f"В правилах не хватает {noun} {_quoted(names)}."


def _ladder(floors: Iterable[int]) -> str:
    return (
        "Пороги уровней должны строго возрастать, а заданы такие: "
        + ", ".join(str(floor) for floor in floors) + "."
    )


def _award_key(key: Iterable[Any]) -> str:
    return (
        f"У начисления {':'.join(str(part) for part in key)} нет времени события, поэтому "
        f"непонятно, к какому дню его отнести — {ADMIN}."
    )


WORDING: dict[str, Any] = {
    # --- the class defaults: what each kind of error means when no raise site says more
    "games_error": f"Данные для игровых баллов не подошли — {ADMIN}.",
    "clock_error": f"Время передано без часового пояса — {ADMIN}.",
    "invalid_event": f"Событие для начисления баллов записано с ошибкой — {ADMIN}.",
    "invalid_rules": _rules,
    "invalid_badges": _badges,
    "invalid_challenge": "Челлендж задан неверно: проверьте поля формы.",
    "invalid_progression": "Уровни или дневная цель серии заданы неверно.",
    "invalid_leaderboard": f"Таблицу рейтинга не удалось построить — {ADMIN}.",
    # --- time
    "not_a_datetime": f"Вместо даты и времени передано «{{value}}» — {ADMIN}.",
    "naive_datetime": f"Дата и время переданы без часового пояса — {ADMIN}.",
    # --- events and the ledger
    "unknown_source_kind": _unknown_source,
    "bad_source_id": f"У события нет номера источника — {ADMIN}.",
    "bad_operator_login": f"У события не указан логин оператора — {ADMIN}.",
    "payload_not_mapping": f"Данные события {{kind}}:{{source_id}} записаны не словарём — {ADMIN}.",
    "invalid_payload": _payload,
    "mixed_operators": lambda kind, source_id, operators: (
        f"Начисления за событие {kind}:{source_id} записаны на разных операторов "
        f"({', '.join(operators)}) — {ADMIN}."
    ),
    "correction_as_new_award": f"Новое начисление не может быть поправкой ({{rule_key}}) — {ADMIN}.",
    "award_without_time": _award_key,
    # --- points rules (the manager's JSON on the rules page)
    "rule_problems": _rules,
    "rules_not_mapping": "Правила должны быть JSON-объектом с полями version, rules и daily_caps.",
    "missing_rules_fields": _missing_fields,
    "rules_not_list": "Поле «rules» должно быть списком правил.",
    "rule_without_fields": "В правиле №{number} нужны поля key, kind и params.",
    "rule_params_not_mapping": "У правила «{key}» поле params должно быть объектом {{…}}.",
    "caps_not_mapping": "Поле «daily_caps» должно быть объектом вида {{источник: лимит}}.",
    # --- badges
    "badge_problems": _badges,
    "foreign_events": lambda operator, strangers: (
        f"В истории оператора {operator} оказались события других операторов "
        f"({', '.join(strangers)}) — {ADMIN}."
    ),
    # --- challenges
    "challenge_without_key": f"У челленджа нет ключа — {ADMIN}.",
    "challenge_without_title": "Укажите название челленджа.",
    "unknown_challenge_kind": _unknown_kind,
    "unknown_challenge_metric": _unknown_metric,
    "challenge_target_not_positive": "Цель челленджа должна быть больше нуля, а указано «{target}».",
    "challenge_time_without_zone": f"Начало и окончание челленджа переданы без часового пояса — {ADMIN}.",
    "challenge_ends_before_start": _ends_before_start,
    "challenge_value_not_number": (
        "Результат участника {participant} в челлендже должен быть числом, а получено «{value}»."
    ),
    # --- levels and streaks
    "ladder_not_from_zero": "Лестница уровней должна начинаться с порога 0 баллов.",
    "ladder_not_increasing": _ladder,
    "bad_streak_target": (
        "Дневная цель серии должна быть целым числом больше нуля, а указано «{target}»."
    ),
    # --- leaderboards
    "unknown_period": _unknown_period,
    "bad_min_calls": (
        "Минимальное число звонков должно быть целым и не меньше нуля, а указано «{min_calls}»."
    ),
    "bad_calls_count": (
        f"Число звонков оператора {{operator}} должно быть целым и не меньше нуля, а получено "
        f"«{{calls}}» — {ADMIN}."
    ),
    "bad_points": (
        f"Баллы оператора {{operator}} должны быть целым числом, а получено «{{points}}» — {ADMIN}."
    ),
    "duplicate_operator": f"Оператор {{operator}} встречается в таблице рейтинга дважды — {ADMIN}.",
}

"""Russian wording of the scoring package's error codes (see :mod:`app.wording`).

Each template is a whole sentence (capital letter, full stop): the app shows it as it is or
after a sentence of its own («Карта оценки не сохранена.»). String templates are
``str.format`` strings over the error's params, so a literal brace is written twice. A
criterion is named by its title when it has one, else by its key. Errors that only a bug or a
broken import can cause end with «сообщите администратору».
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.formatting import format_decimal

ADMIN: str = "сообщите администратору"
VERDICTS: str = "«выполнено», «нарушено» или «неприменимо»"
SOURCES: dict[str, str] = {"auto": "Автоматическая оценка", "human": "Оценка слушателя"}


def _quoted(values: Iterable[Any]) -> str:
    return ", ".join(f"«{value}»" for value in values)


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value)
    return f"«{value}»"


def _criterion(key: Any, title: str = "") -> str:
    return f"«{title or key}»"


def _weight(key: Any, weight: Any, title: str = "", **_: Any) -> str:
    return (
        f"Вес критерия {_criterion(key, title)} должен быть положительным числом, а указано "
        f"{_number(weight)}."
    )


def _in(number: int | None) -> str:
    return "В карте оценки" if number is None else f"В критерии №{number} карты оценки"


def _unknown_fields(fields: Iterable[str], accepted: Iterable[str], number: int | None = None) -> str:
    names = list(fields)
    what = "лишнее поле" if len(names) == 1 else "лишние поля"
    return f"{_in(number)} {what} {_quoted(names)}. Допустимые поля: {', '.join(accepted)}."


def _missing_fields(fields: Iterable[str], number: int | None = None) -> str:
    names = list(fields)
    what = "поля" if len(names) == 1 else "полей"
    return f"{_in(number)} не хватает {what} {_quoted(names)}."


def _not_on_card(keys: Iterable[str], scorecard: str, known: Iterable[str], **_: Any) -> str:
    names = list(keys)
    what = "критерия" if len(names) == 1 else "критериев"
    return f"В карте оценки «{scorecard}» нет {what} {_quoted(names)}. Есть: {', '.join(known)}."


def _grades_of(listener: Any = None, **_: Any) -> str:
    whose = f"слушателя {listener}" if listener is not None else "для сравнения"
    return f"Оценки {whose} записаны с ошибкой — {ADMIN}."


def _segment_times(segment: int, start: float, end: float) -> str:
    return (
        f"В расшифровке звонка у реплики №{segment} начало {format_decimal(start)} с, а конец "
        f"{format_decimal(end)} с: начало не может быть меньше нуля или позже конца."
    )


WORDING: dict[str, Any] = {
    # --- the class defaults: what each kind of error means when no raise site says more
    "scoring_error": f"Оценку звонка не удалось посчитать — {ADMIN}.",
    "invalid_scorecard": "Карта оценки заполнена с ошибкой.",
    "invalid_phrase": "Список стоп-слов заполнен с ошибкой.",
    "invalid_transcript": f"Расшифровка звонка записана с ошибкой — {ADMIN}.",
    "invalid_score_input": f"Данные для оценки звонка не подошли — {ADMIN}.",
    "invalid_grades": f"Оценки калибровки записаны с ошибкой — {ADMIN}.",
    # --- one criterion
    "bad_criterion_key": (
        "Ключ критерия «{key}» не подходит: нужны строчные латинские буквы, цифры и «_», "
        "первой — буква (например, greeting)."
    ),
    "criterion_without_title": "У критерия «{key}» нет названия.",
    "description_not_text": lambda key, title="": (
        f"Описание критерия {_criterion(key, title)} должно быть текстом."
    ),
    "weight_not_positive": _weight,
    "critical_not_boolean": lambda key, title="", **_: (
        f"Отметка «критичный» у критерия {_criterion(key, title)} должна быть «да» или «нет»."
    ),
    "unknown_detector": lambda key, detector, accepted, title="": (
        f"У критерия {_criterion(key, title)} неизвестный детектор «{detector}». "
        f"Допустимые: {', '.join(accepted)}."
    ),
    "unknown_applicability": lambda key, applicability, accepted, title="": (
        f"У критерия {_criterion(key, title)} неизвестное условие применимости «{applicability}». "
        f"Допустимые: {', '.join(accepted)}."
    ),
    "criterion_params_not_object": lambda key, title="", **_: (
        f"Параметры критерия {_criterion(key, title)} должны быть объектом {{…}}."
    ),
    # --- the card as a whole
    "scorecard_without_name": "У карты оценки нет названия.",
    "bad_scorecard_version": "Версия карты оценки должна быть целым числом от 1, а указано «{version}».",
    "scorecard_without_criteria": "В карте оценки нет ни одного критерия.",
    "critical_cap_out_of_range": lambda cap: (
        f"Потолок оценки при критичном нарушении должен быть числом от 0 до 100, а указано {_number(cap)}."
    ),
    "criterion_of_wrong_type": f"Критерии карты оценки записаны с ошибкой — {ADMIN}.",
    "duplicate_criterion_key": (
        "Ключ критерия «{key}» встречается в карте оценки дважды: у каждого критерия он свой."
    ),
    "unknown_criterion": lambda key, scorecard, known: (
        f"В карте оценки «{scorecard}» нет критерия «{key}». Есть: {', '.join(known)}."
    ),
    "scorecard_not_object": (
        "Карта оценки должна быть JSON-объектом с полями name, version, criteria и critical_cap."
    ),
    "criteria_not_list": "Поле criteria карты оценки должно быть списком критериев.",
    "criterion_not_object": "Критерий №{number} карты оценки должен быть объектом {{…}}.",
    "unknown_fields": _unknown_fields,
    "missing_fields": _missing_fields,
    # --- the score formula
    "bad_verdict": lambda source, key, value: (
        f"{SOURCES.get(source, 'Оценка')} по критерию «{key}» должна быть {VERDICTS}, "
        f"а получено «{value}»."
    ),
    "bad_csat": "Оценка абонента должна быть целым числом от 1 до 5, а получено «{csat}».",
    "bad_csat_weight": lambda csat_weight: (
        f"Доля оценки абонента в итоговом балле должна быть числом от 0 до 1, а указано "
        f"{_number(csat_weight)}."
    ),
    "verdict_keys_not_on_scorecard": _not_on_card,
    # --- calibration
    "grades_not_mapping": _grades_of,
    "grades_not_by_listener": f"Оценки калибровки должны быть разложены по слушателям — {ADMIN}.",
    "ragged_matrix": f"Таблица оценок калибровки неполная: у слушателей разное число ячеек — {ADMIN}.",
    "bad_grade": lambda listener, value, **_: (
        f"Оценка слушателя {listener} должна быть {VERDICTS}, а получено «{value}»."
    ),
    # --- forbidden phrases
    "phrase_not_text": "Стоп-фраза должна быть текстом, а получено «{value}».",
    "phrase_without_words": (
        "В стоп-фразе «{phrase}» нет ни одного слова. Пишите русские слова, варианты — через "
        "вертикальную черту: «позже|попозже»."
    ),
    "phrases_as_one_string": f"Стоп-фразы передаются списком, а не одной строкой — {ADMIN}.",
    "bad_max_gap": (
        "Допустимый разрыв между словами фразы должен быть целым числом не меньше нуля, "
        "а указано «{max_gap}»."
    ),
    "phrases_not_list": f"Стоп-фразы должны быть списком строк — {ADMIN}.",
    # --- the call transcript (docs/call-format.md)
    "call_not_object": "Звонок должен быть JSON-объектом с полем «segments».",
    "segments_not_list": "В расшифровке звонка поле «segments» должно быть списком реплик.",
    "segment_not_object": (
        "В расшифровке звонка реплика №{segment} должна быть объектом {{speaker, start, end, text}}."
    ),
    "unknown_speaker": (
        "В расшифровке звонка у реплики №{segment} неизвестный говорящий «{speaker}»: "
        "допустимы operator (оператор) и subscriber (абонент)."
    ),
    "bad_seconds": (
        "В расшифровке звонка значение {field} должно быть конечным числом секунд, "
        "а записано «{value}»."
    ),
    "bad_segment_times": _segment_times,
    "segment_text_not_text": "В расшифровке звонка текст реплики №{segment} должен быть строкой.",
    "words_not_list": "В расшифровке звонка слова реплики №{segment} должны быть списком.",
    "bad_word": (
        "В расшифровке звонка слово №{word} реплики №{segment} записано с ошибкой: нужен объект, "
        "в поле «w» которого — текст слова."
    ),
    "metrics_not_object": (
        "В расшифровке звонка поле «metrics» должно быть объектом или отсутствовать."
    ),
    "metric_spans_not_list": (
        "В расшифровке звонка поле metrics.{name} должно быть списком отрезков {{start, end}}."
    ),
    "metric_span_not_object": (
        "В расшифровке звонка отрезок №{number} в metrics.{name} должен быть объектом с полями "
        "start и end."
    ),
}

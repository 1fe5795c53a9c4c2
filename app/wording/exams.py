"""Russian wording of the exams package's error codes (see :mod:`app.wording`).

Each template is a clause: it starts with a small letter and has no full stop, because the app
puts it after «Строка 6:» on the import report or turns it into a sentence
(:func:`app.exams.messages.explain`). String templates are ``str.format`` strings, so a literal
brace is written twice (``{{`` and ``}}``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from app.formatting import format_decimal, plural

EXPECTED_GIFT: Final = (
    "GIFT — это обычный текст: вопрос, за ним блок ответов в фигурных скобках, например "
    "«Сколько будет 2+2? {=4 ~5}»; вопросы разделяются пустой строкой"
)
FILE_KINDS: Final = {
    "pdf": "документ PDF",
    "zip": "архив ZIP (например, документ Word .docx)",
    "ole": "документ Word или Excel (.doc, .xls)",
    "rtf": "документ RTF",
    "png": "изображение PNG",
    "gif": "изображение GIF (не путайте с GIFT)",
    "jpeg": "изображение JPEG",
}
"""The ``kind`` of a ``binary_file`` error in Russian."""
ENCODINGS: Final = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}


def _questions(count: int) -> str:
    return plural(count, "вопрос", "вопроса", "вопросов")


def shortages_in_russian(shortages: Iterable[tuple[str, int, int, int]]) -> str:
    """«в банке не хватает вопросов: в категории «Тарифы» 2 вопроса, а экзамен берёт 3; …» for
    the ``shortages`` of an :class:`exams.AssemblyError`."""
    parts = []
    for category, left, wanted, taken in shortages:
        where = f"в категории «{category}»" if category else "во всём банке"
        total = left + taken
        if not total:
            parts.append(f"{where} нет вопросов, а экзамен берёт {wanted}")
        elif not taken:
            parts.append(f"{where} {total} {_questions(total)}, а экзамен берёт {wanted}")
        else:
            parts.append(
                f"{where} {total} {_questions(total)}, из них {taken} уже "
                f"{plural(taken, 'взят', 'взяты', 'взяты')} строками выше, а экзамен берёт ещё {wanted}"
            )
    return (
        "в банке не хватает вопросов: " + "; ".join(parts)
        + ". Добавьте вопросы в банк или уменьшите их число в экзамене"
    )


def _not_enough(shortages: tuple[tuple[str, int, int, int], ...] = (), **_: Any) -> str:
    if not shortages:
        return "в банке не хватает вопросов для этого экзамена"
    return shortages_in_russian(shortages)


def _late(
    minutes: int | None = None, seconds: int | None = None, limit: int | None = None, **_: Any
) -> str:
    if minutes is None or seconds is None or limit is None:
        return "время на попытку истекло — ответы не приняты"
    return (
        f"ответы пришли через {minutes} мин {seconds} с после начала, а на попытку отводится "
        f"{limit} мин — они не приняты"
    )


def _number_of(slot: str) -> str:
    """``q3`` → ``3``: people see question numbers, not slot keys."""
    return str(slot).strip().removeprefix("q")


def _slots_not_pending(slots: Iterable[str], **_: Any) -> str:
    numbers = [_number_of(slot) for slot in slots]
    if len(numbers) == 1:
        return f"вопрос {numbers[0]} не ждёт ручной проверки"
    return f"вопросы {', '.join(numbers)} не ждут ручной проверки"


def _bad_pick(category: str, count: object, **_: Any) -> str:
    where = f"для категории «{category}»" if category else "для всего банка"
    return f"{where} указано вопросов: {count}; нужно целое число, не меньше 1"


WORDING: dict[str, Any] = {
    # --- the class defaults: what each kind of error means when no raise site says more
    "exam_error": "экзамен не удалось обработать — сообщите администратору",
    "gift_file": lambda **_: f"файл не удалось прочитать как GIFT. {EXPECTED_GIFT}",
    "gift_encoding": "файл не удалось прочитать как текст; сохраните его в UTF-8 и загрузите снова",
    "invalid_question": "вопрос в банке записан с ошибкой — сообщите автору банка",
    "invalid_response": "ответ не подходит к типу вопроса",
    "tampered_response": "в ответе есть варианты, которых в вопросе нет",
    "invalid_exam_spec": "настройки экзамена заданы неверно",
    "not_enough_questions": _not_enough,
    "attempt_not_gradable": "попытку не удалось проверить — сообщите администратору",
    "time_limit_exceeded": _late,
    # --- exam specification and certification rules
    "no_picks": "в экзамене не указано, из каких категорий и сколько вопросов брать",
    "bad_pick_count": _bad_pick,
    "pass_mark_out_of_range": lambda pass_mark, **_: (
        f"проходной балл {format_decimal(pass_mark)}% вне допустимых пределов: нужно от 0 до 100%"
    ),
    "time_limit_not_positive": (
        "ограничение времени {minutes} мин: укажите положительное число минут или оставьте поле пустым"
    ),
    "attempt_limit_below_one": "число попыток {limit}: укажите 1 или больше или оставьте поле пустым",
    "valid_days_below_one": (
        "аттестация «{key}» действует {days} дн.: срок должен быть не меньше одного дня"
    ),
    # --- attempts and hand grading
    "slot_not_on_paper": lambda slot, slots, **_: (
        f"вопроса {_number_of(slot)} нет в этой попытке: в ней вопросы с 1 по {slots}"
    ),
    "mixed_timezones": (
        "время начала и время отправки попытки записаны несовместимо — сообщите администратору"
    ),
    "submitted_before_start": (
        "время отправки ответов раньше времени начала попытки — сообщите администратору"
    ),
    "slots_not_pending": _slots_not_pending,
    "manual_score_out_of_range": lambda slot, **_: (
        f"оценка за вопрос {_number_of(slot)} должна быть от нуля до полного балла за вопрос"
    ),
    # --- responses
    "no_grader": "вопросы типа «{type}» проверять не умеем",
    "unknown_choice": "в ответе есть варианты, которых в вопросе нет",
    "unknown_pair": "в ответе есть варианты, которых в вопросе нет",
    "unknown_right_answer": "вариант «{value}» — не из тех, что предлагает вопрос",
    "one_answer_only": "в этом вопросе выбирают один ответ, а выбрано {count}",
    "wrong_response_shape": "ответ пришёл в виде, который не подходит к типу вопроса",
    # --- question values built by hand
    "unknown_question_type": "неизвестный тип вопроса «{type}»",
    "unknown_text_format": "неизвестный формат текста вопроса «{format}»",
    "weight_out_of_range": "ответ {answer} весит {weight}%, а вес должен быть от -100 до 100%",
    # --- a GIFT file as a whole
    "binary_file": lambda kind, **_: (
        f"это {FILE_KINDS.get(kind, 'не текстовый файл')}, а не текст GIFT. {EXPECTED_GIFT}"
    ),
    "markup_file": lambda start, **_: (
        f"это разметка XML или HTML (файл начинается с «{start}»), а не GIFT. {EXPECTED_GIFT}"
    ),
    "no_questions": lambda **_: f"в файле не найдено ни одного вопроса. {EXPECTED_GIFT}",
    "nul_bytes": (
        "файл содержит нулевые байты — это не текстовый файл; GIFT — обычный текст в UTF-8 "
        "(лучше всего), UTF-16 с BOM или cp1251"
    ),
    "undecodable_byte": (
        "файл не в UTF-8 и не в cp1251 (байт {byte} на позиции {offset}); "
        "сохраните его в UTF-8 и загрузите снова"
    ),
    "not_cyrillic": (
        "файл не в UTF-8 и не похож на текст в cp1251; сохраните его в UTF-8 и загрузите снова"
    ),
    "bad_bom_text": lambda encoding, offset, **_: (
        f"файл начинается с метки кодировки {ENCODINGS.get(encoding, encoding)} (BOM), но байт на "
        f"позиции {offset} в этой кодировке недопустим; сохраните файл в UTF-8 и загрузите снова"
    ),
    "read_as_cp1251": (
        "файл не в UTF-8, поэтому прочитан как Windows-1251 (cp1251); проверьте, что кириллица "
        "выглядит правильно, и сохраняйте GIFT-файлы в UTF-8"
    ),
    # --- one GIFT question (shown after «Строка N:»)
    "name_not_closed": (
        "имя вопроса начинается с «::», но не закрыто: напишите ::имя:: перед текстом "
        "(двоеточие внутри имени экранируйте как \\:)"
    ),
    "name_without_text": "у вопроса есть имя, но нет текста",
    "unclosed_brace": "незакрытая скобка: блок ответов, открытый «{{», не закрыт «}}»",
    "brace_not_closed_before_next": "незакрытая скобка: блок ответов не закрыт до следующей «{{»",
    "stray_closing_brace": "лишняя «}}» без открывающей «{{»; буквальную скобку пишите как \\}}",
    "questions_not_separated": (
        "в вопросе больше одного блока ответов {{…}}: похоже, здесь несколько вопросов подряд — "
        "разделяйте вопросы пустой строкой (буквальные скобки пишите как \\{{ и \\}})"
    ),
    "several_answer_blocks": (
        "в вопросе больше одного блока ответов {{…}}; буквальные скобки пишите как \\{{ и \\}}"
    ),
    "no_question_text": "у вопроса нет текста, только блок ответов",
    "unknown_answer_block": lambda block, **_: (
        f"неизвестный тип вопроса в блоке ответов {{{block}}}: верные ответы начинайте с «=», "
        "неверные — с «~», числовой ответ — с «#», «верно/неверно» — T или F, пары на "
        "соответствие — «=слева -> справа», для эссе оставьте скобки пустыми"
    ),
    "text_before_first_answer": (
        "«{text}» стоит перед первым ответом; каждый ответ начинается с «=» (верный) или «~» (неверный)"
    ),
    "bad_weight": (
        "неверный вес «{weight}»: вес — процент от -100 до 100 между знаками %, например %50% или %-25%"
    ),
    "empty_answer": "ответ {index} пустой: напишите его текст после «{marker}»",
    "too_few_choices": "в вопросе с выбором ответа нужно минимум два варианта",
    "no_correct_choice": "нет верного ответа: отметьте верный ответ знаком «=» (или весом %100%)",
    "no_positive_weight": (
        "нет верного ответа: отметьте верный ответ знаком «=» или, если верных ответов несколько, "
        "дайте им положительные веса, например ~%50%"
    ),
    "weights_not_100": lambda total, **_: (
        f"неверные веса: положительные веса в сумме дают {format_decimal(total)}%, а верные ответы "
        "вопроса с несколькими ответами должны давать 100%"
    ),
    "no_full_short_answer": (
        "нет верного ответа: хотя бы один ответ должен весить 100% (просто «=ответ»)"
    ),
    "too_many_feedbacks": (
        "у ответа «верно/неверно» не больше двух отзывов: {{T#если неверно#если верно}}"
    ),
    "not_a_number": (
        "числовой ответ {index}: «{text}» — не число; пишите 3.14, 3.14:0.01 (значение:допуск) "
        "или 1..5 (диапазон), дробную часть — через точку"
    ),
    "empty_number": "числовой ответ {index} пустой: напишите число после «=»",
    "backward_range": (
        "числовой ответ {index}: диапазон {range} записан наоборот; пишите «меньшее..большее»"
    ),
    "numerical_wrong_answer": (
        "в числовом вопросе после «~» допускается только «#отзыв на неверный ответ»"
    ),
    "no_full_number": "нет верного ответа: хотя бы один числовой ответ должен весить 100%",
    "bad_pair": (
        "пара {index} записана не как «=слева -> справа» (лишний вариант справа: «= -> справа»)"
    ),
    "pair_without_right": "в паре {index} ничего нет после «->»",
    "too_few_pairs": "в вопросе на соответствие нужно минимум две пары «=слева -> справа»",
}

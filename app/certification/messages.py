"""Russian wording for the messages of the pure ``exams`` package (it reports in English).

One table of ``(pattern, template)``; a message no pattern knows is shown as it is.
"""

from __future__ import annotations

import re
from typing import Final

_RULES: Final[list[tuple[re.Pattern[str], str]]] = [
    (re.compile(p, re.S), t)
    for p, t in [
        (
            r"^the question name opens with '::' but is not closed",
            "имя вопроса начинается с «::», но не закрыто: напишите ::имя:: перед текстом "
            "(двоеточие внутри имени экранируйте как \\:)",
        ),
        (r"^the question has a name but no text", "у вопроса есть имя, но нет текста"),
        (
            r"^unclosed brace: the answer block",
            "незакрытая скобка: блок ответов, открытый «{», не закрыт «}»",
        ),
        (
            r"^unclosed brace: an answer block opened with '\{' is not closed before the next",
            "незакрытая скобка: блок ответов не закрыт до следующей «{»",
        ),
        (r"^'\}' without an opening", "лишняя «}» без открывающей «{»; буквальную скобку пишите как \\}"),
        (
            r"^more than one answer block",
            "в вопросе больше одного блока ответов {…}; буквальные скобки пишите как \\{ и \\}",
        ),
        (r"^the question has no text, only an answer block", "у вопроса нет текста, только блок ответов"),
        (
            r"^unknown question type in the answer block (\{.*?\}):",
            "неизвестный тип вопроса в блоке ответов {0}: верные ответы начинайте с «=», неверные — с «~», "
            "числовой ответ — с «#», «верно/неверно» — T или F, пары на соответствие — «=слева -> справа», "
            "для эссе оставьте скобки пустыми",
        ),
        (
            r"^'(.*?)' stands before the first answer",
            "«{0}» стоит перед первым ответом; каждый ответ начинается с «=» (верный) или «~» (неверный)",
        ),
        (
            r"^bad weight '(.*?)':",
            "неверный вес «{0}»: вес — процент от -100 до 100 между знаками %, например %50% или %-25%",
        ),
        (r"^answer (\d+) is empty", "ответ {0} пустой: напишите текст после «=» или «~»"),
        (
            r"^a multiple-choice question needs at least two answers",
            "в вопросе с выбором нужно минимум два ответа",
        ),
        (
            r"^no correct answer: give at least one numerical answer 100%",
            "нет верного ответа: хотя бы один числовой ответ должен весить 100%",
        ),
        (r"^no correct answer", "нет верного ответа: отметьте верный ответ знаком «=» (или весом %100%)"),
        (
            r"^bad weights: the positive weights add up to ([\d.]+)%",
            "неверные веса: положительные веса в сумме дают {0}%, а верные ответы вопроса с несколькими "
            "ответами должны давать 100%",
        ),
        (
            r"^a true/false answer takes at most two feedbacks",
            "у ответа «верно/неверно» не больше двух отзывов: {T#если неверно#если верно}",
        ),
        (
            r"^numerical answer (\d+): '(.*?)' is not a number",
            "числовой ответ {0}: «{1}» — не число; пишите 3.14, 3.14:0.01 (значение:допуск) или 1..5 "
            "(диапазон), дробную часть — через точку",
        ),
        (r"^numerical answer (\d+) is empty", "числовой ответ {0} пустой: напишите число после «=»"),
        (
            r"^numerical answer (\d+): range (.*?) runs backwards",
            "числовой ответ {0}: диапазон {1} записан наоборот; пишите «меньшее..большее»",
        ),
        (
            r"^after '~' a numerical question",
            "в числовом вопросе после «~» допускается только «#отзыв на неверный ответ»",
        ),
        (
            r"^matching pair (\d+) is not written as",
            "пара {0} записана не как «=слева -> справа» (лишний вариант справа: «= -> справа»)",
        ),
        (r"^matching pair (\d+) has nothing after '->'", "в паре {0} ничего нет после «->»"),
        (
            r"^a matching question needs at least two",
            "в вопросе на соответствие нужно минимум две пары «=слева -> справа»",
        ),
        (
            r"^the file contains NUL bytes",
            "файл содержит нулевые байты — это не текстовый файл; GIFT — "
            "обычный текст в UTF-8 (лучше всего), UTF-16 с BOM или cp1251",
        ),
        (
            r"^the file is neither UTF-8 nor cp1251 \(byte (0x[0-9a-f]+) at offset (\d+)\)",
            "файл не в UTF-8 и не в cp1251 (байт {0} на позиции {1}); "
            "сохраните его в UTF-8 и загрузите снова",
        ),
        (
            r"^the file is not UTF-8 and does not look like cp1251",
            "файл не в UTF-8 и не похож на текст в cp1251; сохраните его в UTF-8 и загрузите снова",
        ),
        (
            r"^the file starts with a (\S+) byte-order mark but byte (\d+)",
            "файл начинается с метки {0}, но байт {1} в этой кодировке недопустим; сохраните файл в UTF-8",
        ),
        (
            r"^the file is not UTF-8, so it was read as Windows-1251",
            "файл не в UTF-8, поэтому прочитан как Windows-1251 (cp1251); проверьте, что кириллица "
            "выглядит правильно, и сохраняйте GIFT-файлы в UTF-8",
        ),
        (
            r"^not enough questions: (.*?); import more",
            "в банке не хватает вопросов: {0}; добавьте вопросы или уменьшите их число в экзамене",
        ),
        (
            r"^answers arrived (\d+) min (\d+) s after the start; the limit is (\d+) min",
            "ответы пришли через {0} мин {1} с после начала, а на попытку отводится {2} мин — они не приняты",
        ),
    ]
]


def russian(message: str) -> str:
    """The Russian version of a message from :mod:`exams`, or the message itself."""
    for pattern, template in _RULES:
        match = pattern.search(message)
        if match:
            for index, value in enumerate(match.groups()):
                template = template.replace(f"{{{index}}}", value)
            return template
    return message

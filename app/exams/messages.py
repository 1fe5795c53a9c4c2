"""Russian wording for the messages of the pure ``exams`` package (it reports in English).

One table of ``(pattern, template)``: a template is a string with ``{0}``, ``{1}`` … for the
pattern's groups, or a function of the match. :func:`russian` translates a message (a GIFT
error is a clause shown after «Строка N:»); :func:`explain` turns an :class:`exams.ExamError`
into a whole Russian sentence for a flash message, falling back to a Russian sentence for its
kind of error when no pattern knows the message (so no English reaches the page).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from typing import Final

import exams
from app.formatting import plural

log = logging.getLogger("ulybka.exams")

EXPECTED_GIFT: Final = (
    "GIFT — это обычный текст: вопрос, за ним блок ответов в фигурных скобках, например "
    "«Сколько будет 2+2? {=4 ~5}»; вопросы разделяются пустой строкой"
)
_FILE_KINDS: Final = {
    "a PDF document": "документ PDF",
    "a ZIP archive (a .docx or .xlsx file is one)": "архив ZIP (например, документ Word .docx)",
    "an old Word or Excel document (.doc, .xls)": "документ Word или Excel (.doc, .xls)",
    "an RTF document": "документ RTF",
    "a PNG image": "изображение PNG",
    "a GIF image": "изображение GIF (не путайте с GIFT)",
    "a JPEG image": "изображение JPEG",
}


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


def _shortages(match: re.Match[str]) -> str:
    found = re.finditer(
        r"category '(.*?)' has (\d+) unused question\(s\) but the exam draws (\d+)", match.group(0)
    )
    return shortages_in_russian(
        ("" if m.group(1) == "(all)" else m.group(1), int(m.group(2)), int(m.group(3)), 0) for m in found
    )


def _slots(text: str) -> str:
    return ", ".join(slot.strip().removeprefix("q") for slot in text.split(","))


_Template = str | Callable[[re.Match[str]], str]

_RULES: Final[list[tuple[re.Pattern[str], _Template]]] = [
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
            r"^more than one answer block.*separate them with an empty line",
            "в вопросе больше одного блока ответов {…}: похоже, здесь несколько вопросов подряд — "
            "разделяйте вопросы пустой строкой (буквальные скобки пишите как \\{ и \\})",
        ),
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
            r"^the file is (.*?), not GIFT text;",
            lambda m: f"это {_FILE_KINDS.get(m.group(1), 'не текстовый файл')}, а не текст GIFT. "
            + EXPECTED_GIFT,
        ),
        (
            r"^the file is XML or HTML markup \(it starts with '(.*?)'\), not GIFT;",
            "это разметка XML или HTML (файл начинается с «{0}»), а не GIFT. " + EXPECTED_GIFT,
        ),
        (r"^no questions found in the file", "в файле не найдено ни одного вопроса. " + EXPECTED_GIFT),
        (r"^not enough questions: .*", _shortages),
        (
            r"^an exam needs at least one \(category, number\) pick",
            "в экзамене не указано, из каких категорий и сколько вопросов брать",
        ),
        (
            r"^pick for category '(.*?)' asks for (.*?) questions",
            lambda m: (f"для категории «{m.group(1)}»" if m.group(1) else "для всего банка")
            + f" указано вопросов: {m.group(2)}; нужно целое число, не меньше 1",
        ),
        (
            r"^pass mark (\S+) is outside 0\.\.100 percent",
            "проходной балл {0}% вне допустимых пределов: нужно от 0 до 100%",
        ),
        (
            r"^time limit (\S+) min is not positive",
            "ограничение времени {0} мин: укажите положительное число минут или оставьте поле пустым",
        ),
        (
            r"^attempt limit (\S+) is below 1",
            "число попыток {0}: укажите 1 или больше или оставьте поле пустым",
        ),
        (
            r"^certification '(.*?)' is valid for (\S+) days",
            "аттестация «{0}» действует {1} дн.: срок должен быть не меньше одного дня",
        ),
        (
            r"^started_at and submitted_at must both be",
            "время начала и время отправки попытки записаны несовместимо — сообщите администратору",
        ),
        (
            r"^submitted at .*?, before the start at",
            "время отправки ответов раньше времени начала попытки — сообщите администратору",
        ),
        (
            r"^manual score (\S+) for q(\d+) is outside 0\.\.1",
            "оценка за вопрос {1} должна быть от нуля до полного балла за вопрос",
        ),
        (
            r"^slot 'q?(.*?)' is not on this paper; its slots are q1\.\.q(\d+)",
            "вопроса {0} нет в этой попытке: в ней вопросы с 1 по {1}",
        ),
        (
            r"^slot\(s\) (.*?) are not waiting for manual grading",
            lambda m: (
                f"вопрос {_slots(m.group(1))} не ждёт ручной проверки"
                if "," not in m.group(1)
                else f"вопросы {_slots(m.group(1))} не ждут ручной проверки"
            ),
        ),
        (
            r"^(?:answer|pair) id\(s\) .*? do not belong to this question",
            "в ответе есть варианты, которых в вопросе нет",
        ),
        (
            r"^'(.*?)' is not one of the right-hand answers offered",
            "вариант «{0}» — не из тех, что предлагает вопрос",
        ),
        (r"^no grader for question type '(.*?)'", "вопросы типа «{0}» проверять не умеем"),
        (
            r"^this question takes one answer, but (\d+) were given",
            "в этом вопросе выбирают один ответ, а выбрано {0}",
        ),
        (
            r"^(?:choice ids are strings|an? [\w/-]+ response (?:is|maps))",
            "ответ пришёл в виде, который не подходит к типу вопроса",
        ),
        (r"^unknown question type '(.*?)'", "неизвестный тип вопроса «{0}»"),
        (r"^unknown text format '(.*?)'", "неизвестный формат текста вопроса «{0}»"),
        (
            r"^answer (\S+) weighs (\S+)%",
            "ответ {0} весит {1}%, а вес должен быть от -100 до 100%",
        ),
        (
            r"^answers arrived (\d+) min (\d+) s after the start; the limit is (\d+) min",
            "ответы пришли через {0} мин {1} с после начала, а на попытку отводится {2} мин — они не приняты",
        ),
    ]
]


def _translate(message: str) -> str | None:
    for pattern, template in _RULES:
        match = pattern.search(message)
        if match:
            if callable(template):
                return template(match)
            for index, value in enumerate(match.groups()):
                template = template.replace(f"{{{index}}}", value)
            return template
    return None


def russian(message: str) -> str:
    """The Russian version of a message from :mod:`exams`, or the message itself."""
    translated = _translate(message)
    return message if translated is None else translated


_FALLBACKS: Final[tuple[tuple[type[exams.ExamError], str], ...]] = (
    (exams.TamperedResponseError, "в ответе есть варианты, которых в вопросе нет"),
    (exams.ResponseError, "ответ не подходит к типу вопроса"),
    (exams.TimeLimitError, "время на попытку истекло — ответы не приняты"),
    (exams.AttemptError, "попытку не удалось проверить — сообщите администратору"),
    (exams.AssemblyError, "в банке не хватает вопросов для этого экзамена"),
    (exams.ExamSpecError, "настройки экзамена заданы неверно"),
    (exams.QuestionError, "вопрос в банке записан с ошибкой — сообщите автору банка"),
    (exams.GiftFileError, "файл не удалось прочитать как GIFT. " + EXPECTED_GIFT),
    (exams.ExamError, "экзамен не удалось обработать — сообщите администратору"),
)


def explain(error: exams.ExamError, outcome: str = "") -> str:
    """A whole Russian sentence (capital letter, full stop) for an error of :mod:`exams`.

    :param outcome: what did not happen, put before the reason: «Экзамен не создан» gives
        «Экзамен не создан — в банке не хватает вопросов: …».
    """
    if isinstance(error, exams.AssemblyError) and error.shortages:
        text = shortages_in_russian(error.shortages)
    else:
        translated = _translate(str(error))
        if translated is None:
            log.warning("no Russian wording for %s: %s", type(error).__name__, error)
            translated = next(text for kind, text in _FALLBACKS if isinstance(error, kind))
        text = translated
    return sentence(f"{outcome} — {text}" if outcome else text)


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop at the end."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."

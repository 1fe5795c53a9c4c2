"""Russian wording shared by reasons and titles: plural forms and signed points."""

from __future__ import annotations

POINT_FORMS = ("балл", "балла", "баллов")


def plural(number: int, forms: tuple[str, str, str]) -> str:
    """Pick the Russian plural form for ``number``: (1 балл, 2 балла, 5 баллов).

    :param number: the count (its absolute value decides the form).
    :param forms: the forms for 1, 2 and 5.
    """
    n = abs(number) % 100
    if 11 <= n <= 14:
        return forms[2]
    if n % 10 == 1:
        return forms[0]
    if 2 <= n % 10 <= 4:
        return forms[1]
    return forms[2]


def points_text(points: int, *, signed: bool = True) -> str:
    """Format points for a reason: ``+10 баллов``, ``-15 баллов``, ``1 балл``.

    :param points: the number of points.
    :param signed: prefix positive numbers with ``+``.
    """
    sign = "+" if signed and points > 0 else ""
    return f"{sign}{points} {plural(points, POINT_FORMS)}"


STANDARD_TITLES: dict[str, str] = {
    "greeting": "Приветствие",
    "identification": "Идентификация абонента",
    "empathy": "Эмпатия",
    "no_interruption": "Без перебиваний",
    "resolution": "Решение вопроса",
    "forbidden_words": "Без стоп-слов",
    "closing": "Завершение разговора",
    "hold_etiquette": "Этикет удержания",
}


def standard_title(key: str) -> str:
    """Return the Russian label of a scorecard standard, or the key itself when unknown.

    :param key: a scorecard key such as ``empathy``.
    """
    return STANDARD_TITLES.get(key, key)

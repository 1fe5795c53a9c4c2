"""Russian wording of the training package's error codes (see :mod:`app.wording`).

Each template is a whole sentence (capital letter, full stop): the app shows it as it is or
after a sentence of its own («Статья не сохранена.»). String templates are ``str.format``
strings over the error's params.
"""

from __future__ import annotations

from typing import Any

import carriers
from training.article import TOPICS

ADMIN: str = "сообщите администратору"


def _unknown_carrier(carrier: Any, **_: Any) -> str:
    names = [info.name for info in carriers.CATALOGUE.values()]
    choice = ", ".join(names[:-1]) + f" или {names[-1]}" if len(names) > 1 else "".join(names)
    return (
        f"Оператор связи «{carrier}» неизвестен: выберите {choice} либо оставьте статью общей "
        "для всех операторов связи."
    )


def _unknown_topic(topic: Any, **_: Any) -> str:
    titles = ", ".join(f"«{title}»" for title in TOPICS.values())
    return f"Раздел «{topic}» неизвестен. Выберите раздел из списка: {titles}."


WORDING: dict[str, Any] = {
    # --- the class defaults: what each kind of error means when no raise site says more
    "training_error": f"Действие с базой знаний не выполнено — {ADMIN}.",
    "invalid_article": "Статья заполнена с ошибкой.",
    "invalid_sampling": "Параметры подбора звонков для прослушки заданы неверно.",
    # --- knowledge-base articles
    "unknown_carrier": _unknown_carrier,
    "unknown_topic": _unknown_topic,
    "article_without_title": "Укажите заголовок статьи.",
    # --- listening assignments
    "negative_count": "Число звонков для прослушки не может быть отрицательным, а указано {count}.",
    "random_share_out_of_range": "Доля случайных звонков должна быть от 0 до 1, а указано {share}.",
}

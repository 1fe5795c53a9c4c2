"""Russian wording of every refusal, chosen by its stable code: one catalogue for the app.

Domain packages (``exams``, ``games``, ``scoring``, ``training``, ``speech``) raise errors that
carry a ``code`` (a stable identifier, e.g. ``"unknown_answer"``) and ``params`` (the values the
sentence needs, e.g. ``line=12``); their ``str()`` is English, for logs. The app never shows that
English: :func:`say` looks the code up here and fills in the parameters. Each package's wording
lives in its own module beside this one (``app/wording/exams.py`` ...) as a ``WORDING`` dict of
``code -> template``; a template is a ``str.format`` string over the params or a function of
them. ``tests/test_wording.py`` fails when a code raised anywhere has no wording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

from app.wording import carriers, exams, games, scoring, speech, tickets, training, workforce

log = logging.getLogger("ulybka.wording")

Template = str | Callable[..., str]

CATALOGUE: Final[Mapping[str, Mapping[str, Template]]] = {
    "carriers": carriers.WORDING,
    "exams": exams.WORDING,
    "games": games.WORDING,
    "scoring": scoring.WORDING,
    "speech": speech.WORDING,
    "tickets": tickets.WORDING,
    "training": training.WORDING,
    "workforce": workforce.WORDING,
}
GENERIC: Final = "Действие не выполнено: данные не подошли. Проверьте их и повторите."


def package_of(error: BaseException) -> str:
    """The domain package an error comes from (``exams.errors.GiftFileError`` → ``exams``)."""
    return type(error).__module__.split(".")[0]


def wording_for(package: str, code: str) -> Template | None:
    return CATALOGUE.get(package, {}).get(code)


def say(error: BaseException, **extra: Any) -> str:
    """The Russian sentence for a domain error, by its package and ``code``.

    :param error: an error with ``code`` and ``params`` attributes.
    :param extra: values the app adds to the error's own params.
    """
    package, code = package_of(error), getattr(error, "code", None)
    template = wording_for(package, code) if code else None
    if template is None:  # a test keeps this from happening; a person still reads Russian
        log.error("no Russian wording for %s error code %r (%s)", package, code, error)
        return GENERIC
    params = {**(getattr(error, "params", None) or {}), **extra}
    try:
        return template(**params) if callable(template) else template.format(**params)
    except (KeyError, IndexError, TypeError, ValueError):
        log.exception("wording %s.%s does not fit params %r", package, code, params)
        return GENERIC

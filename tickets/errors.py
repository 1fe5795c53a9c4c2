"""The one root exception of the tickets package.

Every error raised on purpose by ``tickets`` is a :class:`TicketError` with a stable ``code``
and ``params``; ``str(error)`` is English, for logs; people read the Russian wording the app
keeps by code (``app/wording/tickets.py``).
"""

from __future__ import annotations

from typing import Any


class TicketError(Exception):
    """Bad input to the tickets package (a naive moment, an impossible calendar or transition).

    :param message: what was wrong and what is accepted, for logs.
    :param code: stable identifier of what went wrong.
    :param params: the values the sentence needs.
    """

    code: str = "ticket_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params: dict[str, Any] = params

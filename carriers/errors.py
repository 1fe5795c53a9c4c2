"""The one root exception of the carriers package and its child::

    CarrierError            carrier_error        the carrier refused (final: retrying will not help)
    └── CarrierUnavailable  carrier_unavailable  timeout, connection refused, 5xx, an answer that
                                                 makes no sense (transient: retry with back-off)

Each carries a stable ``code`` and ``params``; people read the wording the app keeps by code
(``app/wording/carriers.py``).
"""

from __future__ import annotations

from typing import Any


class CarrierError(Exception):
    """The carrier answered, and refused (an unknown option, a blocked number ...)."""

    code = "carrier_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.code = code or type(self).code
        self.params = params


class CarrierUnavailable(CarrierError):
    """No usable answer: a timeout, a refused connection, a 5xx, garbage. Try again later."""

    code = "carrier_unavailable"

"""The carriers the centre works for: one catalogue, keyed by the code stored in the database.

The ``carriers`` table holds the same codes (filled by the migrations); forms, commands, pages
and the knowledge base take their lists and names from here. The carrier adapters (options,
tariffs, requests in each carrier's own system) join this catalogue by the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True)
class CarrierInfo:
    """A carrier: ``code`` (stable, stored), ``name`` (as subscribers write it)."""

    code: str
    name: str


CATALOGUE: Final = MappingProxyType({
    info.code: info
    for info in (
        CarrierInfo("mts", "МТС"),
        CarrierInfo("megafon", "МегаФон"),
        CarrierInfo("beeline", "Билайн"),
    )
})
CODES: Final[tuple[str, ...]] = tuple(CATALOGUE)


class UnknownCarrier(KeyError):
    """A carrier code that is not in the catalogue."""

    code = "unknown_carrier"

    def __init__(self, carrier: str) -> None:
        super().__init__(f"unknown carrier {carrier!r}; known: {', '.join(CODES)}")
        self.params = {"carrier": carrier, "known": ", ".join(CODES)}


def carrier(code: str) -> CarrierInfo:
    """The carrier of ``code``; :class:`UnknownCarrier` for any other string."""
    try:
        return CATALOGUE[code]
    except KeyError:
        raise UnknownCarrier(code) from None


def carrier_name(code: str | None) -> str:
    """The carrier's name for a code; an unknown or empty code is returned as it is."""
    info = CATALOGUE.get(code or "")
    return info.name if info else (code or "")

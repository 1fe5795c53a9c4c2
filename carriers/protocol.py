"""What every carrier adapter offers, whatever its back-office speaks.

Real back-offices are asynchronous: an operation is *submitted*, then *polled* until it is final.
They differ in what they give back when a request times out: some take a client idempotency key
and can be asked about it again; some give nothing, so the only safe way to learn whether a
timed-out request went through is to read the subscriber's actual state before submitting again
(:meth:`Adapter.find`). The action runner (``app/tickets/actions.py``) relies on exactly that.

Errors: :mod:`carriers.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .errors import CarrierError, CarrierUnavailable
from .plans import Offer

__all__ = ["KINDS", "Adapter", "CarrierError", "CarrierUnavailable", "Line", "Operation", "Submission"]

Kind = Literal["change_tariff", "enable_option", "disable_option"]
State = Literal["pending", "done", "failed"]
KINDS: tuple[str, ...] = ("change_tariff", "enable_option", "disable_option")


@dataclass(frozen=True)
class Line:
    """A subscriber as the carrier's system has it."""

    phone: str
    tariff: str
    options: tuple[str, ...] = ()
    balance: float = 0.0
    status: str = "active"


@dataclass(frozen=True)
class Operation:
    """A change to make: ``change_tariff`` to ``code``, ``enable_option`` / ``disable_option`` ``code``."""

    kind: Kind
    phone: str
    code: str

    def done_in(self, line: Line) -> bool:
        """Whether the line already shows this operation carried out."""
        if self.kind == "change_tariff":
            return line.tariff == self.code
        if self.kind == "enable_option":
            return self.code in line.options
        return self.code not in line.options


@dataclass(frozen=True)
class Submission:
    """Where an operation stands at the carrier: its reference (None when the carrier gives
    none) and state; ``note`` is the carrier's own words, kept for the audit."""

    state: State
    reference: str | None = None
    note: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class Adapter(Protocol):
    """One carrier's back-office."""

    code: str
    takes_idempotency_key: bool

    def get_line(self, phone: str) -> Line: ...

    def offer(self) -> Offer:
        """The tariffs and options as the carrier lists them now (an answer that makes no sense:
        :class:`CarrierUnavailable` ``carrier_garbage``)."""
        ...

    def submit(self, operation: Operation, key: str) -> Submission: ...

    def status(self, reference: str) -> Submission: ...

    def find(self, operation: Operation, key: str) -> Submission | None:
        """An earlier submission of this operation (by the key, or by reading the line when the
        carrier keeps no key: ``done`` when the line already shows it), or None."""
        ...

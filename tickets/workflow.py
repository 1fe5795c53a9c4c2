"""A ticket's life: statuses, the moves between them, and which of them stop the SLA clock.

``new → open → pending_subscriber / pending_carrier → resolved → closed``, or ``rejected``;
a reply from the subscriber reopens a pending or resolved ticket (``open``), a closed or
rejected one stays as it is (a new message then starts a new ticket, as in Zammad).
"""

from __future__ import annotations

from typing import Final

from .errors import TicketError

STATUSES: Final[dict[str, str]] = {
    "new": "Новое",
    "open": "В работе",
    "pending_subscriber": "Ждёт абонента",
    "pending_carrier": "Ждёт оператора связи",
    "resolved": "Решено",
    "closed": "Закрыто",
    "rejected": "Отклонено",
}
MOVES: Final[dict[str, frozenset[str]]] = {
    "new": frozenset({"open", "pending_subscriber", "pending_carrier", "resolved", "rejected"}),
    "open": frozenset({"pending_subscriber", "pending_carrier", "resolved", "rejected"}),
    "pending_subscriber": frozenset({"open", "pending_carrier", "resolved", "rejected"}),
    "pending_carrier": frozenset({"open", "pending_subscriber", "resolved", "rejected"}),
    "resolved": frozenset({"open", "closed"}),
    "closed": frozenset(),
    "rejected": frozenset(),
}
DONE: Final = frozenset({"resolved", "closed", "rejected"})  # the resolution clock has stopped
FINAL: Final = frozenset({"closed", "rejected"})  # nothing changes any more


def check_move(before: str, after: str) -> None:
    """Refuse a move the workflow does not have (``resolved → new``, anything out of ``closed``)."""
    for status in (before, after):
        if status not in STATUSES:
            raise TicketError(f"unknown status {status!r}; known: {', '.join(STATUSES)}",
                              code="unknown_status", status=status)
    if after != before and after not in MOVES[before]:
        raise TicketError(f"a ticket cannot go from {before!r} to {after!r}", code="bad_move",
                          before=before, after=after)


def after_subscriber_message(status: str) -> str:
    """The status a ticket takes when the subscriber writes (pending or resolved: open again)."""
    if status in ("pending_subscriber", "pending_carrier", "resolved"):
        return "open"
    return status

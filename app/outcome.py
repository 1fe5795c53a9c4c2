"""One way to carry out a person's action from a view: commit on success, roll back and say why
on refusal.

Operations raise a subclass of :class:`Refused` (with a Russian message) when the input is not
acceptable; :func:`perform` turns that into a flash message and leaves nothing half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import flash

from app.extensions import db

T = TypeVar("T")


class Refused(ValueError):
    """An operation refused its input; the message is Russian and shown to people as is."""


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What became of an action: true when it was done; ``value`` is the operation's result."""

    done: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.done


def perform(action: Callable[[], T], success: str | Callable[[Any], str] | None = None) -> Outcome[T]:
    """Run ``action``; commit and flash ``success``, or roll back and flash the refusal.

    :param action: the operation to run (takes no arguments; use a lambda).
    :param success: message for a done action, or a function of the action's result.
    """
    try:
        result = action()
    except Refused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return Outcome(False)
    db.session.commit()
    if success is not None:
        flash(success(result) if callable(success) else success, "success")
    return Outcome(True, result)

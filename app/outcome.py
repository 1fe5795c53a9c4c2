"""One way to carry out a person's action from a view: commit on success, roll back and say why
on refusal.

Operations raise a subclass of :class:`Refused` (with a Russian message) when the input is not
acceptable; :func:`perform` turns that into a flash message (or, for a fragment that shows the
error in place, hands it back in the :class:`Outcome`) and leaves nothing half-written. This is
the one place a view's transaction is committed or rolled back. The refusals of the app::

    Refused                      app.outcome            the root: a ValueError, message in Russian
    ├── UserError                app.users              accounts, passwords, API keys
    ├── ListeningError           app.listening          listening assignments
    ├── IngestError              app.calls.operations   a recording or its metadata (``code``)
    ├── QaError                  app.qa.operations      verdicts, disputes, ratings, scorecards
    │   └── Conflict             app.qa.operations      a verdict changed since the page loaded
    ├── BankError                app.exams.bank         question banks, GIFT import
    ├── ExamFlowError            app.exams.errors       exams, attempts, admission
    │   └── ScoresRefused        app.exams.queries      hand-grading scores out of range
    ├── GamesOperationError      app.games.operations   ledger, rule sets, challenges, settings
    ├── BoardError               app.games.queries      leaderboard parameters
    └── ArticleFlowError         app.kb.operations      knowledge-base articles

The pure domain packages (``games``, ``scoring``, ``training``, ``speech``, ``exams``) raise
their own errors with a ``code``; an operation that lets a person see one words it with
:func:`app.wording.say` and raises its area's refusal with that sentence.
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
    """What became of an action: true when it was done; ``value`` is the operation's result,
    ``refusal`` the :class:`Refused` it raised when it was not done."""

    done: bool
    value: T | None = None
    refusal: Refused | None = None

    def __bool__(self) -> bool:
        return self.done

    @property
    def message(self) -> str | None:
        """The refusal's Russian message, or ``None`` when the action was done."""
        return None if self.refusal is None else str(self.refusal)


def perform(
    action: Callable[[], T],
    success: str | Callable[[Any], str] | None = None,
    *,
    quiet: bool = False,
) -> Outcome[T]:
    """Run ``action``; commit and flash ``success``, or roll back and flash the refusal.

    :param action: the operation to run (takes no arguments; use a lambda).
    :param success: message for a done action, or a function of the action's result.
    :param quiet: do not flash the refusal: the caller shows ``Outcome.message`` itself (an
        htmx fragment, a form error, a JSON body).
    """
    try:
        result = action()
    except Refused as exc:
        db.session.rollback()
        if not quiet:
            flash(str(exc), "error")
        return Outcome(False, refusal=exc)
    db.session.commit()
    if success is not None:
        flash(success(result) if callable(success) else success, "success")
    return Outcome(True, result)

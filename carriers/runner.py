"""Carrying out one operation at a carrier, safely when it is retried.

One attempt (:func:`carry_out`): read the line; if an earlier submission of this operation
exists (found by the idempotency key, or — for a carrier that takes none — by the line already
showing it), follow that one; if the line already shows the change and nothing was submitted,
there is nothing to do; otherwise submit. Then poll until the carrier says it is final. A
timeout anywhere raises :class:`~carriers.protocol.CarrierUnavailable` and the caller (the job)
tries again later with the same key — which is why nothing is ever applied twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from .protocol import Adapter, CarrierUnavailable, Line, Operation, Submission


@dataclass(frozen=True)
class Result:
    submission: Submission
    before: Line
    after: Line
    submitted: bool  # False: an earlier submission was followed, or nothing needed doing


def carry_out(adapter: Adapter, operation: Operation, key: str, *, wait_s: float = 30.0,
              poll_s: float = 0.2, sleep: Callable[[float], None] = time.sleep,
              clock: Callable[[], float] = time.monotonic) -> Result:
    """One attempt at ``operation`` under ``key`` (the same key on every retry).

    :raises CarrierUnavailable: no usable answer, or still in progress after ``wait_s``.
    :raises CarrierError: the carrier refused.
    """
    before = adapter.get_line(operation.phone)
    submission = adapter.find(operation, key)
    submitted = False
    if submission is None and operation.done_in(before):
        submission = Submission("done", None, "the line already shows it")
    elif submission is None:
        submission = adapter.submit(operation, key)
        submitted = True
    deadline = clock() + wait_s
    while submission.state == "pending":
        if clock() >= deadline:
            raise CarrierUnavailable(f"{adapter.code}: still in progress after {wait_s:g} s",
                                     code="carrier_pending", carrier=adapter.code,
                                     reference=submission.reference)
        sleep(poll_s)
        submission = adapter.status(submission.reference)
    return Result(submission, before, adapter.get_line(operation.phone), submitted)

"""Errors of the workforce package: one root, with a ``code`` and the offending ``field``."""

from __future__ import annotations

from typing import Any


class WorkforceError(Exception):
    """Root of the package's errors::

        WorkforceError
        └── StaffingError   inputs no staffing can be computed from
    """

    def __init__(self, message: str, *, code: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class StaffingError(WorkforceError):
    """The traffic, handling time, target or limits cannot be staffed as given."""

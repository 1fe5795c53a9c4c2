"""The refusal of every exam action."""

from __future__ import annotations

from app.outcome import Refused


class ExamFlowError(Refused):
    """An exam action was refused; the message (Russian) says why and what to do."""

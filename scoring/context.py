"""Per-deployment facts the detectors need: company names, operator, stop-words, hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import DEFAULT_FORBIDDEN
from .phrases import PhraseSet, compile_phrases


@lru_cache(maxsize=1)
def default_forbidden() -> PhraseSet:
    """The built-in stop-word list, compiled once per process."""
    return compile_phrases(DEFAULT_FORBIDDEN)


@dataclass(frozen=True)
class Context:
    """What :func:`scoring.evaluate` knows beyond the call itself.

    :param company_names: how the company may be named in the greeting (any of them).
    :param operator_name: the operator's first name when known; otherwise any first name
        in the greeting counts.
    :param forbidden: the stop-word list compiled with :func:`scoring.compile_phrases`.
    :param hold_threshold: seconds of shared silence that count as a hold.
    :param subscriber_name: the subscriber's first name, when known (a chat's «addressed by name»).
    """

    company_names: tuple[str, ...] = ("мтсеть", "мт сеть")
    operator_name: str | None = None
    forbidden: PhraseSet = field(default_factory=default_forbidden)
    hold_threshold: float = 10.0
    subscriber_name: str | None = None  # the subscriber's first name, for a chat's «addressed by name»

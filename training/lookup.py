"""How well operators find answers in the knowledge base."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

PROMISE_SECONDS = 30
"""The card's promise: an operator finds the answer within 30 seconds of searching."""

TYPING_SECONDS = 60
"""How long after a lookup's first search a refined query still counts as the same lookup."""

LookupEvent = tuple[str, str, datetime, datetime | None, bool]
"""``(user, query, searched_at, opened_at or None, found)``: one search and the first article
opened from its results."""


@dataclass(frozen=True)
class Stats:
    """Knowledge-base lookup statistics.

    :param searches: number of searches.
    :param median_seconds_to_open: median time from a search to opening an article, over
        searches that led to one; None when none did.
    :param zero_result_queries: queries that found nothing, as ``(query, count)``, most frequent
        first, then alphabetically (queries compared lowercased, ``ё`` as ``е``, spaces
        collapsed).
    :param opened: searches that led to an article.
    :param within_promise: of those, how many opened it within :data:`PROMISE_SECONDS`.
    :param p90_seconds_to_open: the 90th percentile of the time to open (nearest rank); None
        when no search led to an article.
    """

    searches: int
    median_seconds_to_open: float | None
    zero_result_queries: list[tuple[str, int]]
    opened: int = 0
    within_promise: int = 0
    p90_seconds_to_open: float | None = None

    @property
    def promise_share(self) -> float | None:
        """The share of opened searches that kept the 30-second promise (None: none opened)."""
        return self.within_promise / self.opened if self.opened else None


def _key(query: str) -> str:
    return " ".join(query.lower().replace("ё", "е").split())


def continues(previous: str, query: str) -> bool:
    """Whether ``query`` goes on typing (or erasing) ``previous``: one is the other's beginning,
    compared lowercased, ``ё`` as ``е``, spaces collapsed. Search as you type then counts as
    one lookup, not one per keystroke («з», «за», «зам»…)."""
    before, now = _key(previous), _key(query)
    return bool(before and now) and (now.startswith(before) or before.startswith(now))


def lookup_stats(events: Iterable[LookupEvent]) -> Stats:
    """Summarise search events; an article opened *before* its search is ignored."""
    searches = 0
    delays = []
    missing: Counter[str] = Counter()
    for _user, query, searched_at, opened_at, found in events:
        searches += 1
        if opened_at is not None and opened_at >= searched_at:
            delays.append((opened_at - searched_at).total_seconds())
        if not found and _key(query):
            missing[_key(query)] += 1
    median = statistics.median(delays) if delays else None
    ranked = sorted(missing.items(), key=lambda item: (-item[1], item[0]))
    ordered = sorted(delays)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)] if ordered else None
    within = sum(1 for d in delays if d <= PROMISE_SECONDS)
    return Stats(searches, median, ranked, len(delays), within, p90)

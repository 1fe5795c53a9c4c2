"""How well operators find answers in the knowledge base."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

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
    """

    searches: int
    median_seconds_to_open: float | None
    zero_result_queries: list[tuple[str, int]]


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
    return Stats(searches, median, ranked)

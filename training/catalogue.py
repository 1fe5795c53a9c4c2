"""The demo knowledge base: about forty articles for the three carriers and common service rules.

Written like the centre's internal wiki. Tariffs, options, prices and terms are invented
(«цены вымышленные»); APN settings are the carriers' public ones. The app seeds these into
the database on ``ulybka demo`` and upserts by :attr:`Article.slug`.
"""

from __future__ import annotations

from .article import Article
from .catalogue_carriers import CARRIER_ARTICLES
from .catalogue_service import SERVICE_ARTICLES

ARTICLES: tuple[Article, ...] = CARRIER_ARTICLES + SERVICE_ARTICLES


def articles_for(carrier: str | None) -> tuple[Article, ...]:
    """Articles a carrier's operators see: that carrier's and the common ones (carrier None).

    :param carrier: ``mts``, ``megafon``, ``beeline``; None for the common articles only.
    """
    return tuple(a for a in ARTICLES if a.carrier is None or a.carrier == carrier)

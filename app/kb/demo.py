"""Demo data of the knowledge base: the catalogue articles (tariffs, options, roaming, devices)."""

from __future__ import annotations

import random
from typing import Any

from app.kb.operations import seed_catalogue


def seed_kb_demo(rng: random.Random) -> dict[str, Any]:
    return {"kb_articles": seed_catalogue()}

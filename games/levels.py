"""Levels: a title for an operator's lifetime points.

The ladder is a tuple of ``(floor, title)`` pairs with strictly increasing floors starting
at 0. Lifetime points below zero (possible after penalties) stay on level 1 with no progress.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .errors import ProgressionError

LADDER: tuple[tuple[int, str], ...] = (
    (0, "Стажёр"),
    (500, "Консультант"),
    (1_500, "Специалист"),
    (4_000, "Эксперт"),
    (8_000, "Наставник"),
    (15_000, "Мастер сервиса"),
    (30_000, "Легенда линии"),
)


@dataclass(frozen=True)
class Level:
    """Where lifetime points put an operator.

    :param number: 1-based level number.
    :param title: Russian title.
    :param floor: points at which this level starts.
    :param next_floor: points at which the next level starts, ``None`` on the top level.
    :param progress: share of the way from ``floor`` to ``next_floor``, 0..1 (1 on top).
    """

    number: int
    title: str
    floor: int
    next_floor: int | None
    progress: float


def check_ladder(ladder: Sequence[tuple[int, str]]) -> None:
    """Raise :class:`ProgressionError` unless floors start at 0 and strictly increase.

    :param ladder: ``(floor, title)`` pairs.
    """
    if not ladder or ladder[0][0] != 0:
        raise ProgressionError(
            "лестница уровней должна начинаться с порога 0", code="ladder_not_from_zero"
        )
    floors = [floor for floor, _ in ladder]
    if any(b <= a for a, b in zip(floors, floors[1:], strict=False)):
        raise ProgressionError(
            f"пороги уровней должны строго возрастать, получено {floors}",
            code="ladder_not_increasing",
            floors=tuple(floors),
        )


def level_for(points: int, ladder: Sequence[tuple[int, str]] = LADDER) -> Level:
    """Return the level for lifetime ``points``.

    :param points: the operator's lifetime ledger sum.
    :param ladder: ``(floor, title)`` pairs, :data:`LADDER` by default.
    """
    check_ladder(ladder)
    index = max(i for i, (floor, _) in enumerate(ladder) if points >= floor or i == 0)
    floor, title = ladder[index]
    if index + 1 == len(ladder):
        return Level(index + 1, title, floor, None, 1.0)
    next_floor = ladder[index + 1][0]
    progress = min(1.0, max(0.0, (points - floor) / (next_floor - floor)))
    return Level(index + 1, title, floor, next_floor, progress)

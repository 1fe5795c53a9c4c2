"""Challenges: time-boxed goals for one operator each (personal) or for teams.

A :class:`Challenge` is checked when built. The app measures the challenge's ``metric`` for
each participant (operator login or team name) inside ``[starts_at, ends_at)`` and passes
the numbers to :func:`progress` / :func:`winners`; metrics are registered in
:data:`METRICS` with their Russian titles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .clock import require_aware
from .errors import ChallengeError, ClockError

KINDS: dict[str, str] = {"personal": "Личный", "team": "Командный"}

METRICS: dict[str, str] = {
    "points": "Баллы",
    "calls": "Обработанные звонки",
    "five_star_ratings": "Оценки «5 из 5»",
    "listening": "Задания на прослушку",
    "tickets_within_sla": "Заявки в срок SLA",
    "standard_met": "Звонки с соблюдённым стандартом",
}


@dataclass(frozen=True)
class Challenge:
    """A challenge definition.

    :param key: stable identifier.
    :param title: Russian title.
    :param kind: ``personal`` or ``team``.
    :param metric: a key of :data:`METRICS`.
    :param target: value that completes the challenge, > 0.
    :param starts_at: start, tz-aware, inclusive.
    :param ends_at: end, tz-aware, exclusive, after ``starts_at``.
    """

    key: str
    title: str
    kind: str
    metric: str
    target: float
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ChallengeError(
                "у челленджа должен быть непустой ключ", code="challenge_without_key"
            )
        if not isinstance(self.title, str) or not self.title.strip():
            raise ChallengeError(
                f"челлендж «{self.key}»: нужно название",
                code="challenge_without_title",
                key=self.key,
            )
        if self.kind not in KINDS:
            raise ChallengeError(
                f"челлендж «{self.key}»: вид {self.kind!r} неизвестен; допустимые: "
                + ", ".join(KINDS),
                code="unknown_challenge_kind",
                key=self.key,
                kind=self.kind,
                accepted=tuple(KINDS),
            )
        if self.metric not in METRICS:
            raise ChallengeError(
                f"челлендж «{self.key}»: показатель {self.metric!r} неизвестен; допустимые: "
                + ", ".join(METRICS),
                code="unknown_challenge_metric",
                key=self.key,
                metric=self.metric,
                accepted=tuple(METRICS),
            )
        target = self.target
        if isinstance(target, bool) or not isinstance(target, int | float) or target <= 0:
            raise ChallengeError(
                f"челлендж «{self.key}»: цель должна быть > 0, получено {target!r}",
                code="challenge_target_not_positive",
                key=self.key,
                target=target,
            )
        try:
            require_aware(self.starts_at, "начало челленджа")
            require_aware(self.ends_at, "окончание челленджа")
        except ClockError as error:
            raise ChallengeError(
                f"челлендж «{self.key}»: {error}",
                code="challenge_time_without_zone",
                key=self.key,
                what=error.params.get("what", ""),
            ) from None
        if self.ends_at <= self.starts_at:
            raise ChallengeError(
                f"челлендж «{self.key}»: окончание {self.ends_at.isoformat()} должно быть "
                f"позже начала {self.starts_at.isoformat()}",
                code="challenge_ends_before_start",
                key=self.key,
                starts_at=self.starts_at,
                ends_at=self.ends_at,
            )

    def contains(self, moment: datetime) -> bool:
        """Tell whether ``moment`` lies in ``[starts_at, ends_at)``.

        :param moment: a tz-aware datetime.
        """
        return self.starts_at <= require_aware(moment) < self.ends_at

    def is_over(self, now: datetime) -> bool:
        """Tell whether the challenge has ended at ``now``.

        :param now: the current time, tz-aware.
        """
        return require_aware(now) >= self.ends_at


@dataclass(frozen=True)
class Progress:
    """One participant's progress.

    :param participant: operator login (personal) or team name (team).
    :param value: the measured metric.
    :param share: ``value / target`` clipped to 0..1.
    :param done: whether the target is reached.
    """

    participant: str
    value: float
    share: float
    done: bool


def progress(challenge: Challenge, values: Mapping[str, float]) -> list[Progress]:
    """Return every participant's progress, best first (ties by participant name).

    :param challenge: the challenge.
    :param values: {participant: measured metric inside the challenge window}.
    """
    rows = []
    for participant, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ChallengeError(
                f"челлендж «{challenge.key}»: значение участника {participant} должно быть "
                f"числом, получено {value!r}",
                code="challenge_value_not_number",
                key=challenge.key,
                participant=participant,
                value=value,
            )
        share = min(1.0, max(0.0, value / challenge.target))
        rows.append(Progress(participant, value, share, value >= challenge.target))
    return sorted(rows, key=lambda row: (-row.value, row.participant))


def winners(challenge: Challenge, values: Mapping[str, float]) -> list[Progress]:
    """Return the participants who reached the target, best first.

    Reaching the target is winning: everyone who made it wins, not only the first.

    :param challenge: the challenge.
    :param values: {participant: measured metric inside the challenge window}.
    """
    return [row for row in progress(challenge, values) if row.done]

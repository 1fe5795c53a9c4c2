"""Badges: tiered achievements (bronze, silver, gold), each tier earned once.

A :class:`Badge` names a *badge rule kind* from :data:`BADGE_RULES` (stored as a string,
so managers can add badges of existing kinds without code) with its params and tier
thresholds. The rule measures one number from an :class:`OperatorHistory` (the operator's
events, see :mod:`games.events`); every tier whose threshold the number reaches is earned.
:func:`evaluate_badges` returns only tiers missing from ``earned``, so calling it again
with the result added returns nothing (idempotent; the ``(operator, badge_key, tier)``
unique key in the database backs this up).

Icons: ``app/static/badges/<key>.svg``, 64x64, drawn on a transparent outer ring. The app
shows the tier by putting the icon on a tier-coloured disc with the CSS classes of
``app/static/badges/badges.css`` (``badge-icon badge-icon--bronze|silver|gold|locked``);
the same colours are in :data:`TIER_COLOURS` for charts and e-mails.

Badge rule kinds (all count in chronological order; calls with a verdict of ``None`` for
the standard are skipped, they neither count nor break a run):

================= ==========================================================================
consecutive_met   longest run of calls with ``verdicts[standard]`` true
clean_days        longest run of worked Moscow days (days with an applicable verdict) without
                  ``verdicts[standard]`` false; days without calls neither count nor break
certifications    passed certifications with ``percent`` >= ``min_percent``
count             events of ``source_kind`` whose payload matches every item of ``where``
night_calls       calls between ``start_hour`` and ``end_hour`` Moscow time (wraps past
                  midnight when start > end) scored at least ``min_score``
================= ==========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .clock import moscow_day, to_moscow
from .errors import BadgeError
from .events import SOURCE_KINDS, Event
from .russian import plural

TIERS: tuple[str, ...] = ("bronze", "silver", "gold")
TIER_TITLES: dict[str, str] = {"bronze": "бронза", "silver": "серебро", "gold": "золото"}
TIER_COLOURS: dict[str, str] = {"bronze": "#c07a3e", "silver": "#a7b1bd", "gold": "#e2b233"}


@dataclass(frozen=True)
class OperatorHistory:
    """Everything badge rules look at for one operator.

    :param operator: the operator's login.
    :param events: the operator's events in any order; one per ``(source_kind, source_id)``
        (the last one wins), carrying the current verdicts after disputes.
    """

    operator: str
    events: tuple[Event, ...] = ()

    def __post_init__(self) -> None:
        strangers = sorted({e.operator for e in self.events if e.operator != self.operator})
        if strangers:
            raise BadgeError(
                f"история оператора {self.operator} содержит события других операторов: "
                + ", ".join(strangers),
                code="foreign_events",
                operator=self.operator,
                strangers=tuple(strangers),
            )
        unique = {event.key: event for event in self.events}
        ordered = sorted(unique.values(), key=lambda e: (e.occurred_at, e.source_id))
        object.__setattr__(self, "events", tuple(ordered))

    def of(self, source_kind: str) -> list[Event]:
        """Return the events of one source kind, oldest first.

        :param source_kind: an event source kind.
        """
        return [event for event in self.events if event.source_kind == source_kind]


@dataclass(frozen=True)
class Tier:
    """A badge tier: its name (bronze/silver/gold) and the threshold that earns it."""

    name: str
    threshold: int


@dataclass(frozen=True)
class Badge:
    """A badge definition.

    :param key: stable identifier, also the icon's file name stem.
    :param name: Russian name.
    :param description: Russian description for the badge page.
    :param rule: a key of :data:`BADGE_RULES`.
    :param params: the rule's params.
    :param tiers: tiers in order with strictly increasing thresholds.
    :param goal: Russian reason text with ``{count}``, e.g. ``в {count} подряд``.
    :param unit: the counted noun's forms for 1, 2 and 5 (``звонке, звонках, звонках``).
    """

    key: str
    name: str
    description: str
    rule: str
    params: Mapping[str, Any]
    tiers: tuple[Tier, ...]
    goal: str
    unit: tuple[str, str, str]
    icon: str = field(default="")

    def __post_init__(self) -> None:
        if not self.icon:
            object.__setattr__(self, "icon", f"{self.key}.svg")


@dataclass(frozen=True)
class BadgeAward:
    """A newly earned badge tier.

    :param badge_key: the badge.
    :param tier: ``bronze``, ``silver`` or ``gold``.
    :param reason: Russian text for the operator.
    """

    badge_key: str
    tier: str
    reason: str


@dataclass(frozen=True)
class BadgeProgress:
    """How far an operator is on one badge (for the badge page)."""

    badge_key: str
    value: int
    tier: str | None
    next_tier: str | None
    next_threshold: int | None


def _verdict_runs(history: OperatorHistory, params: Mapping[str, Any]) -> int:
    best = run = 0
    for event in history.of("call"):
        verdict = event.payload.get("verdicts", {}).get(params["standard"])
        if verdict is None:
            continue
        run = run + 1 if verdict else 0
        best = max(best, run)
    return best


def _clean_days(history: OperatorHistory, params: Mapping[str, Any]) -> int:
    days: dict[Any, bool] = {}
    for event in history.of("call"):
        verdict = event.payload.get("verdicts", {}).get(params["standard"])
        if verdict is not None:
            day = moscow_day(event.occurred_at)
            days[day] = days.get(day, True) and verdict
    best = run = 0
    for day in sorted(days):
        run = run + 1 if days[day] else 0
        best = max(best, run)
    return best


def _certifications(history: OperatorHistory, params: Mapping[str, Any]) -> int:
    return sum(
        1
        for event in history.of("certification")
        if event.payload["passed"] and event.payload.get("percent", -1) >= params["min_percent"]
    )


def _count(history: OperatorHistory, params: Mapping[str, Any]) -> int:
    where = params.get("where", {})
    return sum(
        1
        for event in history.of(params["source_kind"])
        if all(event.payload.get(key) == value for key, value in where.items())
    )


def _night_calls(history: OperatorHistory, params: Mapping[str, Any]) -> int:
    start, end = params["start_hour"], params["end_hour"]

    def at_night(hour: int) -> bool:
        return start <= hour < end if start < end else hour >= start or hour < end

    return sum(
        1
        for event in history.of("call")
        if at_night(to_moscow(event.occurred_at).hour)
        and event.payload["score"] >= params.get("min_score", 0)
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _need_standard(params: Mapping[str, Any]) -> list[str]:
    standard = params.get("standard")
    ok = isinstance(standard, str) and standard
    return [] if ok else [f"«standard» должен быть ключом стандарта, получено {standard!r}"]


def _need_range(params: Mapping[str, Any], key: str, low: int, high: int) -> list[str]:
    value = params.get(key)
    if not _is_int(value) or not low <= value <= high:
        return [f"«{key}» должно быть целым {low}..{high}, получено {value!r}"]
    return []


def _need_count(params: Mapping[str, Any]) -> list[str]:
    problems = []
    if params.get("source_kind") not in SOURCE_KINDS:
        problems.append(
            f"«source_kind» должен быть одним из {', '.join(sorted(SOURCE_KINDS))}, "
            f"получено {params.get('source_kind')!r}"
        )
    if not isinstance(params.get("where", {}), Mapping):
        problems.append("«where» должен быть словарём {поле: значение}")
    return problems


def _need_night(params: Mapping[str, Any]) -> list[str]:
    problems = _need_range(params, "start_hour", 0, 23) + _need_range(params, "end_hour", 0, 23)
    if not problems and params["start_hour"] == params["end_hour"]:
        problems.append("start_hour и end_hour не должны совпадать")
    if "min_score" in params:
        problems += _need_range(params, "min_score", 0, 100)
    return problems


@dataclass(frozen=True)
class BadgeRule:
    """A registered badge rule kind: params check and the measured number."""

    check: Callable[[Mapping[str, Any]], list[str]]
    measure: Callable[[OperatorHistory, Mapping[str, Any]], int]


BADGE_RULES: dict[str, BadgeRule] = {
    "consecutive_met": BadgeRule(_need_standard, _verdict_runs),
    "clean_days": BadgeRule(_need_standard, _clean_days),
    "certifications": BadgeRule(lambda p: _need_range(p, "min_percent", 0, 100), _certifications),
    "count": BadgeRule(_need_count, _count),
    "night_calls": BadgeRule(_need_night, _night_calls),
}


def _badge_problems(badge: Badge) -> list[str]:
    problems = []
    rule = BADGE_RULES.get(badge.rule)
    if rule is None:
        known = ", ".join(sorted(BADGE_RULES))
        problems.append(f"неизвестное правило {badge.rule!r}; допустимые: {known}")
    elif not isinstance(badge.params, Mapping):
        problems.append("params должен быть словарём")
    else:
        problems += rule.check(badge.params)
    names = [tier.name for tier in badge.tiers]
    if not names or names != list(TIERS[: len(names)]):
        problems.append(f"уровни должны идти как {', '.join(TIERS)} (с начала), получено {names}")
    thresholds = [tier.threshold for tier in badge.tiers]
    if not all(_is_int(t) and t > 0 for t in thresholds) or any(
        b <= a for a, b in zip(thresholds, thresholds[1:], strict=False)
    ):
        problems.append(f"пороги должны быть целыми > 0 и строго возрастать: {thresholds}")
    if "{count}" not in badge.goal:
        problems.append("в тексте цели нет {count}")
    return [f"значок «{badge.key}»: {problem}" for problem in problems]


def validate_catalogue(catalogue: Sequence[Badge]) -> Sequence[Badge]:
    """Return ``catalogue`` or raise :class:`BadgeError` listing every problem.

    :param catalogue: badge definitions.
    """
    problems = []
    keys = [badge.key for badge in catalogue]
    problems += [
        f"ключ значка «{key}» повторяется" for key in sorted(set(keys)) if keys.count(key) > 1
    ]
    for badge in catalogue:
        problems += _badge_problems(badge)
    if problems:
        raise BadgeError(
            "; ".join(problems), code="badge_problems", problems=tuple(problems)
        )
    return catalogue


def _measure(history: OperatorHistory, badge: Badge) -> int:
    return BADGE_RULES[badge.rule].measure(history, badge.params)


def _reason(badge: Badge, tier: Tier) -> str:
    count = f"{tier.threshold} {plural(tier.threshold, badge.unit)}"
    return f"«{badge.name}», {TIER_TITLES[tier.name]}: {badge.goal.format(count=count)}"


def evaluate_badges(
    history: OperatorHistory,
    catalogue: Sequence[Badge],
    earned: Collection[tuple[str, str]] = frozenset(),
) -> list[BadgeAward]:
    """Return the badge tiers the history earns that are not in ``earned`` yet.

    Jumping past several thresholds at once earns every tier passed, lowest first.

    :param history: the operator's events.
    :param catalogue: badge definitions (validated first).
    :param earned: ``(badge_key, tier)`` pairs the operator already holds.
    """
    validate_catalogue(catalogue)
    held = set(earned)
    awards = []
    for badge in catalogue:
        value = _measure(history, badge)
        awards += [
            BadgeAward(badge.key, tier.name, _reason(badge, tier))
            for tier in badge.tiers
            if value >= tier.threshold and (badge.key, tier.name) not in held
        ]
    return awards


def badge_progress(history: OperatorHistory, catalogue: Iterable[Badge]) -> list[BadgeProgress]:
    """Return, per badge, the measured value, the highest tier reached and the next one.

    :param history: the operator's events.
    :param catalogue: badge definitions.
    """
    catalogue = validate_catalogue(list(catalogue))
    result = []
    for badge in catalogue:
        value = _measure(history, badge)
        reached = [tier for tier in badge.tiers if value >= tier.threshold]
        pending = [tier for tier in badge.tiers if value < tier.threshold]
        result.append(
            BadgeProgress(
                badge.key,
                value,
                reached[-1].name if reached else None,
                pending[0].name if pending else None,
                pending[0].threshold if pending else None,
            )
        )
    return result


def _tiers(bronze: int, silver: int, gold: int) -> tuple[Tier, ...]:
    return (Tier("bronze", bronze), Tier("silver", silver), Tier("gold", gold))


def default_catalogue() -> tuple[Badge, ...]:
    """Return the shipped badges; each has an icon in ``app/static/badges/``."""
    calls_in = ("звонке", "звонках", "звонках")
    return (
        Badge(
            "voice_smile",
            "Голос с улыбкой",
            "Эмпатия соблюдена в 20, 50 и 100 звонках подряд.",
            "consecutive_met",
            {"standard": "empathy"},
            _tiers(20, 50, 100),
            "эмпатия соблюдена в {count} подряд",
            calls_in,
        ),
        Badge(
            "no_stop_words",
            "Без стоп-слов",
            "Ни одного стоп-слова 7, 30 и 90 рабочих дней подряд.",
            "clean_days",
            {"standard": "forbidden_words"},
            _tiers(7, 30, 90),
            "{count} подряд без стоп-слов",
            ("рабочий день", "рабочих дня", "рабочих дней"),
        ),
        Badge(
            "cert_ace",
            "Отличник аттестации",
            "Аттестация сдана на 95% и выше: 1, 3 и 5 раз.",
            "certifications",
            {"min_percent": 95},
            _tiers(1, 3, 5),
            "аттестация сдана на 95% и выше {count}",
            ("раз", "раза", "раз"),
        ),
        Badge(
            "listener",
            "Слушатель",
            "Выполнено 10, 30 и 100 заданий на прослушку.",
            "count",
            {"source_kind": "listening"},
            _tiers(10, 30, 100),
            "выполнено {count} на прослушку",
            ("задание", "задания", "заданий"),
        ),
        Badge(
            "fixer",
            "Решала",
            "Вопрос абонента решён в 10, 25 и 50 звонках подряд.",
            "consecutive_met",
            {"standard": "resolution"},
            _tiers(10, 25, 50),
            "вопрос абонента решён в {count} подряд",
            calls_in,
        ),
        Badge(
            "favourite",
            "Любимец абонентов",
            "Получено 10, 50 и 150 оценок «5 из 5» от абонентов.",
            "count",
            {"source_kind": "rating", "where": {"stars": 5}},
            _tiers(10, 50, 150),
            "получено {count} «5 из 5»",
            ("оценка", "оценки", "оценок"),
        ),
        Badge(
            "night_watch",
            "Ночной дозор",
            "10, 50 и 150 звонков с 00:00 до 06:00 по Москве с оценкой от 75.",
            "night_calls",
            {"start_hour": 0, "end_hour": 6, "min_score": 75},
            _tiers(10, 50, 150),
            "{count} с 00:00 до 06:00 по Москве с оценкой от 75",
            ("ночной звонок", "ночных звонка", "ночных звонков"),
        ),
        Badge(
            "on_time",
            "Точно в срок",
            "25, 100 и 300 заявок решено в срок SLA.",
            "count",
            {"source_kind": "ticket", "where": {"resolved_within_sla": True}},
            _tiers(25, 100, 300),
            "{count} в срок SLA",
            ("заявка решена", "заявки решены", "заявок решено"),
        ),
    )

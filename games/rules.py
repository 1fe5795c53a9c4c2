"""Points rules: what each event earns, editable by managers and versioned.

A :class:`RuleSet` is a version number, an ordered list of :class:`Rule` s, daily caps per
source kind and the shortest call that can earn anything. Each rule has a stable ``key``
(part of the ledger's unique key, so keep it when editing) and a ``kind`` looked up in
:data:`RULE_KINDS`; the kind says which event source it reacts to, how its ``params`` are
checked and what it awards. Adding a rule kind is one registry entry, no if/elif.

Rule kinds and their params:

======================= =============== ===================================================
kind                    source          params
======================= =============== ===================================================
call_score_band         call            ``bands``: [{min, max, points}], inclusive whole
                                        scores 0..100, must not overlap; the call score is
                                        rounded half up before the lookup
standard_met            call            ``weights``: {standard key: points} per standard
                                        met (verdict True); not applicable earns nothing
critical_violation      call            ``points`` < 0 when ``critical_violation`` is true
rating_stars            rating          ``min_stars`` 1..5, ``points`` > 0
listening_completed     listening       ``points`` > 0
certification_passed    certification   ``points`` > 0
ticket_within_sla       ticket          ``points`` > 0
======================= =============== ===================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import RuleSetError
from .events import SOURCE_KINDS, Event
from .russian import points_text, standard_title

RULE_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True)
class Draft:
    """Points a rule proposes for an event, before daily caps are applied."""

    rule_key: str
    points: int
    reason: str


@dataclass(frozen=True)
class Rule:
    """One editable points rule.

    :param key: stable identifier (``[a-z][a-z0-9_]*``), unique in its rule set.
    :param kind: a key of :data:`RULE_KINDS`.
    :param params: the kind's parameters (see the module docstring).
    """

    key: str
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_points(params: Mapping[str, Any], *, negative: bool = False) -> list[str]:
    value = params.get("points")
    if not _is_int(value):
        return [f"«points» должно быть целым числом, получено {value!r}"]
    if negative and value >= 0:
        return [f"штраф «points» должен быть отрицательным, получено {value}"]
    if not negative and value <= 0:
        return [f"«points» должно быть больше нуля, получено {value}"]
    return []


def _check_bands(params: Mapping[str, Any]) -> list[str]:
    bands = params.get("bands")
    if not isinstance(bands, list | tuple) or not bands:
        return ["«bands» должен быть непустым списком диапазонов {min, max, points}"]
    problems: list[str] = []
    ranges: list[tuple[int, int]] = []
    for number, band in enumerate(bands, 1):
        if not isinstance(band, Mapping) or not all(
            _is_int(band.get(name)) for name in ("min", "max", "points")
        ):
            problems.append(f"диапазон №{number}: нужны целые min, max и points, получено {band!r}")
            continue
        low, high = band["min"], band["max"]
        if not 0 <= low <= high <= 100:
            problems.append(f"диапазон №{number} {low}–{high}: нужно 0 <= min <= max <= 100")
            continue
        ranges.append((low, high))
    ranges.sort()
    for (low_a, high_a), (low_b, high_b) in zip(ranges, ranges[1:], strict=False):
        if low_b <= high_a:
            problems.append(f"диапазоны {low_a}–{high_a} и {low_b}–{high_b} пересекаются")
    return problems


def _check_weights(params: Mapping[str, Any]) -> list[str]:
    weights = params.get("weights")
    if not isinstance(weights, Mapping) or not weights:
        return ["«weights» должен быть непустым словарём {стандарт: баллы}"]
    return [
        f"вес стандарта «{key}» должен быть целым >= 0, получено {value!r}"
        for key, value in weights.items()
        if not isinstance(key, str) or not key or not _is_int(value) or value < 0
    ]


def _check_stars(params: Mapping[str, Any]) -> list[str]:
    problems = _check_points(params)
    stars = params.get("min_stars")
    if not _is_int(stars) or not 1 <= stars <= 5:
        problems.append(f"«min_stars» должно быть целым 1..5, получено {stars!r}")
    return problems


def round_score(score: float) -> int:
    """Round a call score half up to a whole point, as band lookups do (89.5 -> 90).

    :param score: the call score 0..100.
    """
    return int(Decimal(str(score)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _apply_bands(rule: Rule, event: Event) -> list[Draft]:
    score = round_score(event.payload["score"])
    for band in rule.params["bands"]:
        if band["min"] <= score <= band["max"]:
            if band["points"] == 0:
                return []
            reason = (
                f"Оценка звонка {score} — диапазон {band['min']}–{band['max']}: "
                f"{points_text(band['points'])}"
            )
            return [Draft(rule.key, band["points"], reason)]
    return []


def _apply_standards(rule: Rule, event: Event) -> list[Draft]:
    verdicts = event.payload.get("verdicts", {})
    return [
        Draft(
            f"{rule.key}:{standard}",
            weight,
            f"Стандарт «{standard_title(standard)}» соблюдён: {points_text(weight)}",
        )
        for standard, weight in rule.params["weights"].items()
        if weight > 0 and verdicts.get(standard) is True
    ]


def _apply_critical(rule: Rule, event: Event) -> list[Draft]:
    if not event.payload.get("critical_violation", False):
        return []
    points = rule.params["points"]
    return [Draft(rule.key, points, f"Критическое нарушение в звонке: {points_text(points)}")]


def _apply_stars(rule: Rule, event: Event) -> list[Draft]:
    stars = event.payload["stars"]
    if stars < rule.params["min_stars"]:
        return []
    points = rule.params["points"]
    return [Draft(rule.key, points, f"Оценка абонента {stars} из 5: {points_text(points)}")]


def _flat(flag: str | None, text: str) -> Callable[[Rule, Event], list[Draft]]:
    """Build an apply function that awards ``points`` when ``payload[flag]`` is true."""

    def apply(rule: Rule, event: Event) -> list[Draft]:
        if flag is not None and not event.payload.get(flag, True):
            return []
        points = rule.params["points"]
        return [Draft(rule.key, points, f"{text}: {points_text(points)}")]

    return apply


@dataclass(frozen=True)
class RuleKind:
    """A registered rule kind: the source it reacts to, its params check and its effect."""

    source_kind: str
    title: str
    check: Callable[[Mapping[str, Any]], list[str]]
    apply: Callable[[Rule, Event], list[Draft]]


RULE_KINDS: dict[str, RuleKind] = {
    "call_score_band": RuleKind("call", "Баллы за оценку звонка", _check_bands, _apply_bands),
    "standard_met": RuleKind(
        "call", "Баллы за соблюдённые стандарты", _check_weights, _apply_standards
    ),
    "critical_violation": RuleKind(
        "call",
        "Штраф за критическое нарушение",
        lambda params: _check_points(params, negative=True),
        _apply_critical,
    ),
    "rating_stars": RuleKind("rating", "Баллы за оценку абонента", _check_stars, _apply_stars),
    "listening_completed": RuleKind(
        "listening",
        "Баллы за прослушку",
        _check_points,
        _flat("completed", "Задание на прослушку выполнено"),
    ),
    "certification_passed": RuleKind(
        "certification",
        "Баллы за аттестацию",
        _check_points,
        _flat("passed", "Аттестация пройдена"),
    ),
    "ticket_within_sla": RuleKind(
        "ticket",
        "Баллы за заявку в срок",
        _check_points,
        _flat("resolved_within_sla", "Заявка решена в срок SLA"),
    ),
}


@dataclass(frozen=True)
class RuleSet:
    """A versioned, manager-editable set of points rules.

    :param version: positive version number; bump it on every edit.
    :param rules: the rules, applied in this order.
    :param daily_caps: {source kind: max positive points per operator per Moscow day};
        a kind without an entry is not capped.
    :param min_call_seconds: calls shorter than this earn nothing (and lose nothing).
    """

    version: int
    rules: tuple[Rule, ...]
    daily_caps: Mapping[str, int] = field(default_factory=dict)
    min_call_seconds: int = 0

    def validate(self) -> RuleSet:
        """Check the whole rule set and return it, or raise :class:`RuleSetError` listing
        every problem found."""
        problems: list[str] = []
        if not _is_int(self.version) or self.version < 1:
            problems.append(f"версия должна быть целым числом >= 1, получено {self.version!r}")
        if not _is_int(self.min_call_seconds) or self.min_call_seconds < 0:
            problems.append(
                f"min_call_seconds должно быть целым >= 0, получено {self.min_call_seconds!r}"
            )
        for kind, cap in self.daily_caps.items():
            if kind not in SOURCE_KINDS:
                problems.append(
                    f"дневной лимит для неизвестного источника {kind!r}; "
                    f"допустимые: {', '.join(sorted(SOURCE_KINDS))}"
                )
            elif not _is_int(cap) or cap < 0:
                problems.append(f"дневной лимит «{kind}» должен быть целым >= 0, получено {cap!r}")
        seen: set[str] = set()
        for rule in self.rules:
            problems += _rule_problems(rule, seen)
        if problems:
            raise RuleSetError(problems, code="rule_problems")
        return self

    def rules_for(self, source_kind: str) -> tuple[Rule, ...]:
        """Return the rules that react to events of ``source_kind``, in order.

        :param source_kind: an event source kind.
        """
        return tuple(r for r in self.rules if RULE_KINDS[r.kind].source_kind == source_kind)

    def to_dict(self) -> dict[str, Any]:
        """Return plain JSON-ready values; :meth:`from_dict` reads them back."""
        return {
            "version": self.version,
            "min_call_seconds": self.min_call_seconds,
            "daily_caps": dict(self.daily_caps),
            "rules": [
                {"key": r.key, "kind": r.kind, "params": _plain(r.params)} for r in self.rules
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleSet:
        """Build and validate a rule set from :meth:`to_dict` values (e.g. a JSON column).

        :param data: ``{version, min_call_seconds, daily_caps, rules: [{key, kind, params}]}``.
        """
        if not isinstance(data, Mapping):
            raise RuleSetError(
                f"ожидается словарь правил, получено {type(data).__name__}",
                code="rules_not_mapping",
                type=type(data).__name__,
            )
        missing = [name for name in ("version", "rules") if name not in data]
        if missing:
            raise RuleSetError(
                [f"нет поля «{name}»" for name in missing],
                code="missing_rules_fields",
                fields=tuple(missing),
            )
        raw_rules = data["rules"]
        if not isinstance(raw_rules, list | tuple):
            raise RuleSetError("«rules» должен быть списком", code="rules_not_list")
        rules = []
        for number, raw in enumerate(raw_rules, 1):
            if not isinstance(raw, Mapping) or "key" not in raw or "kind" not in raw:
                raise RuleSetError(
                    f"правило №{number}: нужны поля key, kind и params",
                    code="rule_without_fields",
                    number=number,
                )
            params = raw.get("params", {})
            if not isinstance(params, Mapping):
                raise RuleSetError(
                    f"правило «{raw['key']}»: params должен быть словарём",
                    code="rule_params_not_mapping",
                    key=raw["key"],
                )
            rules.append(Rule(raw["key"], raw["kind"], _plain(params)))
        caps = data.get("daily_caps", {})
        if not isinstance(caps, Mapping):
            raise RuleSetError(
                "«daily_caps» должен быть словарём {источник: лимит}", code="caps_not_mapping"
            )
        return cls(
            version=data["version"],
            rules=tuple(rules),
            daily_caps=dict(caps),
            min_call_seconds=data.get("min_call_seconds", 0),
        ).validate()


def _rule_problems(rule: Rule, seen: set[str]) -> list[str]:
    if not isinstance(rule.key, str) or not RULE_KEY.match(rule.key):
        return [f"ключ правила {rule.key!r}: только a-z, 0-9 и _, начиная с буквы"]
    if rule.key in seen:
        return [f"ключ правила «{rule.key}» повторяется"]
    seen.add(rule.key)
    kind = RULE_KINDS.get(rule.kind) if isinstance(rule.kind, str) else None
    if kind is None:
        known = ", ".join(sorted(RULE_KINDS))
        return [f"правило «{rule.key}»: неизвестный вид {rule.kind!r}; допустимые: {known}"]
    if not isinstance(rule.params, Mapping):
        return [f"правило «{rule.key}»: params должен быть словарём"]
    return [f"правило «{rule.key}»: {problem}" for problem in kind.check(rule.params)]


def _plain(value: Any) -> Any:
    """Deep-copy mappings and sequences into plain dicts and lists (JSON-ready)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


DEFAULT_WEIGHTS: dict[str, int] = {
    "empathy": 3,
    "resolution": 3,
    "no_interruption": 2,
    "forbidden_words": 2,
    "identification": 1,
    "greeting": 1,
    "closing": 1,
    "hold_etiquette": 1,
}


def default_ruleset() -> RuleSet:
    """Return the shipped rule set (version 1): what a fresh installation awards."""
    return RuleSet(
        version=1,
        rules=(
            Rule(
                "score_band",
                "call_score_band",
                {
                    "bands": [
                        {"min": 90, "max": 100, "points": 10},
                        {"min": 75, "max": 89, "points": 5},
                        {"min": 60, "max": 74, "points": 2},
                    ]
                },
            ),
            Rule("standards", "standard_met", {"weights": dict(DEFAULT_WEIGHTS)}),
            Rule("critical", "critical_violation", {"points": -15}),
            Rule("five_stars", "rating_stars", {"min_stars": 5, "points": 5}),
            Rule("listening", "listening_completed", {"points": 3}),
            Rule("certification", "certification_passed", {"points": 20}),
            Rule("ticket_sla", "ticket_within_sla", {"points": 2}),
        ),
        daily_caps={"call": 300, "rating": 50, "listening": 15, "ticket": 40},
        min_call_seconds=15,
    ).validate()

"""Versioned scorecards: which criteria a call is judged on, their weights and flags.

Weights are relative: any positive numbers. When a call is scored they are normalised
over the criteria that *apply to that call* (not-applicable ones drop out), so a card
with weights 1, 2, 1 scores the same as 25, 50, 25. A scorecard travels as JSON
(:meth:`Scorecard.to_dict` / :meth:`Scorecard.from_dict`); the app stores that JSON.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .applicability import APPLICABILITY
from .detectors import DETECTORS
from .errors import ScorecardError

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CRITERION_FIELDS = ("key", "title", "description", "weight", "critical", "detector", "params",
                     "applicability")
_CARD_FIELDS = ("name", "version", "criteria", "critical_cap")


@dataclass(frozen=True)
class Criterion:
    """One standard on a scorecard.

    :param key: stable identifier stored with verdicts («greeting»).
    :param title: short Russian label for the UI.
    :param description: what a listener checks, in Russian.
    :param weight: relative weight, > 0.
    :param critical: a violation caps the whole score at ``Scorecard.critical_cap``.
    :param detector: name in :data:`scoring.DETECTORS`.
    :param params: detector settings (JSON values), e.g. ``{"last_turns": 2}``.
    :param applicability: name in :data:`scoring.APPLICABILITY` — when the criterion applies.
    """

    key: str
    title: str
    description: str
    weight: float
    critical: bool = False
    detector: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    applicability: str = "always"

    def validate(self) -> None:
        """Raise :class:`ScorecardError` naming the first problem found."""
        where = f"criterion {self.key!r}"
        if not isinstance(self.key, str) or not _KEY_RE.match(self.key):
            raise ScorecardError(f"{where}: key must be lower-case latin letters, digits and "
                                 "'_' starting with a letter (e.g. 'greeting')",
                                 code="bad_criterion_key", key=self.key)
        named = {"key": self.key, "title": self.title if isinstance(self.title, str) else ""}
        if not isinstance(self.title, str) or not self.title.strip():
            raise ScorecardError(f"{where}: title must be a non-empty string",
                                 code="criterion_without_title", **named)
        if not isinstance(self.description, str):
            raise ScorecardError(f"{where}: description must be a non-empty string",
                                 code="description_not_text", **named)
        w = self.weight
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w <= 0:
            raise ScorecardError(f"{where}: weight must be a positive number, got {w!r}",
                                 code="weight_not_positive", weight=w, **named)
        if not isinstance(self.critical, bool):
            raise ScorecardError(f"{where}: critical must be true or false, got {self.critical!r}",
                                 code="critical_not_boolean", value=self.critical, **named)
        if self.detector not in DETECTORS:
            raise ScorecardError(f"{where}: unknown detector {self.detector!r}; accepted: "
                                 + ", ".join(sorted(DETECTORS)), code="unknown_detector",
                                 detector=self.detector, accepted=tuple(sorted(DETECTORS)), **named)
        if self.applicability not in APPLICABILITY:
            raise ScorecardError(f"{where}: unknown applicability {self.applicability!r}; "
                                 "accepted: " + ", ".join(sorted(APPLICABILITY)),
                                 code="unknown_applicability", applicability=self.applicability,
                                 accepted=tuple(sorted(APPLICABILITY)), **named)
        if not isinstance(self.params, Mapping):
            raise ScorecardError(f"{where}: params must be an object, got "
                                 f"{type(self.params).__name__}", code="criterion_params_not_object",
                                 type=type(self.params).__name__, **named)

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "description": self.description,
                "weight": self.weight, "critical": self.critical, "detector": self.detector,
                "params": dict(self.params), "applicability": self.applicability}


@dataclass(frozen=True)
class Scorecard:
    """A named, versioned list of criteria.

    :param name: e.g. «Стандарт обслуживания».
    :param version: positive integer, bumped on every edit (scores keep the version used).
    :param criteria: the criteria, in display order.
    :param critical_cap: the most a call with a critical violation can score (0..100).
    """

    name: str
    version: int
    criteria: tuple[Criterion, ...]
    critical_cap: float = 50.0

    def validate(self) -> Scorecard:
        """Check the whole card; return it unchanged or raise :class:`ScorecardError`."""
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScorecardError("scorecard name must be a non-empty string",
                                 code="scorecard_without_name")
        if isinstance(self.version, bool) or not isinstance(self.version, int) or \
                self.version < 1:
            raise ScorecardError(f"scorecard version must be an integer >= 1, got "
                                 f"{self.version!r}", code="bad_scorecard_version",
                                 version=self.version)
        if not isinstance(self.criteria, tuple | list) or not self.criteria:
            raise ScorecardError("a scorecard needs at least one criterion",
                                 code="scorecard_without_criteria")
        cap = self.critical_cap
        if isinstance(cap, bool) or not isinstance(cap, int | float) or not 0 <= cap <= 100:
            raise ScorecardError(f"critical_cap must be a number from 0 to 100, got {cap!r}",
                                 code="critical_cap_out_of_range", cap=cap)
        seen: set[str] = set()
        for crit in self.criteria:
            if not isinstance(crit, Criterion):
                raise ScorecardError(f"criteria must be Criterion objects, got "
                                     f"{type(crit).__name__}", code="criterion_of_wrong_type",
                                     type=type(crit).__name__)
            crit.validate()
            if crit.key in seen:
                raise ScorecardError(f"duplicate criterion key {crit.key!r}; keys must be "
                                     "unique within a scorecard", code="duplicate_criterion_key",
                                     key=crit.key)
            seen.add(crit.key)
        return self

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.criteria)

    def criterion(self, key: str) -> Criterion:
        for crit in self.criteria:
            if crit.key == key:
                return crit
        raise ScorecardError(f"no criterion {key!r} on scorecard {self.name!r}; known: "
                             + ", ".join(self.keys), code="unknown_criterion", key=key,
                             scorecard=self.name, known=self.keys)

    def weights(self, keys: set[str] | None = None) -> dict[str, float]:
        """Weights normalised to sum 1 over ``keys`` (default: all criteria)."""
        chosen = [c for c in self.criteria if keys is None or c.key in keys]
        total = sum(c.weight for c in chosen)
        return {c.key: c.weight / total for c in chosen} if total else {}

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "version": self.version, "critical_cap": self.critical_cap,
                "criteria": [c.to_dict() for c in self.criteria]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Build and validate a scorecard from its JSON object.

        :raises ScorecardError: on missing or unknown fields and on invalid values.
        """
        if not isinstance(data, Mapping):
            raise ScorecardError("a scorecard must be a JSON object with "
                                 + ", ".join(_CARD_FIELDS), code="scorecard_not_object",
                                 type=type(data).__name__)
        _check_fields(data, _CARD_FIELDS, ("name", "version", "criteria"), "scorecard")
        raw = data["criteria"]
        if not isinstance(raw, list):
            raise ScorecardError("scorecard.criteria must be a list of objects",
                                 code="criteria_not_list")
        criteria = []
        for i, item in enumerate(raw):
            if not isinstance(item, Mapping):
                raise ScorecardError(f"scorecard.criteria[{i}] must be an object",
                                     code="criterion_not_object", number=i + 1)
            _check_fields(item, _CRITERION_FIELDS, ("key", "title", "weight", "detector"),
                          f"scorecard.criteria[{i}]", number=i + 1)
            criteria.append(Criterion(**{k: item[k] for k in _CRITERION_FIELDS if k in item}))
        card = cls(data["name"], data["version"], tuple(criteria),
                   data.get("critical_cap", 50.0))
        return card.validate()


def _check_fields(data: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...],
                  where: str, number: int | None = None) -> None:
    """Refuse unknown and missing fields; ``number`` is the criterion's (1-based), None for the
    card itself."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ScorecardError(f"{where}: unknown field(s) {', '.join(unknown)}; accepted: "
                             + ", ".join(allowed), code="unknown_fields", number=number,
                             fields=tuple(unknown), accepted=allowed)
    missing = [k for k in required if k not in data]
    if missing:
        raise ScorecardError(f"{where}: missing field(s) {', '.join(missing)}",
                             code="missing_fields", number=number, fields=tuple(missing))


def default_scorecard() -> Scorecard:
    """«Стандарт обслуживания»: the eight default standards, version 1."""
    c = Criterion
    return Scorecard("Стандарт обслуживания", 1, (
        c("greeting", "Приветствие",
          "В первой реплике оператор здоровается, называет компанию и представляется по имени.",
          1.0, False, "greeting", {}, "always"),
        c("identification", "Идентификация абонента",
          "Прежде чем что-либо делать с лицевым счётом, оператор просит назвать номер "
          "телефона, номер договора или кодовое слово. Не оценивается, если со счётом ничего "
          "не делали или абонент назвал данные сам.",
          1.0, False, "identification", {}, "account_action"),
        c("empathy", "Эмпатия",
          "Если абонент жалуется, раздражён или расстроен, оператор признаёт его чувства: "
          "выражает понимание, сожаление или извиняется за неудобства. Не оценивается, если "
          "абонент не жаловался.",
          2.0, False, "empathy", {}, "complaint"),
        c("no_interruption", "Без перебиваний",
          "Оператор не начинает говорить, пока абонент не договорил, особенно когда абонент "
          "высказывает претензию.",
          1.0, False, "no_interruption", {}, "subscriber_speech"),
        c("resolution", "Решение вопроса",
          "Оператор называет конкретное действие: что уже сделано или что и когда будет "
          "сделано, либо объясняет абоненту, как решить вопрос.",
          3.0, True, "resolution", {}, "always"),
        c("forbidden_words", "Без стоп-слов",
          "В речи оператора нет запрещённых фраз, сленга и грубости: «не знаю», «это не ко "
          "мне», «перезвоните позже», «короче», «блин» и тому подобного.",
          1.5, True, "forbidden_words", {}, "always"),
        c("closing", "Завершение разговора",
          "Оператор благодарит абонента за обращение или предлагает дополнительную помощь и "
          "прощается. Одного «до свидания» недостаточно.",
          1.0, False, "closing", {}, "always"),
        c("hold_etiquette", "Удержание линии",
          "Перед паузой дольше 10 секунд оператор просит подождать, а после неё благодарит за "
          "ожидание. Не оценивается, если таких пауз не было.",
          1.0, False, "hold_etiquette", {}, "hold"),
    ), 50.0)


CHAT_NAME = "Стандарт переписки"


def chat_scorecard() -> Scorecard:
    """«Стандарт переписки»: the default standards for a chat (the spoken ones are not applicable
    there) and three that only make sense in writing, version 1."""
    c = Criterion
    spoken = default_scorecard()
    written = (
        c("reply_time", "Скорость ответа",
          "Каждое сообщение абонента получает ответ не позже чем через 3 минуты.",
          1.5, False, "reply_time", {"minutes": 3}, "written"),
        c("no_wall_of_text", "Без «простыни» текста",
          "Оператор пишет короткими сообщениями: ни одного длиннее 700 знаков (вставленная "
          "целиком статья — нарушение).", 0.5, False, "no_wall_of_text", {"max_chars": 700}, "written"),
        c("addressed_by_name", "Обращение по имени",
          "Оператор хотя бы раз обращается к абоненту по имени. Не оценивается, если имя неизвестно.",
          0.5, False, "addressed_by_name", {}, "written"),
    )
    return Scorecard(CHAT_NAME, 1, spoken.criteria + written, spoken.critical_cap)

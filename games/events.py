"""Events: the things that happen to an operator and may earn points or badges.

An :class:`Event` comes from a *source kind* (``call``, ``rating``, ``listening``,
``certification``, ``ticket``). Each source kind is registered in :data:`SOURCE_KINDS` with
a Russian title and a payload checker; an unknown kind or a malformed payload raises
:class:`~games.errors.EventError` when the event is built, so nothing half-checked reaches
the ledger.

Payloads (optional keys in brackets, with their defaults):

=============== ===========================================================================
kind            payload
=============== ===========================================================================
call            ``score`` 0..100, ``duration`` seconds >= 0, [``verdicts`` {} —
                {standard key: True met / False violated / None not applicable}],
                [``critical_violation`` False]
rating          ``stars`` 1..5
listening       [``completed`` True]
certification   ``passed`` bool, [``percent`` 0..100]
ticket          ``resolved_within_sla`` bool
=============== ===========================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .clock import require_aware
from .errors import EventError

PayloadChecker = Callable[[Mapping[str, Any]], list[str]]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _need_number(payload: Mapping[str, Any], key: str, low: float, high: float | None) -> list[str]:
    if key not in payload:
        return [f"нет поля «{key}»"]
    value = payload[key]
    upper = "" if high is None else f"..{high:g}"
    if not _is_number(value) or value < low or (high is not None and value > high):
        return [f"«{key}» должно быть числом {low:g}{upper}, получено {value!r}"]
    return []


def _need_bool(payload: Mapping[str, Any], key: str, *, required: bool = True) -> list[str]:
    if key not in payload:
        return [f"нет поля «{key}»"] if required else []
    if not isinstance(payload[key], bool):
        return [f"«{key}» должно быть true или false, получено {payload[key]!r}"]
    return []


def _check_call(payload: Mapping[str, Any]) -> list[str]:
    problems = _need_number(payload, "score", 0, 100)
    problems += _need_number(payload, "duration", 0, None)
    problems += _need_bool(payload, "critical_violation", required=False)
    verdicts = payload.get("verdicts", {})
    if not isinstance(verdicts, Mapping):
        problems.append(f"«verdicts» должно быть словарём, получено {verdicts!r}")
    else:
        for key, verdict in verdicts.items():
            if not isinstance(key, str) or not (verdict is None or isinstance(verdict, bool)):
                problems.append(
                    f"вердикт «{key}» должен быть true, false или null, получено {verdict!r}"
                )
    return problems


def _check_rating(payload: Mapping[str, Any]) -> list[str]:
    stars = payload.get("stars")
    if "stars" not in payload:
        return ["нет поля «stars»"]
    if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
        return [f"«stars» должно быть целым 1..5, получено {stars!r}"]
    return []


def _check_listening(payload: Mapping[str, Any]) -> list[str]:
    return _need_bool(payload, "completed", required=False)


def _check_certification(payload: Mapping[str, Any]) -> list[str]:
    problems = _need_bool(payload, "passed")
    if "percent" in payload:
        problems += _need_number(payload, "percent", 0, 100)
    return problems


def _check_ticket(payload: Mapping[str, Any]) -> list[str]:
    return _need_bool(payload, "resolved_within_sla")


@dataclass(frozen=True)
class SourceKind:
    """A registered event source: its key, Russian title and payload checker."""

    key: str
    title: str
    check: PayloadChecker


SOURCE_KINDS: dict[str, SourceKind] = {
    kind.key: kind
    for kind in (
        SourceKind("call", "Звонки", _check_call),
        SourceKind("rating", "Оценки абонентов", _check_rating),
        SourceKind("listening", "Прослушка", _check_listening),
        SourceKind("certification", "Аттестации", _check_certification),
        SourceKind("ticket", "Заявки", _check_ticket),
    )
}


def source_kind(key: str) -> SourceKind:
    """Return the registered source kind ``key`` or raise a clear error.

    :param key: a source kind such as ``call``.
    """
    try:
        return SOURCE_KINDS[key]
    except (KeyError, TypeError):
        known = ", ".join(sorted(SOURCE_KINDS))
        raise EventError(
            f"неизвестный источник события {key!r}; допустимые: {known}",
            code="unknown_source_kind",
            kind=key,
            accepted=tuple(sorted(SOURCE_KINDS)),
        ) from None


@dataclass(frozen=True)
class Event:
    """One thing that happened to an operator, checked when built.

    :param source_kind: a key of :data:`SOURCE_KINDS`.
    :param source_id: the id of the source row (call id, rating id, ...), as a string.
    :param operator: the operator's login.
    :param occurred_at: when it happened, tz-aware.
    :param payload: source-specific values, see the module docstring.
    """

    source_kind: str
    source_id: str
    operator: str
    occurred_at: datetime
    payload: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        kind = source_kind(self.source_kind)
        if not isinstance(self.source_id, str) or not self.source_id:
            raise EventError(
                f"source_id должен быть непустой строкой, получено {self.source_id!r}",
                code="bad_source_id",
                kind=self.source_kind,
                value=self.source_id,
            )
        if not isinstance(self.operator, str) or not self.operator:
            raise EventError(
                f"operator должен быть непустым логином, получено {self.operator!r}",
                code="bad_operator_login",
                value=self.operator,
            )
        require_aware(self.occurred_at, "occurred_at события")
        if not isinstance(self.payload, Mapping):
            raise EventError(
                f"payload должен быть словарём, получено {self.payload!r}",
                code="payload_not_mapping",
                kind=self.source_kind,
                source_id=self.source_id,
            )
        problems = kind.check(self.payload)
        if problems:
            raise EventError(
                f"событие {self.source_kind}:{self.source_id}: " + "; ".join(problems),
                code="invalid_payload",
                kind=self.source_kind,
                source_id=self.source_id,
                problems=tuple(problems),
            )

    @property
    def key(self) -> tuple[str, str]:
        """The event's identity: ``(source_kind, source_id)``."""
        return (self.source_kind, self.source_id)

"""Which calls QA listeners grade, and which exemplary calls operators learn from.

Sampling for listeners
----------------------
A listener's queue mixes two kinds of calls:

* **Risk-weighted picks** (``1 - random_share`` of the queue) find problems fast. Every call has
  a risk weight ``1 + 4·open_dispute + 3·(1 - auto_score/100) + 2·(5 - rating)/4`` (a missing
  score or rating adds nothing), and calls are drawn *without replacement with probability
  proportional to that weight* (Efraimidis–Spirakis keys ``u ** (1 / weight)``), so disputed and
  low-scored calls come up far more often, yet not exclusively.
* **Random picks** (``random_share``, default 25 %) are drawn uniformly from the calls left.
  Only these give an unbiased estimate of the centre's real quality: QA dashboards should
  compute averages over ``reason == "random"`` picks alone.

Everything is reproducible: the same calls (in any order) and seed give the same picks.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from .errors import SamplingError

REASON_LABELS: Final[dict[str, str]] = {
    "open_dispute": "Открытая апелляция",
    "low_score": "Низкая автоматическая оценка",
    "low_rating": "Низкая оценка абонента",
    "risk": "Выборка по риску",
    "random": "Случайная выборка",
    "exemplary": "Образцовый звонок",
}
"""Russian labels for :attr:`Pick.reason`."""

LOW_SCORE: Final = 60.0
LOW_RATING: Final = 3
EXEMPLARY_SCORE: Final = 85.0


@dataclass(frozen=True)
class CallInfo:
    """What sampling needs to know about a call.

    :param auto_score: automatic call score 0..100, None if not scored yet.
    :param rating: subscriber's rating 1..5, None if not rated.
    :param open_dispute: the operator disputes its grade and nobody has decided yet.
    :param standards: the call's own verdicts, ``(key, title, verdict)`` per standard of its
        scorecard (True met, False violated, None not applicable): the listening questions
        are drawn from them.
    """

    id: int | str
    auto_score: float | None
    rating: int | None
    open_dispute: bool
    operator: str
    ended_at: datetime
    standards: tuple[tuple[str, str, bool | None], ...] = ()


@dataclass(frozen=True)
class Pick:
    """A chosen call and why (a key of :data:`REASON_LABELS`)."""

    call_id: int | str
    reason: str


def risk_weight(call: CallInfo) -> float:
    """The risk weight of a call, 1 (nothing known, all fine) up to 10."""
    weight = 1.0
    if call.open_dispute:
        weight += 4.0
    if call.auto_score is not None:
        weight += 3.0 * (1 - max(0.0, min(100.0, call.auto_score)) / 100)
    if call.rating is not None:
        weight += 2.0 * (5 - max(1, min(5, call.rating))) / 4
    return weight


def _risk_reason(call: CallInfo) -> str:
    if call.open_dispute:
        return "open_dispute"
    if call.auto_score is not None and call.auto_score < LOW_SCORE:
        return "low_score"
    if call.rating is not None and call.rating <= LOW_RATING:
        return "low_rating"
    return "risk"


def _ordered(calls: Iterable[CallInfo]) -> list[CallInfo]:
    unique = {str(call.id): call for call in calls}
    return [unique[key] for key in sorted(unique)]


def sample_for_listener(
    calls: Iterable[CallInfo], n: int, random_share: float = 0.25, seed: int | str = 0
) -> list[Pick]:
    """Choose ``n`` calls for a listener: risk-weighted picks plus a random share.

    See the module docstring for the weights and why the random share matters. The random
    part is ``round(n * random_share)`` calls; with fewer than ``n`` calls, all are returned.
    Risk picks come first (highest key first), then random ones.

    :param calls: the pool (e.g. yesterday's graded-by-machine calls of a team).
    :param n: queue length.
    :param random_share: share of uniformly random picks, 0..1.
    :param seed: e.g. listener id and date, stored with the queue.
    :raises SamplingError: ``n`` is negative or ``random_share`` is outside 0..1.
    """
    if n < 0:
        raise SamplingError(f"cannot pick {n} calls; give 0 or more", code="negative_count", count=n)
    if not 0 <= random_share <= 1:
        raise SamplingError(f"random share {random_share} is outside 0..1",
                            code="random_share_out_of_range", share=random_share)
    pool = _ordered(calls)
    rng = random.Random(f"listener|{seed}")
    n = min(n, len(pool))
    n_random = round(n * random_share)
    keyed = sorted(
        ((rng.random() ** (1 / risk_weight(call)), index) for index, call in enumerate(pool)),
        reverse=True,
    )
    risky = [pool[index] for _, index in keyed[: n - n_random]]
    chosen = {call.id for call in risky}
    rest = [call for call in pool if call.id not in chosen]
    randoms = rng.sample(rest, n_random)
    return [Pick(c.id, _risk_reason(c)) for c in risky] + [Pick(c.id, "random") for c in randoms]


def pick_exemplary(
    calls: Iterable[CallInfo], operator: str, k: int = 2, seed: int | str = 0
) -> list[Pick]:
    """Choose ``k`` exemplary calls of *other* operators for ``operator`` to listen to.

    Exemplary: auto score at least ``EXEMPLARY_SCORE``, rating 4–5 or none, no open dispute.
    Drawn at random from the best ten, one per colleague while colleagues last.

    :param operator: the learner, whose own calls are skipped.
    """
    if k < 0:
        raise SamplingError(f"cannot pick {k} calls; give 0 or more", code="negative_count", count=k)
    good = [
        call
        for call in _ordered(calls)
        if call.operator != operator
        and call.auto_score is not None
        and call.auto_score >= EXEMPLARY_SCORE
        and (call.rating is None or call.rating >= 4)
        and not call.open_dispute
    ]
    best = sorted(good, key=lambda c: -(c.auto_score or 0))[:10]
    rng = random.Random(f"exemplary|{operator}|{seed}")
    rng.shuffle(best)
    picked: list[CallInfo] = []
    for call in best:
        if len(picked) < k and call.operator not in {p.operator for p in picked}:
            picked.append(call)
    for call in best:
        if len(picked) < k and call not in picked:
            picked.append(call)
    return [Pick(call.id, "exemplary") for call in picked]


QUESTIONS: Final[dict[str, tuple[str, ...]]] = {
    "exemplary": (
        "Как оператор выразил сочувствие?",
        "Какими словами оператор подвёл итог разговора?",
        "Как оператор проверил, что абоненту всё понятно?",
        "Что оператор сделал, чтобы абонент не ждал в тишине?",
        "Как оператор предложил решение, не перегружая абонента деталями?",
    ),
    "low_rating": (
        "В какой момент абонент стал недоволен и почему?",
        "Что оператор мог сказать иначе, чтобы снять напряжение?",
        "Было ли предложено решение или следующий шаг?",
    ),
    "low_score": (
        "Какие пункты стандарта нарушены и где именно в записи?",
        "Как звучало бы правильное приветствие или завершение в этом разговоре?",
        "Нашёл ли оператор ответ в базе знаний и сколько времени на это ушло?",
    ),
    "open_dispute": (
        "Подтверждает ли запись оценку, которую оспаривает оператор?",
        "Какой фрагмент записи решает спор (укажите время)?",
        "Нужно ли уточнить формулировку стандарта после этого случая?",
    ),
    "default": (
        "Как оператор выразил сочувствие?",
        "Решён ли вопрос абонента с первого обращения?",
        "Что в этом разговоре стоит повторить, а что — изменить?",
    ),
}
"""Question templates for listening assignments, by pick reason."""


MET_QUESTIONS: Final[dict[str, str]] = {
    "greeting": "Как оператор поздоровался и представился? Запишите его первую фразу.",
    "identification": "Как оператор убедился, что говорит с владельцем номера?",
    "empathy": "Какими словами оператор посочувствовал абоненту и в какой момент?",
    "resolution": "Какое решение предложил оператор и как убедился, что вопрос решён?",
    "no_interruption": "Как оператор дал абоненту высказаться до конца?",
    "forbidden_words": "Как оператор ответил там, где легко было сказать «не знаю» или «это не ко мне»?",
    "hold_etiquette": "Как оператор предупредил об ожидании и что сказал, вернувшись?",
    "closing": "Как оператор завершил разговор?",
}
"""A question per standard the call *met*: what to learn from it."""

MISSED_QUESTIONS: Final[dict[str, str]] = {
    "greeting": "Приветствие не засчитано: чего в нём не хватило — компании, имени, предложения помочь? "
                "Как оно должно было прозвучать?",
    "identification": "Абонента не проверили: в какой момент это нужно было сделать и как?",
    "empathy": "Сочувствия не прозвучало: где в записи абонент в нём нуждался и что стоило сказать?",
    "resolution": "Решён ли вопрос абонента? Если нет — какой следующий шаг должен был предложить оператор?",
    "no_interruption": "Где оператор перебил абонента (укажите время) и чем это обернулось?",
    "forbidden_words": "Какие стоп-слова прозвучали (укажите время) и чем их заменить?",
    "hold_etiquette": "Как оператор поставил абонента на удержание и что должен был сказать?",
    "closing": "Разговор завершён не по стандарту: как должно было прозвучать завершение?",
}
"""A question per standard the call *missed*: where and how it should have gone."""


def _standard_questions(call: CallInfo, exemplary: bool) -> list[str]:
    """Questions about the call's own standards: the met ones for an exemplary call, the
    missed ones otherwise (in scorecard order, as its standards come)."""
    wanted = bool(exemplary)
    out = []
    for key, title, verdict in call.standards:
        if verdict is not wanted:
            continue
        known = (MET_QUESTIONS if exemplary else MISSED_QUESTIONS).get(key)
        out.append(known or (f"Как в этом звонке выполнен стандарт «{title}»? Запишите слова оператора."
                             if exemplary else
                             f"Стандарт «{title}» не соблюдён: где это в записи и как было бы правильно?"))
    return out


def questions_for(call: CallInfo, reason: str | None = None, count: int = 3) -> list[str]:
    """2–3 Russian questions to answer while listening to ``call``.

    Drawn first from the call's own verdicts (:attr:`CallInfo.standards`): for an exemplary
    call, what it did well; for any other, the standards it missed (or, when it missed none,
    what it did well), then the reason's own questions (a dispute, a low rating). Calls without
    verdicts get the reason's templates.

    :param reason: the pick reason; by default derived from the call (exemplary when it
        qualifies, otherwise its risk reason).
    :param count: how many (at most the questions available).
    """
    if reason is None:
        exemplary = (
            call.auto_score is not None and call.auto_score >= EXEMPLARY_SCORE
            and not call.open_dispute and (call.rating is None or call.rating >= 4)
        )
        reason = "exemplary" if exemplary else _risk_reason(call)
    templates: Sequence[str] = QUESTIONS.get(reason, QUESTIONS["default"])
    start = zlib.crc32(str(call.id).encode()) % len(templates)
    rotated = [*templates[start:], *templates[:start]]
    own = _standard_questions(call, reason == "exemplary")
    if not own and reason != "exemplary":  # nothing missed: what the call did well is its own lesson
        own = _standard_questions(call, True)
    if own:
        shift = zlib.crc32(str(call.id).encode()) % len(own)
        own = [*own[shift:], *own[:shift]]
    if reason in ("open_dispute", "low_rating"):  # the reason's own question comes first
        own = [rotated[0], *own]
    picked = list(dict.fromkeys([*own, *rotated]))
    return picked[: max(1, min(count, len(picked)))]

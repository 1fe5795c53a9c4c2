"""Certification rules: who may take calls on which carrier's line.

A *certification* is named by its title per carrier: a line or a skill, such as «Линия МТС» or
«Роуминг Билайн». Each exam that grants it has a rule of its own (:class:`Certification`, with
its own ``valid_days``), so several exams may grant the same certification: rules are grouped
by ``(carrier, title)`` (title compared without case and extra spaces), and a pass of *any* of
them that is neither expired (``valid_days`` after it) nor revoked satisfies the certification.
The certification then lasts until the latest expiry among those valid passes. Adding another
exam for a certification therefore takes nobody's admission away.

An operator is admitted to a carrier's line when every distinct certification that carrier
requires is satisfied; the admission lasts until the earliest of their expiries. Passes are
revoked by the app after a material change of the carrier's knowledge base (see
:func:`training.material_change`), which sends everyone back to recertification.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .errors import ExamSpecError

RENEW_WITHIN_DAYS = 14
"""How long before expiry ``renew_soon`` turns on."""


@dataclass(frozen=True)
class Certification:
    """A certification rule: one exam that grants a certification.

    :param key: stable identifier, e.g. ``"line_mts"``.
    :param title: shown to people, e.g. «Линия МТС»; rules of one carrier with the same title
        are one certification.
    :param carrier: the line it admits to (``mts``, ``megafon``, ``beeline``).
    :param exam_key: the exam that grants it.
    :param valid_days: days a pass of this exam stays valid.
    """

    key: str
    title: str
    carrier: str
    exam_key: str
    valid_days: int

    def __post_init__(self) -> None:
        if self.valid_days < 1:
            raise ExamSpecError(
                f"certification '{self.key}' is valid for {self.valid_days} days; give 1 or more",
                code="valid_days_below_one",
                key=self.key,
                title=self.title,
                days=self.valid_days,
            )

    @property
    def group(self) -> tuple[str, str]:
        """``(carrier, normalised title)``: rules with the same group are one certification."""
        return self.carrier, " ".join(self.title.split()).casefold()


@dataclass(frozen=True)
class CertificationState:
    """Where one operator stands with one certification.

    :param title: the certification's title (as the first of its rules spells it).
    :param carrier: the line it admits to.
    :param expires_at: the latest expiry among the valid passes; None when none is valid.
    :param problem: when not valid, the Russian reason («нет аттестации «…»», «… истекла …»,
        «… отозвана …»); empty when valid.
    """

    title: str
    carrier: str
    expires_at: datetime | None
    problem: str = ""


@dataclass(frozen=True)
class Admission:
    """Whether an operator may work a carrier's line.

    :param reason: one Russian sentence for the operator and their manager.
    :param expires_at: when the admission ends; None when not admitted.
    :param renew_soon: admitted, but a certification expires within ``RENEW_WITHIN_DAYS``.
    """

    admitted: bool
    reason: str
    expires_at: datetime | None = None
    renew_soon: bool = False


CertPass = tuple[str, datetime, datetime | None]
"""``(certification rule key, passed_at, revoked_at or None)``."""


MOSCOW = ZoneInfo("Europe/Moscow")  # the centre's day: the same date the pages show


def _date(moment: datetime) -> str:
    return (moment.astimezone(MOSCOW) if moment.tzinfo else moment).strftime("%d.%m.%Y")


def _state(
    title: str,
    carrier: str,
    passes: list[tuple[datetime, datetime | None, int]],
    now: datetime,
) -> CertificationState:
    """The state of one certification from the passes of all its rules.

    :param passes: ``(passed_at, revoked_at, valid_days of the rule passed)``.
    """
    if not passes:
        return CertificationState(title, carrier, None, f"нет аттестации «{title}»")
    ends = []  # (when the pass stops counting, revoked then?)
    for passed, revoked, valid_days in passes:
        expiry = passed + timedelta(days=valid_days)
        if revoked is not None and revoked < expiry:
            ends.append((revoked, True, expiry))
        else:
            ends.append((expiry, False, expiry))
    valid = [expiry for end, _, expiry in ends if end > now]
    if valid:
        return CertificationState(title, carrier, max(valid))
    end, revoked, _ = max(ends, key=lambda e: e[0])
    if revoked:
        return CertificationState(
            title,
            carrier,
            None,
            f"аттестация «{title}» отозвана {_date(end)} после существенного изменения базы "
            "знаний — нужна переаттестация",
        )
    return CertificationState(title, carrier, None, f"аттестация «{title}» истекла {_date(end)}")


def certification_states(
    certs_passed: Iterable[CertPass], now: datetime, rules: Iterable[Certification]
) -> list[CertificationState]:
    """One operator's state for every certification the rules define, in rule order.

    Passes dated after ``now`` and passes of rules not given are ignored.

    :param certs_passed: ``(rule key, passed_at, revoked_at or None)`` for one operator.
    :param now: the moment to judge at (same timezone convention as the passes).
    :param rules: every certification rule in force.
    """
    rules = list(rules)
    group_of = {rule.key: rule.group for rule in rules}
    lifetime = {rule.key: rule.valid_days for rule in rules}
    groups: dict[tuple[str, str], tuple[Certification, list[tuple[datetime, datetime | None, int]]]] = {}
    for rule in rules:
        groups.setdefault(rule.group, (rule, []))
    for key, passed_at, revoked_at in certs_passed:
        if key in group_of and passed_at <= now:
            groups[group_of[key]][1].append((passed_at, revoked_at, lifetime[key]))
    return [_state(first.title, first.carrier, passes, now) for first, passes in groups.values()]


def admission_state(
    certs_passed: Iterable[CertPass],
    now: datetime,
    rules: Iterable[Certification],
    renew_within_days: int = RENEW_WITHIN_DAYS,
) -> dict[str, Admission]:
    """Admission to each carrier's line that the rules cover.

    Passes dated after ``now`` and passes of certifications no rule mentions are ignored.

    :param certs_passed: ``(rule key, passed_at, revoked_at or None)`` for one operator.
    :param now: the moment to judge at (same timezone convention as the passes).
    :param rules: every certification rule in force.
    :param renew_within_days: the ``renew_soon`` window.
    """
    by_carrier: dict[str, list[CertificationState]] = {}
    for state in certification_states(certs_passed, now, rules):
        by_carrier.setdefault(state.carrier, []).append(state)

    admissions = {}
    for carrier, states in by_carrier.items():
        problems = [state.problem for state in states if state.expires_at is None]
        if problems:
            admissions[carrier] = Admission(False, "Не допущен: " + "; ".join(problems) + ".")
            continue
        first = min(states, key=lambda s: s.expires_at)  # type: ignore[arg-type,return-value]
        assert first.expires_at is not None
        renew = first.expires_at - now <= timedelta(days=renew_within_days)
        reason = f"Допущен: аттестация «{first.title}» действует до {_date(first.expires_at)}"
        reason += " — пора пройти переаттестацию." if renew else "."
        admissions[carrier] = Admission(True, reason, first.expires_at, renew)
    return admissions


def certifications_for(carrier: str, rules: Iterable[Certification]) -> tuple[str, ...]:
    """Keys of every rule that admits to ``carrier``'s line (to revoke after a material
    knowledge-base change)."""
    return tuple(rule.key for rule in rules if rule.carrier == carrier)

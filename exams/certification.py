"""Certification rules: who may take calls on which carrier's line.

An operator is admitted to a carrier's line when every certification that carrier requires has
a pass that is neither expired (``valid_days`` after it) nor revoked. Passes are revoked by the
app after a material change of the carrier's knowledge base (see
:func:`training.material_change`), which sends everyone back to recertification.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import ExamSpecError

RENEW_WITHIN_DAYS = 14
"""How long before expiry ``renew_soon`` turns on."""


@dataclass(frozen=True)
class Certification:
    """A certification rule.

    :param key: stable identifier, e.g. ``"line_mts"``.
    :param title: shown to people, e.g. «Линия МТС».
    :param carrier: the line it admits to (``mts``, ``megafon``, ``beeline``).
    :param exam_key: the exam that grants it.
    :param valid_days: days a pass stays valid.
    """

    key: str
    title: str
    carrier: str
    exam_key: str
    valid_days: int

    def __post_init__(self) -> None:
        if self.valid_days < 1:
            raise ExamSpecError(
                f"certification '{self.key}' is valid for {self.valid_days} days; give 1 or more"
            )


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
"""``(certification key, passed_at, revoked_at or None)``."""


def _date(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y")


def _state(
    rule: Certification, passes: list[tuple[datetime, datetime | None]], now: datetime
) -> tuple[datetime | None, str]:
    """(expiry of the best valid pass, or None with the Russian reason it is missing)."""
    lifetime = timedelta(days=rule.valid_days)
    valid = [
        passed + lifetime
        for passed, revoked in passes
        if passed + lifetime > now and (revoked is None or revoked > now)
    ]
    if valid:
        return max(valid), ""
    if not passes:
        return None, f"нет аттестации «{rule.title}»"
    passed, revoked = max(passes, key=lambda p: p[0])
    if revoked is not None and revoked <= now:
        return None, (
            f"аттестация «{rule.title}» отозвана {_date(revoked)} после существенного "
            "изменения базы знаний — нужна переаттестация"
        )
    return None, f"аттестация «{rule.title}» истекла {_date(passed + lifetime)}"


def admission_state(
    certs_passed: Iterable[CertPass],
    now: datetime,
    rules: Iterable[Certification],
    renew_within_days: int = RENEW_WITHIN_DAYS,
) -> dict[str, Admission]:
    """Admission to each carrier's line that the rules cover.

    Passes dated after ``now`` and passes of certifications no rule mentions are ignored.

    :param certs_passed: ``(key, passed_at, revoked_at or None)`` for one operator.
    :param now: the moment to judge at (same timezone convention as the passes).
    :param rules: every certification in force.
    :param renew_within_days: the ``renew_soon`` window.
    """
    rules = list(rules)
    passes: dict[str, list[tuple[datetime, datetime | None]]] = {r.key: [] for r in rules}
    for key, passed_at, revoked_at in certs_passed:
        if key in passes and passed_at <= now:
            passes[key].append((passed_at, revoked_at))
    by_carrier: dict[str, list[Certification]] = {}
    for rule in rules:
        by_carrier.setdefault(rule.carrier, []).append(rule)

    admissions = {}
    for carrier, carrier_rules in by_carrier.items():
        states = [(rule, *_state(rule, passes[rule.key], now)) for rule in carrier_rules]
        problems = [reason for _, expiry, reason in states if expiry is None]
        if problems:
            admissions[carrier] = Admission(False, "Не допущен: " + "; ".join(problems) + ".")
            continue
        rule, expires_at, _ = min(states, key=lambda s: s[1])  # type: ignore[arg-type,return-value]
        assert expires_at is not None
        renew = expires_at - now <= timedelta(days=renew_within_days)
        reason = f"Допущен: аттестация «{rule.title}» действует до {_date(expires_at)}"
        reason += " — пора пройти переаттестацию." if renew else "."
        admissions[carrier] = Admission(True, reason, expires_at, renew)
    return admissions


def certifications_for(carrier: str, rules: Iterable[Certification]) -> tuple[str, ...]:
    """Keys of the certifications that admit to ``carrier``'s line (to revoke after a material
    knowledge-base change)."""
    return tuple(rule.key for rule in rules if rule.carrier == carrier)

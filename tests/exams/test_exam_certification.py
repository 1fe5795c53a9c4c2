"""Admission to carriers' lines (exams.certification)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from exams import (
    Admission,
    Certification,
    ExamSpecError,
    admission_state,
    certification_states,
    certifications_for,
)

NOW = datetime(2025, 6, 1, 12, 0)
RULES = [
    Certification("line_mts", "Линия МТС", "mts", "exam_mts", 180),
    Certification("line_megafon", "Линия МегаФон", "megafon", "exam_megafon", 180),
    Certification("line_beeline", "Линия Билайн", "beeline", "exam_beeline", 90),
    Certification("beeline_roaming", "Роуминг Билайн", "beeline", "exam_roaming", 365),
]


def days(n: float) -> datetime:
    return NOW - timedelta(days=n)


@pytest.mark.parametrize(
    ("passes", "carrier", "admitted", "reason", "expires_at", "renew_soon"),
    [
        ([], "mts", False, "Не допущен: нет аттестации «Линия МТС».", None, False),
        (
            [("line_mts", days(10), None)],
            "mts", True, "Допущен: аттестация «Линия МТС» действует до 18.11.2025.",
            days(10) + timedelta(days=180), False,
        ),
        (
            [("line_mts", days(170), None)],
            "mts", True, "действует до 11.06.2025 — пора пройти переаттестацию.",
            days(170) + timedelta(days=180), True,
        ),
        (
            [("line_mts", days(181), None)],
            "mts", False, "Не допущен: аттестация «Линия МТС» истекла 31.05.2025.", None, False,
        ),
        (
            [("line_mts", days(180), None)],
            "mts", False, "истекла 01.06.2025", None, False,
        ),
        (
            [("line_mts", days(30), days(2))],
            "mts", False,
            "Не допущен: аттестация «Линия МТС» отозвана 30.05.2025 после существенного "
            "изменения базы знаний — нужна переаттестация.",
            None, False,
        ),
        (  # recertified after the revocation
            [("line_mts", days(30), days(2)), ("line_mts", days(1), None)],
            "mts", True, "действует до", days(1) + timedelta(days=180), False,
        ),
        (  # revocation scheduled for the future does not count yet
            [("line_mts", days(30), NOW + timedelta(days=1))],
            "mts", True, "действует до", days(30) + timedelta(days=180), False,
        ),
        (  # a pass dated in the future is ignored
            [("line_mts", NOW + timedelta(hours=1), None)],
            "mts", False, "нет аттестации «Линия МТС»", None, False,
        ),
        (  # the carrier needs both certifications
            [("line_beeline", days(5), None)],
            "beeline", False, "Не допущен: нет аттестации «Роуминг Билайн».", None, False,
        ),
        (  # both missing: both named
            [],
            "beeline", False,
            "Не допущен: нет аттестации «Линия Билайн»; нет аттестации «Роуминг Билайн».",
            None, False,
        ),
        (  # admitted until the earliest expiry
            [("line_beeline", days(85), None), ("beeline_roaming", days(5), None)],
            "beeline", True, "аттестация «Линия Билайн» действует до 06.06.2025",
            days(85) + timedelta(days=90), True,
        ),
        (  # unknown certification keys are ignored
            [("old_rule", days(1), None)],
            "megafon", False, "нет аттестации «Линия МегаФон»", None, False,
        ),
    ],
)
def test_admission(
    passes: list[tuple[str, datetime, datetime | None]],
    carrier: str,
    admitted: bool,
    reason: str,
    expires_at: datetime | None,
    renew_soon: bool,
) -> None:
    state = admission_state(passes, NOW, RULES)
    assert set(state) == {"mts", "megafon", "beeline"}
    admission = state[carrier]
    assert isinstance(admission, Admission)
    assert admission.admitted is admitted
    assert reason in admission.reason
    assert admission.expires_at == expires_at
    assert admission.renew_soon is renew_soon


def test_renew_window_is_configurable() -> None:
    passes = [("line_mts", days(100), None)]
    assert admission_state(passes, NOW, RULES)["mts"].renew_soon is False
    assert admission_state(passes, NOW, RULES, renew_within_days=90)["mts"].renew_soon is True


def test_certifications_for_a_carrier() -> None:
    assert certifications_for("beeline", RULES) == ("line_beeline", "beeline_roaming")
    assert certifications_for("tele2", RULES) == ()


def test_validity_must_be_positive() -> None:
    with pytest.raises(ExamSpecError, match="valid for 0 days"):
        Certification("x", "X", "mts", "e", 0)


# --- several exams grant one certification ------------------------------------------------------

GROUPED = [
    Certification("line_mts_a", "Линия МТС", "mts", "exam_a", 180),
    Certification("line_mts_b", " линия  МТС ", "mts", "exam_b", 30),  # same title, other spelling
    Certification("line_beeline", "Линия Билайн", "beeline", "exam_beeline", 90),
    Certification("roaming_a", "Роуминг Билайн", "beeline", "exam_roaming_a", 365),
    Certification("roaming_b", "Роуминг Билайн", "beeline", "exam_roaming_b", 365),
]


@pytest.mark.parametrize(
    ("passes", "carrier", "admitted", "reason", "expires_at"),
    [
        (  # a pass of the second exam alone is enough
            [("line_mts_b", days(1), None)],
            "mts", True, "Допущен: аттестация «Линия МТС» действует до 30.06.2025.",
            days(1) + timedelta(days=30),
        ),
        (  # a newer pass that runs out later moves the expiry
            [("line_mts_a", days(170), None), ("line_mts_b", days(1), None)],
            "mts", True, "действует до 30.06.2025.", days(1) + timedelta(days=30),
        ),
        (  # a newer pass that runs out sooner does not shorten it
            [("line_mts_a", days(100), None), ("line_mts_b", days(1), None)],
            "mts", True, "действует до 20.08.2025.", days(100) + timedelta(days=180),
        ),
        (  # the expired pass of one exam does not matter while the other's is valid
            [("line_mts_a", days(200), None), ("line_mts_b", days(10), None)],
            "mts", True, "действует до", days(10) + timedelta(days=30),
        ),
        (  # one revoked, one valid: admitted
            [("line_mts_a", days(50), days(2)), ("line_mts_b", days(1), None)],
            "mts", True, "действует до", days(1) + timedelta(days=30),
        ),
        (  # both revoked: named once
            [("line_mts_a", days(50), days(2)), ("line_mts_b", days(10), days(2))],
            "mts", False,
            "Не допущен: аттестация «Линия МТС» отозвана 30.05.2025 после существенного "
            "изменения базы знаний — нужна переаттестация.",
            None,
        ),
        (  # revoked after it had expired: it expired
            [("line_mts_b", days(40), days(2))],
            "mts", False, "Не допущен: аттестация «Линия МТС» истекла 22.05.2025.", None,
        ),
        (  # the latest end decides how it ended: expired after an older revocation
            [("line_mts_a", days(100), days(90)), ("line_mts_b", days(35), None)],
            "mts", False, "Не допущен: аттестация «Линия МТС» истекла 27.05.2025.", None,
        ),
        (  # nothing at all: named once although two exams grant it
            [], "mts", False, "Не допущен: нет аттестации «Линия МТС».", None,
        ),
        (  # a carrier still needs every distinct certification: either roaming exam will do
            [("line_beeline", days(5), None), ("roaming_b", days(5), None)],
            "beeline", True, "«Линия Билайн» действует до", days(5) + timedelta(days=90),
        ),
        (
            [("roaming_a", days(5), None), ("roaming_b", days(1), None)],
            "beeline", False, "Не допущен: нет аттестации «Линия Билайн».", None,
        ),
    ],
)
def test_any_exam_of_a_certification_satisfies_it(
    passes: list[tuple[str, datetime, datetime | None]],
    carrier: str,
    admitted: bool,
    reason: str,
    expires_at: datetime | None,
) -> None:
    admission = admission_state(passes, NOW, GROUPED)[carrier]
    assert admission.admitted is admitted
    assert reason in admission.reason
    assert admission.expires_at == expires_at


def test_the_reason_never_names_a_certification_twice() -> None:
    revoked = [(key, days(20), days(1)) for key in ("line_mts_a", "line_mts_b", "roaming_a", "roaming_b")]
    state = admission_state(revoked, NOW, GROUPED)
    assert state["mts"].reason.count("«Линия МТС»") == 1
    assert state["beeline"].reason == (
        "Не допущен: нет аттестации «Линия Билайн»; аттестация «Роуминг Билайн» отозвана "
        "31.05.2025 после существенного изменения базы знаний — нужна переаттестация."
    )


def test_certification_states_one_per_title_and_carrier() -> None:
    states = certification_states([("line_mts_b", days(1), None)], NOW, GROUPED)
    assert [(s.carrier, s.title, s.expires_at) for s in states] == [
        ("mts", "Линия МТС", days(1) + timedelta(days=30)),
        ("beeline", "Линия Билайн", None),
        ("beeline", "Роуминг Билайн", None),
    ]
    assert [s.problem for s in states] == [
        "", "нет аттестации «Линия Билайн»", "нет аттестации «Роуминг Билайн»"
    ]


def test_a_certification_of_another_carrier_with_the_same_title_is_another() -> None:
    rules = [
        Certification("a", "Роуминг", "mts", "e1", 90),
        Certification("b", "Роуминг", "beeline", "e2", 90),
    ]
    state = admission_state([("a", days(1), None)], NOW, rules)
    assert state["mts"].admitted is True and state["beeline"].admitted is False

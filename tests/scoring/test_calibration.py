"""Agreement statistics against textbook examples, and the calibration report."""

from __future__ import annotations

import pytest

from scoring import (
    MISSING,
    CalibrationError,
    calibration_report,
    cohen_kappa,
    krippendorff_alpha,
)

M = MISSING


def test_cohen_kappa_textbook():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15 -> kappa 0.4
    a = {i: i < 25 for i in range(50)}
    b = {i: i < 20 or 25 <= i < 35 for i in range(50)}
    assert cohen_kappa(a, b) == pytest.approx(0.4)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({1: True, 2: False}, {1: True, 2: False}, 1.0),
    ({1: True, 2: False}, {1: False, 2: True}, -1.0),
    ({1: True, 2: None, 3: False}, {1: True, 2: None, 3: False}, 1.0),
    ({1: True, 2: None}, {1: True, 2: False}, 1 / 3),  # po 0.5, pe 0.25
    ({1: True}, {2: True}, None),
    ({1: True, 2: True}, {1: True, 2: True}, None),
    ({1: True, 2: False, 3: True}, {1: True, 2: False}, 1.0),
])
def test_cohen_kappa_cases(a, b, expected):
    got = cohen_kappa(a, b)
    assert got == (pytest.approx(expected) if expected is not None else None)


def test_krippendorff_binary_two_coders():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: 0.095
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha([a, b]) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_nominal_with_missing():
    # Krippendorff (2011), section C: four observers, twelve units, nominal alpha 0.743
    rows = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, M, M, M],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, M, 3],
        [M, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, M],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, M],
    ]
    assert krippendorff_alpha(rows) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_none_is_a_category_unless_told_otherwise():
    rows = [[True, None, False], [True, None, False]]
    assert krippendorff_alpha(rows) == pytest.approx(1.0)
    assert krippendorff_alpha([[True, None], [True, False]], missing=None) is None


@pytest.mark.parametrize(("rows", "expected"), [
    ([[1, 1, 1], [1, 1, 1]], None),
    ([[1, M], [M, 2]], None),
    ([], None),
])
def test_krippendorff_undefined(rows, expected):
    assert krippendorff_alpha(rows) is expected


def test_krippendorff_ragged_rows():
    with pytest.raises(CalibrationError, match="one cell per unit"):
        krippendorff_alpha([[1, 2], [1]])


def test_calibration_report():
    items = [("c1", "greeting"), ("c1", "closing"), ("c2", "greeting"), ("c2", "closing")]
    grades = {
        "ivanova": dict(zip(items, [True, True, False, True], strict=True)),
        "petrov": dict(zip(items, [True, True, False, True], strict=True)),
        "sidorova": dict(zip(items, [False, False, False, True], strict=True)),
    }
    auto = dict(zip(items, [True, False, False, True], strict=True))
    report = calibration_report(grades, auto)
    assert report.pairwise_kappa[("ivanova", "petrov")] == pytest.approx(1.0)
    assert report.consensus == dict(zip(items, [True, True, False, True], strict=True))
    assert report.strictness["sidorova"].difference == pytest.approx(0.5)
    assert report.strictness["ivanova"].difference == 0.0
    assert report.auto_agreement == pytest.approx(0.75)
    assert -1.0 <= report.alpha <= 1.0


def test_report_ties_have_no_consensus_and_single_grades_are_left_out():
    grades = {"a": {1: True, 2: True}, "b": {1: False}}
    report = calibration_report(grades, {1: True, 2: True})
    assert report.consensus == {}
    assert report.strictness == {"a": None, "b": None}
    assert report.auto_agreement is None


@pytest.mark.parametrize("grades", [[("a", {})], {"a": {1: "yes"}}, {"a": [True]}])
def test_report_bad_input(grades):
    with pytest.raises(CalibrationError):
        calibration_report(grades)

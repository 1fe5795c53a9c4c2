"""Every refusal of the scoring package has a stable code and reads as Russian in the app.

Each row raises a real error through a public function with bad input; the app's catalogue
(:func:`app.wording.say`) must word it as a Russian sentence, never the generic fallback.
"""

import re

import pytest

import scoring
from app.wording import GENERIC, say
from scoring import Scorecard, ScoringError, default_scorecard

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
CARD = default_scorecard()


def assert_russian(text: str) -> None:
    """A whole Russian sentence with its placeholders filled in."""
    assert text != GENERIC
    assert re.search("[а-яё]", text, re.IGNORECASE), text
    assert text[0].isupper() or text[0] == "«", text
    assert text.endswith("."), text
    assert not PLACEHOLDER.search(text), text


def card(**changes):
    """The default card's JSON with top-level ``changes``; ``first_*`` change its first criterion."""
    data = CARD.to_dict()
    first = data["criteria"][0]
    for name, value in changes.items():
        if name.startswith("first_"):
            first[name.removeprefix("first_")] = value
        else:
            data[name] = value
    return Scorecard.from_dict(data)


def without(field: str, criterion: bool = False):
    data = CARD.to_dict()
    del (data["criteria"][0] if criterion else data)[field]
    return Scorecard.from_dict(data)


def transcript(**segment):
    values = {"speaker": "operator", "start": 0.0, "end": 2.0, "text": "Здравствуйте"}
    return scoring.build_transcript({"segments": [{**values, **segment}]})


CASES = [
    # a criterion
    ("bad_criterion_key", lambda: card(first_key="Greeting")),
    ("criterion_without_title", lambda: card(first_title=" ")),
    ("description_not_text", lambda: card(first_description=5)),
    ("weight_not_positive", lambda: card(first_weight=-5)),
    ("critical_not_boolean", lambda: card(first_critical="да")),
    ("unknown_detector", lambda: card(first_detector="magic")),
    ("unknown_applicability", lambda: card(first_applicability="sometimes")),
    ("criterion_params_not_object", lambda: card(first_params=[])),
    # the card
    ("scorecard_without_name", lambda: card(name="")),
    ("bad_scorecard_version", lambda: card(version=0)),
    ("scorecard_without_criteria", lambda: card(criteria=[])),
    ("critical_cap_out_of_range", lambda: card(critical_cap=150)),
    ("criterion_of_wrong_type", lambda: Scorecard("Карта", 1, ("greeting",)).validate()),
    ("duplicate_criterion_key", lambda: card(criteria=[CARD.criteria[0].to_dict()] * 2)),
    ("unknown_criterion", lambda: CARD.criterion("smile")),
    ("scorecard_not_object", lambda: Scorecard.from_dict([])),
    ("criteria_not_list", lambda: card(criteria="greeting")),
    ("criterion_not_object", lambda: card(criteria=[1])),
    ("unknown_fields", lambda: card(colour="red")),
    ("unknown_fields", lambda: card(first_colour="red")),
    ("missing_fields", lambda: without("version")),
    ("missing_fields", lambda: without("title", criterion=True)),
    # the score formula
    ("bad_verdict", lambda: scoring.compute_score(CARD, {"greeting": "да"})),
    ("bad_verdict", lambda: scoring.compute_score(CARD, {}, {"greeting": 1})),
    ("bad_csat", lambda: scoring.compute_score(CARD, {}, csat=7)),
    ("bad_csat", lambda: scoring.csat_points(0)),
    ("bad_csat_weight", lambda: scoring.compute_score(CARD, {}, csat_weight=2)),
    ("verdict_keys_not_on_scorecard", lambda: scoring.compute_score(CARD, {"smile": True})),
    # calibration
    ("grades_not_mapping", lambda: scoring.cohen_kappa([], {})),
    ("grades_not_mapping", lambda: scoring.calibration_report({"Анна": 5})),
    ("ragged_matrix", lambda: scoring.krippendorff_alpha([[True], [True, False]])),
    ("grades_not_by_listener", lambda: scoring.calibration_report([])),
    ("bad_grade", lambda: scoring.calibration_report({"Анна": {(1, "greeting"): "да"}})),
    # forbidden phrases
    ("phrase_not_text", lambda: scoring.compile_phrases([5])),
    ("phrase_without_words", lambda: scoring.compile_phrases(["!!!"])),
    ("phrases_as_one_string", lambda: scoring.compile_phrases("блин")),
    ("bad_max_gap", lambda: scoring.compile_phrases([], max_gap=-1)),
    ("phrases_not_list", lambda: scoring.compile_phrases(5)),
    # the call transcript
    ("call_not_object", lambda: scoring.build_transcript([])),
    ("segments_not_list", lambda: scoring.build_transcript({"segments": "алло"})),
    ("segment_not_object", lambda: scoring.build_transcript({"segments": [5]})),
    ("unknown_speaker", lambda: transcript(speaker="robot")),
    ("bad_seconds", lambda: transcript(start="a")),
    ("bad_segment_times", lambda: transcript(start=5.0, end=2.5)),
    ("segment_text_not_text", lambda: transcript(text=5)),
    ("words_not_list", lambda: transcript(words="Здравствуйте")),
    ("bad_word", lambda: transcript(words=[5])),
    ("metrics_not_object", lambda: scoring.build_transcript({"segments": [], "metrics": []})),
    ("metric_spans_not_list", lambda: scoring.build_transcript({"metrics": {"holds": "x"}})),
    ("metric_span_not_object", lambda: scoring.build_transcript({"metrics": {"holds": [5]}})),
]


@pytest.mark.parametrize(("code", "action"), CASES, ids=[code for code, _ in CASES])
def test_each_refusal_has_its_code_and_russian_wording(code, action):
    with pytest.raises(ScoringError) as caught:
        action()
    assert caught.value.code == code
    assert_russian(say(caught.value))


def test_str_stays_english_for_logs_and_the_criterion_is_named_by_its_title():
    with pytest.raises(scoring.ScorecardError) as caught:
        card(first_weight=-5)
    assert "weight must be a positive number" in str(caught.value)
    assert caught.value.params == {"key": "greeting", "title": "Приветствие", "weight": -5}
    assert say(caught.value) == (
        "Вес критерия «Приветствие» должен быть положительным числом, а указано -5."
    )


@pytest.mark.parametrize("error", [
    scoring.ScoringError, scoring.ScorecardError, scoring.PhraseError, scoring.TranscriptError,
    scoring.ScoreError, scoring.CalibrationError,
], ids=lambda cls: cls.__name__)
def test_class_defaults_have_wording_too(error):
    raised = error("check")
    assert raised.code == error.code
    assert_russian(say(raised))

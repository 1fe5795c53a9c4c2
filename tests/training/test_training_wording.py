"""Every refusal of the training package has a stable code and reads as Russian in the app.

Each row raises a real error through a public function with bad input; the app's catalogue
(:func:`app.wording.say`) must word it as a Russian sentence, never the generic fallback.
"""

import re

import pytest

import training
from app.wording import GENERIC, say
from training import Article, TrainingError

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def assert_russian(text: str) -> None:
    """A whole Russian sentence with its placeholders filled in."""
    assert text != GENERIC
    assert re.search("[а-яё]", text, re.IGNORECASE), text
    assert text[0].isupper(), text
    assert text.endswith("."), text
    assert not PLACEHOLDER.search(text), text


CASES = [
    ("unknown_carrier", lambda: Article("tele2", "tariffs", "Тариф «Смарт»", "Текст")),
    ("unknown_topic", lambda: Article(None, "gossip", "Новости", "Текст")),
    ("article_without_title", lambda: Article(None, "tariffs", "  ", "Текст")),
    ("negative_count", lambda: training.sample_for_listener([], -1)),
    ("random_share_out_of_range", lambda: training.sample_for_listener([], 3, random_share=2)),
    ("negative_count", lambda: training.pick_exemplary([], "anna", k=-2)),
]


@pytest.mark.parametrize(("code", "action"), CASES, ids=[code for code, _ in CASES])
def test_each_refusal_has_its_code_and_russian_wording(code, action):
    with pytest.raises(TrainingError) as caught:
        action()
    assert caught.value.code == code
    assert_russian(say(caught.value))


def test_str_stays_english_for_logs():
    with pytest.raises(training.ArticleError) as caught:
        Article(None, "gossip", "Новости", "Текст")
    assert "unknown topic 'gossip'" in str(caught.value)
    assert caught.value.params["topic"] == "gossip"
    assert "Тарифы" in say(caught.value)


@pytest.mark.parametrize("error", [training.TrainingError, training.ArticleError,
                                   training.SamplingError], ids=lambda cls: cls.__name__)
def test_class_defaults_have_wording_too(error):
    raised = error("check")
    assert raised.code == error.code
    assert_russian(say(raised))

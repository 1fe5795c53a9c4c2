"""Speech errors have the shape of every domain error (``code``, ``params``) and Russian wording."""

import re
from pathlib import Path

import pytest

import speech
from app.wording import GENERIC, say


@pytest.mark.parametrize(("name", "code"), [
    ("empty.wav", "empty"),
    ("corrupt.wav", "corrupt"),
    ("text_renamed.wav", "unsupported_format"),
    ("three_channels.wav", "unsupported_channels"),
    ("silence.wav", "silence"),
    ("does_not_exist.wav", "not_found"),
])
def test_a_refused_recording_reads_as_russian(audio_dir: Path, name: str, code: str):
    with pytest.raises(speech.AudioDecodeError) as caught:
        speech.decode(audio_dir / name)
    assert caught.value.code == code
    text = say(caught.value)
    assert text != GENERIC and re.search("[а-яё]", text, re.IGNORECASE) and text.endswith(".")


@pytest.mark.parametrize(("error", "code"), [
    (speech.SpeechError, "error"),
    (speech.AudioDecodeError, "corrupt"),
    (speech.ModelError, "missing"),
    (speech.BackendError, "unknown_backend"),
], ids=lambda value: getattr(value, "__name__", value))
def test_class_defaults_codes_and_params(error, code):
    raised = error("english for logs")
    assert (raised.code, raised.params, str(raised), raised.message) == (
        code, {}, "english for logs", "english for logs")
    assert say(raised) != GENERIC
    specific = error("english", code="load", path="/models/base")
    assert (specific.code, specific.params) == ("load", {"path": "/models/base"})
    assert say(specific) != GENERIC

"""Fixtures for the speech tests: the committed audio clips and one shared model cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import speech

AUDIO = Path(__file__).resolve().parent.parent / "fixtures" / "audio"


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    return AUDIO


@pytest.fixture(scope="session")
def timeline() -> list[dict]:
    return json.loads((AUDIO / "fixtures.json").read_text(encoding="utf-8"))["timeline"]


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default Whisper model assembled once per test session."""
    cache = tmp_path_factory.mktemp("models")
    speech.ensure_default_model(cache)
    speech.warm_up(cache)
    return cache


@pytest.fixture(scope="session")
def stereo_call(model_cache: Path) -> speech.CallAnalysis:
    prompt = speech.build_prompt("мтСЕТЬ", None, ["интернет"])
    return speech.analyse(AUDIO / "stereo_pcm16.wav", model_cache=model_cache, prompt=prompt)

import hashlib
import sys
from pathlib import Path

import pytest

import speech
from speech.models import DEFAULT_MODEL, ModelSpec, ensure_model


def test_default_model_is_assembled_and_verified(model_cache: Path):
    target = speech.ensure_default_model(model_cache)
    assert target.parent == model_cache
    assert (target / "model.bin").stat().st_size == DEFAULT_MODEL.size
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (target / name).is_file()
    assert not [p for p in model_cache.iterdir() if p.name.startswith(".")]  # no temp left
    mtime = (target / "model.bin").stat().st_mtime_ns
    assert speech.ensure_default_model(model_cache) == target  # second call reuses it
    assert (target / "model.bin").stat().st_mtime_ns == mtime


@pytest.fixture()
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, ModelSpec]:
    site = tmp_path / "site"
    for pkg, payload in (("ulyfake_part1", b"first half "), ("ulyfake_part2", b"second half")):
        (site / pkg / "data").mkdir(parents=True)
        (site / pkg / "__init__.py").write_text("")
        (site / pkg / "data" / "model.bin.part").write_bytes(payload)
    (site / "ulyfake_part1" / "data" / "config.json").write_text("{}")
    monkeypatch.syspath_prepend(str(site))
    whole = b"first half second half"
    spec = ModelSpec("fake", (("ulyfake_part1", "data/model.bin.part"),
                              ("ulyfake_part2", "data/model.bin.part")),
                     (("ulyfake_part1", "data/config.json"),),
                     hashlib.sha256(whole).hexdigest(), len(whole))
    yield site, spec
    for pkg in ("ulyfake_part1", "ulyfake_part2"):
        sys.modules.pop(pkg, None)


def test_parts_are_joined_in_order(tmp_path: Path, fake_parts):
    _site, spec = fake_parts
    target = ensure_model(tmp_path / "cache", spec)
    assert (target / "model.bin").read_bytes() == b"first half second half"
    assert (target / "config.json").is_file()


def test_corrupted_part_is_refused(tmp_path: Path, fake_parts):
    site, spec = fake_parts
    (site / "ulyfake_part2" / "data" / "model.bin.part").write_bytes(b"second hal!")
    with pytest.raises(speech.ModelError) as caught:
        ensure_model(tmp_path / "cache", spec)
    assert caught.value.code == "checksum"
    assert "SHA-256" in str(caught.value) and "ulyfake_part2" in str(caught.value)
    assert not (tmp_path / "cache" / "fake").exists()
    assert list((tmp_path / "cache").iterdir()) == []  # the temporary copy is gone


def test_missing_package_is_named(tmp_path: Path):
    spec = ModelSpec("nope", (("ulybka_no_such_package", "data/x"),), (), "0" * 64, 1)
    with pytest.raises(speech.ModelError, match="ulybka-no-such-package") as caught:
        ensure_model(tmp_path, spec)
    assert caught.value.code == "missing"

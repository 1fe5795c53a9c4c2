"""The content-addressed audio store: originals are kept byte for byte under their SHA-256.

``<data dir>/audio/ab/cd/abcd…ef.wav``. Files are written to a temporary name, hashed while
they stream in, and moved into place atomically; a stored file is never altered.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.models import Call

CHUNK = 1024 * 1024


class TooLarge(Exception):
    """The upload is over the configured limit."""


@dataclass(frozen=True)
class Incoming:
    path: Path
    sha256: str
    size: int

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def receive(stream: BinaryIO, root: Path, max_bytes: int) -> Incoming:
    """Copy a stream into a temporary file inside the store while hashing it."""
    tmp_dir = root / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(dir=tmp_dir, prefix="in-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(size)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Incoming(Path(name), digest.hexdigest(), size)


def relative_path(sha256: str, suffix: str) -> str:
    suffix = suffix.lower() if suffix and len(suffix) <= 6 and suffix[1:].isalnum() else ".bin"
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"


def keep(incoming: Incoming, root: Path, suffix: str) -> str:
    """Move an incoming file to its permanent content address; returns the relative path."""
    rel = relative_path(incoming.sha256, suffix)
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        incoming.discard()
    else:
        shutil.move(str(incoming.path), target)
        os.chmod(target, 0o440)
    return rel


def audio_path(call: Call) -> Path:
    """Where a call's original recording is kept (``<data dir>/audio/...``)."""
    return current_app.config["ULYBKA"].audio_dir / call.stored_path


def recording(call: Call) -> Path | None:
    """The call's recording, or None when it was removed (keep period) or is not in the store."""
    if call.audio_removed_at is not None:
        return None
    path = audio_path(call)
    return path if path.is_file() else None


# the calls whose recording is still kept: what a listener can be asked to listen to
RECORDING_KEPT = Call.audio_removed_at.is_(None)

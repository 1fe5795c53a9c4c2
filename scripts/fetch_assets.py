#!/usr/bin/env python3
"""Fetch the browser assets the app serves itself, from the npm registry, and verify them.

No third-party browser code is committed to the repository and no page loads it from a CDN:
``make run`` / ``make test`` call this script, which uses ``npm pack`` (the machine's npm and its
configured registry) and checks each file against a pinned SHA-256 before installing it into
``app/static/vendor/``. Running it again is a no-op when the files are already in place.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "app" / "static" / "vendor"

ASSETS = [
    # (npm package@version, file inside the tarball, installed name, sha256 of that file)
    ("htmx.org@2.0.8", "package/dist/htmx.min.js", "htmx.min.js",
     "22283ef68cb7545914f0a88a1bdedc7256a703d1d580c1d255217d0a50d31313"),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(spec: str, member: str, name: str, digest: str) -> None:
    target = VENDOR / name
    if target.exists() and sha256(target) == digest:
        return
    if shutil.which("npm") is None:
        sys.exit(f"error: npm is needed once to fetch {spec} (install Node.js/npm), see README")
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(["npm", "pack", spec, "--silent"], cwd=tmp, capture_output=True,
                                text=True)
        if result.returncode != 0:
            sys.exit(f"error: npm pack {spec} failed: {result.stderr.strip()[-400:]}")
        tarball = next(Path(tmp).glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            data = tar.extractfile(member)
            if data is None:
                sys.exit(f"error: {member} missing from {spec}")
            content = data.read()
    actual = hashlib.sha256(content).hexdigest()
    if actual != digest:
        sys.exit(f"error: {spec} {member} has SHA-256 {actual}, expected {digest}; not installed")
    VENDOR.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_suffix(".part")
    tmp_target.write_bytes(content)
    tmp_target.replace(target)
    print(f"installed {name} from {spec} (sha256 verified)")


def main() -> None:
    for asset in ASSETS:
        fetch(*asset)


if __name__ == "__main__":
    main()

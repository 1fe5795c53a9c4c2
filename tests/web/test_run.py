"""The `make run` path: `ulybka run` on a fresh data dir migrates, seeds and serves /login."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_serves_login_on_a_fresh_data_dir(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env["ULYBKA_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "app", "run", "--port", str(port)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        body = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    body = r.read().decode()
            except OSError:
                time.sleep(0.5)
        assert body is not None, "ulybka run did not serve /login"
        assert "Вход в «Улыбку»" in body
        assert (tmp_path / "data" / "ulybka.db").exists()
        assert (tmp_path / "data" / "secret_key").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert "ulybka-demo" in output  # the demo logins were printed


def test_serve_with_several_processes_answers_and_stops(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    env["ULYBKA_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "app", "serve", "--port", str(port), "--processes", "2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        codes = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(codes) < 6:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=2) as r:
                    codes.append(r.status)
            except OSError:
                time.sleep(0.3)
        assert codes == [200] * 6
        workers = children(proc.pid)
        assert len(workers) == 2
        os.kill(workers[0], signal.SIGKILL)  # a dead worker is started again
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (workers[0] in children(proc.pid)
                                               or len(children(proc.pid)) < 2):
            time.sleep(0.2)
        assert workers[0] not in children(proc.pid) and len(children(proc.pid)) == 2
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as r:
            assert r.status == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "2 processes" in output


def children(pid: int) -> list[int]:
    """The live child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found

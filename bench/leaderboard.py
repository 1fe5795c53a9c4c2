"""Leaderboard benchmark: 1,000,000 ledger rows, 500 operators, 50 concurrent HTTP clients.

Seeds a throwaway database (SQLite in a temporary data dir, and/or a throwaway PostgreSQL
database created on the server you name), starts ``ulybka serve`` (granian) on a free
loopback port and measures ``GET /api/v1/leaderboard`` and the operator home page with
keep-alive connections. The load comes from ``wrk`` when it is installed (``apt-get install
wrk``: a C client, so the server keeps the CPU) and otherwise from ``http.client`` connections in
Python threads, which compete with the server for the same cores; the output says which.
Prints p50/p95/errors (a non-200 answer or a body without the expected text) and the load
average after each measurement; asserts nothing. With 50 clients on a small machine the
latency is mostly queueing (p50 ≈ clients / throughput), so any other CPU user skews it:
compare runs only when the load column stays near the server's own share.

    .venv/bin/python bench/leaderboard.py                       # SQLite only
    .venv/bin/python bench/leaderboard.py --postgres postgresql+psycopg://postgres@127.0.0.1/postgres
    .venv/bin/python bench/leaderboard.py --no-sqlite --postgres URL --rows 200000
    .venv/bin/python bench/leaderboard.py --processes 1 --client python
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"
RULES = [("score_band", (10, 5, 2, 0)), ("standards:empathy", (3, 0)), ("standards:greeting", (1, 0))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seed(env: dict[str, str], rows: int, operators: int) -> str:
    """Migrate, create teams/carriers/users and bulk-insert the ledger; return an API key."""
    os.environ.update(env)
    from sqlalchemy import insert, select, text

    from app import create_app
    from app import users as user_ops
    from app.auth.passwords import hash_password
    from app.database import upgrade_database
    from app.extensions import db
    from app.models import Carrier, PointEvent, Role, Team, User

    app = create_app()
    with app.app_context():
        upgrade_database("heads")
        teams = [Team(name=f"Смена {n}") for n in range(1, 9)]
        db.session.add_all(teams)
        for code, name in (("mts", "МТС"), ("megafon", "МегаФон"), ("beeline", "Билайн")):
            if db.session.scalar(select(Carrier).where(Carrier.code == code)) is None:
                db.session.add(Carrier(code=code, name=name))
        db.session.flush()
        carriers = db.session.scalars(select(Carrier.id)).all()
        digest = hash_password(PASSWORD)
        now = datetime.now(UTC)
        db.session.execute(insert(User), [
            {"login": f"op{n:03d}", "full_name": f"Оператор {n:03d}", "search_text": f"op{n:03d}",
             "role": Role.OPERATOR.value, "password_hash": digest, "active": True,
             "team_id": teams[n % len(teams)].id, "session_version": 1, "created_at": now}
            for n in range(operators)])
        manager = user_ops.create_user("bench.manager", "Руководитель", Role.MANAGER, PASSWORD)
        _, key = user_ops.issue_api_key(manager, "bench", actor=None)
        db.session.commit()
        ids = db.session.scalars(select(User.id).where(User.role == Role.OPERATOR)).all()
        rng = random.Random(1)
        columns = ["operator_id", "carrier_id", "source_kind", "source_id", "rule_key", "points", "reason",
                   "occurred_at", "final_at", "ruleset_version", "created_at"]

        def ledger():
            call = 0
            made = 0
            while made < rows:
                call += 1
                operator = rng.choice(ids)
                at = now - timedelta(seconds=rng.randint(0, 60 * 86400))
                carrier = rng.choice(carriers)
                for rule, choices in [("@handled", (0,)), *RULES]:
                    if made >= rows:
                        break
                    yield (operator, carrier, "call", f"b{call}", rule, rng.choice(choices), "",
                           at, at + timedelta(days=3), 1, now)
                    made += 1

        started = time.perf_counter()
        if db.engine.dialect.name == "postgresql":
            raw = db.engine.raw_connection()
            try:
                with raw.cursor() as cursor, cursor.copy(
                        f"COPY point_events ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in ledger():
                        copy.write_row(row)
                raw.commit()
            finally:
                raw.close()
        else:
            batch = []
            for row in ledger():
                batch.append(dict(zip(columns, row, strict=True)))
                if len(batch) == 20000:
                    db.session.execute(insert(PointEvent), batch)
                    batch = []
            if batch:
                db.session.execute(insert(PointEvent), batch)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # a settled table, as in production: autovacuum must not start during the measurement
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE point_events"))
        else:
            db.session.execute(text("ANALYZE"))
        db.session.commit()
        count = db.session.scalar(text("SELECT count(*) FROM point_events"))
        took = time.perf_counter() - started
        print(f"  seeded {count:,} ledger rows for {len(ids)} operators in {took:.1f} s")
        db.engine.dispose()
    return key


class Client:
    def __init__(self, port: int, headers: dict[str, str]):
        self.port, self.headers = port, headers
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            self.conn.request("GET", path, headers=self.headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, b""


def load(port: int, headers: dict[str, str], paths: list[str], clients: int, per_client: int,
         expect: bytes) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker(number: int) -> None:
        client = Client(port, headers)
        mine = []
        for i in range(per_client):
            path = paths[(number + i) % len(paths)]
            start = time.perf_counter()
            status, body = client.get(path)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200 or expect not in body:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"n": len(latencies), "p50": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1], "max": latencies[-1],
            "errors": errors[0], "rps": len(latencies) / wall}


WRK_SCRIPT = """
local paths = {%(paths)s}
local expect = %(expect)s
local threads = {}
local i = 0
%(headers)s
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, expect, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  for _, thread in ipairs(threads) do errors = errors + thread:get("bad") end
  io.write(string.format("RESULT %%d %%.3f %%.3f %%.3f %%d %%.3f\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency.max / 1000, errors,
    summary.duration / 1e6))
end
"""


def _lua(text: str) -> str:
    return '"' + "".join(f"\\{b:03d}" for b in text.encode()) + '"'


def wrk_load(port: int, headers: dict[str, str], paths: list[str], clients: int, seconds: float,
             expect: bytes) -> dict[str, float]:
    """Run ``wrk`` with ``clients`` keep-alive connections for ``seconds``."""
    script = WRK_SCRIPT % {
        "paths": ", ".join(_lua(p) for p in paths), "expect": _lua(expect.decode()),
        "headers": "\n".join(f"wrk.headers[{_lua(k)}] = {_lua(v)}" for k, v in headers.items())}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    try:
        command = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
                   "--timeout", "30s", "-s", file.name, f"http://127.0.0.1:{port}"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"wrk failed: {done.stderr or done.stdout}")
        out = done.stdout
    finally:
        os.unlink(file.name)
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, p50, p95, top, errors, wall = line.split()[1:]
    return {"n": int(n), "p50": float(p50), "p95": float(p95), "max": float(top), "errors": int(errors),
            "rps": int(n) / float(wall)}


def login_cookie(port: int, login: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urlencode({"login": login, "password": PASSWORD, "csrf_token": token})
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    return response.getheader("Set-Cookie", "").split(";")[0] or cookie


def report(what: str, concurrency: int, stats: dict[str, float]) -> None:
    print(f"  {what:<4} {concurrency:>2} client(s): {stats['n']:>6} req  p50 {stats['p50']:6.1f} ms  "
          f"p95 {stats['p95']:6.1f} ms  max {stats['max']:6.1f} ms  {stats['rps']:6.0f} req/s  "
          f"errors {stats['errors']}  load {os.getloadavg()[0]:.1f}")


def run(label: str, database_url: str, rows: int, operators: int, clients: int, per_client: int,
        serve_args: list[str], use_wrk: bool, seconds: float) -> None:
    print(f"\n== {label}: {database_url.split('@')[-1]}")
    data_dir = tempfile.mkdtemp(prefix="ulybka-bench-")
    env = {"ULYBKA_DATA_DIR": data_dir, "DATABASE_URL": database_url}
    result = subprocess.run([sys.executable, __file__, "--seed-only", "--rows", str(rows),
                             "--operators", str(operators)], env={**os.environ, **env},
                            capture_output=True, text=True, check=False)
    if result.returncode:
        print(result.stdout, result.stderr[-3000:])
        raise SystemExit("seeding failed")
    key = result.stdout.strip().splitlines()[-1]
    print("\n".join(result.stdout.strip().splitlines()[:-1]))
    port = free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/ulybka"), "serve", "--port", str(port), *serve_args],
                              env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        api = {"Authorization": f"Bearer {key}"}
        paths = [f"/api/v1/leaderboard?{q}" for q in (
            "period=day", "period=week", "period=month", "period=all", "period=week&carrier=mts",
            "period=month&team=%D0%A1%D0%BC%D0%B5%D0%BD%D0%B0%201")]
        cold = Client(port, api)
        for path in paths:
            start = time.perf_counter()
            cold.get(path)
            took = (time.perf_counter() - start) * 1000
            print(f"  first (uncached) {path.split('?')[1][:32]:<32} {took:7.1f} ms")
        cookie = {"Cookie": login_cookie(port, "op001")}
        # every server process fills its own cache: warm them all before measuring
        load(port, api, paths, 16, 2 * len(paths), b"")
        load(port, cookie, ["/"], 16, 2, b"")
        for what, headers, targets, expect, python_requests in (
                ("API", api, paths, b'"items"', (200, per_client)),
                ("home", cookie, ["/"], "Уровень".encode(), (100, max(1, per_client // 2)))):
            for concurrency, count in zip((1, clients), python_requests, strict=True):
                if use_wrk:
                    stats = wrk_load(port, headers, targets, concurrency, seconds, expect)
                else:
                    stats = load(port, headers, targets, concurrency, count, expect)
                report(what, concurrency, stats)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--operators", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40,
                        help="requests per client (Python client; home: half as many)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per measurement (wrk)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator: wrk when installed (auto), or Python threads")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="ulybka serve --processes (default: CPU cores)")
    parser.add_argument("--threads", type=int, default=4, help="ulybka serve --threads (per process)")
    parser.add_argument("--postgres", help="a PostgreSQL server URL; a throwaway database is created on it")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_only:
        print(seed({}, args.rows, args.operators))
        return
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    serve_args = ["--processes", str(args.processes), "--threads", str(args.threads)]
    client = (f"wrk, {args.seconds:g} s per measurement" if use_wrk
              else f"Python http.client threads, {args.requests} requests per client")
    print(f"leaderboard bench: {args.rows:,} ledger rows, {args.operators} operators, "
          f"{args.clients} concurrent keep-alive clients\n  server: ulybka serve {shlex.join(serve_args)}"
          f"\n  client: {client}\n  {os.cpu_count()} CPU cores, load average {os.getloadavg()[0]:.2f}")
    if not args.no_sqlite:
        db_dir = tempfile.mkdtemp(prefix="ulybka-bench-db-")
        try:
            run("SQLite", f"sqlite:///{db_dir}/bench.db", args.rows, args.operators, args.clients,
                args.requests, serve_args, use_wrk, args.seconds)
        finally:
            shutil.rmtree(db_dir, ignore_errors=True)
    if args.postgres:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        server = make_url(args.postgres)
        name = f"ulybka_bench_{os.getpid()}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            run("PostgreSQL", server.set(database=name).render_as_string(hide_password=False),
                args.rows, args.operators, args.clients, args.requests, serve_args, use_wrk, args.seconds)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()

"""A live server and the system Chromium driven by Playwright.

Outside CI the browser tests skip with a clear message when there is no Chromium; in CI
(``CI`` set) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_path() -> str | None:
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        message = "no system Chromium found (apt-get install chromium); browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def chat_stream(settings):
    """The chat stream server the pages' script listens to, as `make run` starts it (one for the
    whole session: it keeps no state between tests)."""
    from tests.web.test_chat import start_stream_server
    from tests.web.test_mail_intake import free_port

    port = free_port()
    proc = start_stream_server(settings, port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture()
def live_server(demo_centre, chat_stream):
    import dataclasses

    from waitress.server import create_server

    app = demo_centre
    app.config["ULYBKA"] = dataclasses.replace(app.config["ULYBKA"], chat_url=chat_stream)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    stopping = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except OSError:  # the loop was in select() when close() took its socket away
            if not stopping.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    stopping.set()
    server.close()
    thread.join(5)


@pytest.fixture()
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="ru-RU")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path

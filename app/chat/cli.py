"""``ulybka chat-server``: the chat stream server (Server-Sent Events on an event loop)."""

from __future__ import annotations

import click

from app.console import make_app


@click.command("chat-server")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, help="Default: the port of ULYBKA_CHAT_URL (5001).")
def chat_server(host: str, port: int | None) -> None:
    """Serve the chat's event streams (ASGI on granian, one event loop; see docs/chat.md)."""
    from urllib.parse import urlsplit

    from granian.constants import Interfaces
    from granian.server import Server

    app = make_app()  # a configuration error stops here
    port = port or urlsplit(app.config["ULYBKA"].chat_url).port or 5001
    click.echo(f"Ulybka chat streams on http://{host}:{port}/stream")
    Server("app.chat.stream:app", interface=Interfaces.ASGI, address=host, port=port, workers=1,
           websockets=False, backlog=2048, respawn_failed_workers=True, workers_kill_timeout=5).serve()

"""``ulybka smtpd``: the SMTP server (aiosmtpd) that takes subscribers' mail for our domains.

By rule, per SMTP: a recipient outside ``ULYBKA_MAIL_DOMAINS`` is refused at RCPT (550, no
relaying); a message over ``ULYBKA_MAIL_MAX_MB`` is refused at DATA (552, aiosmtpd's size limit,
also announced in EHLO SIZE); an accepted message is kept and queued in one database transaction
before the server answers 250, so nothing is lost while the worker is down; when the database
cannot take it the answer is 451 and the sender's server tries again later. Parsing, threading,
auto-replies and bounces happen in the job (:mod:`app.tickets.mailflow`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

import click
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from flask import Flask

from app.console import with_app

log = logging.getLogger("ulybka.smtpd")


class Intake:
    """The aiosmtpd handler: RCPT by domain, DATA into the database (in a worker thread)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.domains = app.config["ULYBKA"].mail_domains

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        domain = address.rpartition("@")[2].lower()
        if domain not in self.domains:
            return f"550 5.7.1 Relaying denied: this server takes mail for {', '.join(self.domains)} only"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    def _keep(self, raw: bytes, mail_from: str, rcpts: list[str]) -> int:
        from app.extensions import db
        from app.tickets.mailflow import accept

        with self.app.app_context():
            try:
                return accept(raw, mail_from, rcpts).id
            finally:
                db.session.remove()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            mail_id = await asyncio.get_running_loop().run_in_executor(
                None, self._keep, raw, envelope.mail_from or "", list(envelope.rcpt_tos))
        except Exception:  # noqa: BLE001 - any failure to keep it: the sender must try again
            log.exception("a message from %s could not be kept", envelope.mail_from)
            return "451 4.3.0 Temporary failure, please try again later"
        return f"250 2.0.0 Queued as {mail_id}"


def controller(app: Flask, host: str, port: int) -> Controller:
    """A started-on-demand aiosmtpd controller for ``app`` (the command and the tests use it)."""
    limit = app.config["ULYBKA"].mail_max_mb * 1024 * 1024
    return Controller(Intake(app), hostname=host, port=port, data_size_limit=limit,
                      server_hostname=app.config["ULYBKA"].mail_domains[0], ready_timeout=10)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=2525, show_default=True, type=click.IntRange(1, 65535))
@with_app
def smtpd(app: Flask, host: str, port: int) -> None:
    """Take subscribers' e-mail for ULYBKA_MAIL_DOMAINS and turn it into tickets (via the job queue)."""
    server = controller(app, host, port)
    server.start()
    click.echo(f"smtpd: mail for {', '.join(app.config['ULYBKA'].mail_domains)} on {host}:{port}")
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        server.stop()

"""Outgoing mail: through the configured relay (``ULYBKA_SMTP_URL``), or, with none set, into a
maildir in the data dir (``<data dir>/mail/outbox``), so the demo and the tests work offline and
every message sent can be read back.

Callers build an :class:`~email.message.EmailMessage` and call :func:`send` from a job (never
from a request: side effects after commit, retries by the queue).
"""

from __future__ import annotations

import logging
import mailbox
import re
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger("ulybka.mail")
TIMEOUT = 30


def new_message_id() -> str:
    """A fresh Message-ID of ours (without the angle brackets)."""
    return f"{uuid.uuid4().hex}@{current_app.config['ULYBKA'].mail_domains[0]}"


def send(message: EmailMessage) -> str:
    """Send one message; returns where it went (``relay host`` or the maildir key).

    :raises OSError: the relay refused or could not be reached (the job is retried).
    """
    settings = current_app.config["ULYBKA"]
    if "Date" not in message:
        message["Date"] = formatdate(localtime=False)
    if "Message-ID" not in message:
        message["Message-ID"] = f"<{new_message_id()}>"
    if settings.smtp_url is None:
        settings.outbox_dir.parent.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(settings.outbox_dir, create=True)
        key = box.add(message)
        log.info("mail %s to %s written to the outbox (%s)", message["Message-ID"], message["To"], key)
        return f"maildir:{key}"
    url = urlsplit(settings.smtp_url)
    port = url.port or (465 if url.scheme == "smtps" else 25)
    context = ssl.create_default_context()
    client = (smtplib.SMTP_SSL(url.hostname, port, timeout=TIMEOUT, context=context) if url.scheme == "smtps"
              else smtplib.SMTP(url.hostname, port, timeout=TIMEOUT))
    with client:
        client.ehlo()
        if url.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)
    log.info("mail %s to %s sent through %s", message["Message-ID"], message["To"], url.hostname)
    return f"relay:{url.hostname}"


def outbox() -> list[EmailMessage]:
    """The messages in the maildir outbox, oldest first (the demo and the tests read it)."""
    from email import policy
    from email.parser import BytesParser

    settings = current_app.config["ULYBKA"]
    if not settings.outbox_dir.exists():
        return []
    box = mailbox.Maildir(settings.outbox_dir, create=False)
    parser = BytesParser(policy=policy.default)
    def delivered(key: str) -> tuple[int, int, int]:  # «<seconds>.M<µs>P<pid>Q<n>.<host>»
        found = re.match(r"(\d+)\.M(\d+)P\d+Q(\d+)", key)
        return tuple(int(g) for g in found.groups()) if found else (0, 0, 0)

    return [parser.parsebytes(box.get_bytes(k)) for k in sorted(box.keys(), key=delivered)]

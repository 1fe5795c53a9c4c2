"""Text messages to subscribers' phones, through the SMS gateway the centre configures.

``ULYBKA_SMS_GATEWAY=package.module:function`` names a plain function
``function(phone: str, text: str) -> None`` (``phone`` in E.164; raise to make the job retry);
unset, nothing is sent by SMS. The cabinet's sign-in codes (``ULYBKA_OTP_SENDER=sms``) and the
survey link after a call (for a subscriber with no e-mail) go this way. Call :func:`send` from a
job, never from a request: the gateway is another system.
"""

from __future__ import annotations

import importlib
import logging

from flask import current_app

log = logging.getLogger("ulybka.sms")


def configured() -> bool:
    return bool(current_app.config["ULYBKA"].sms_gateway)


def send(phone: str, text: str) -> None:
    """Hand one message to the gateway (does nothing, with a log line, when none is configured)."""
    target = current_app.config["ULYBKA"].sms_gateway
    if not target:
        log.warning("SMS to %s not sent: ULYBKA_SMS_GATEWAY is not set", phone)
        return
    module, _, name = target.partition(":")
    getattr(importlib.import_module(module), name)(phone, text)
    log.info("SMS to %s handed to %s", phone, target)

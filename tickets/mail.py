"""Incoming mail as a ticket sees it: readable Russian text, the thread it belongs to, what is
attached, and whether anybody should answer it.

Built on the standard library's :mod:`email` with the modern policy, which decodes RFC 2047
words in headers («=?koi8-r?B?...?=») and every body charset it declares (KOI8-R,
windows-1251, UTF-8 ...) in quoted-printable or base64. What it does not do, this module does:

* a body declared in no charset, or in a wrong one, is tried as UTF-8, then windows-1251, then
  KOI8-R (the order Russian mail needs: cp1251 text is rarely valid UTF-8, and of the two 8-bit
  ones the text with more Cyrillic lower-case letters wins);
* an HTML-only message becomes text (paragraphs and line breaks kept, scripts and styles
  dropped);
* the earlier messages quoted in a reply are trimmed («> » lines at the end, «-----Original
  Message-----», «… пишет:», «On … wrote:», Outlook's «From:/Sent:» block);
* threading keys: ``Message-ID``, the ``In-Reply-To`` and ``References`` ids (nearest first),
  and the ``[#N]`` tag of the subject;
* a header sent as raw 8-bit bytes (no RFC 2047 words) is read like an undeclared body;
* mail nobody should answer: ``Auto-Submitted`` other than ``no``, ``Precedence`` bulk, junk or
  list, ``X-Autoreply``/``X-Autorespond``, a null sender (bounces).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from .errors import TicketError

TAG = re.compile(r"\[#(\d{1,12})\]")
IDS = re.compile(r"<([^<>\s]+)>")
MAX_BYTES = 25 * 1024 * 1024  # a whole message
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class MailError(TicketError):
    """A message that cannot become a ticket (the code says why: the bounce reason)."""

    code = "mail_error"


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Inbound:
    """One received message, decoded."""

    message_id: str | None
    references: tuple[str, ...]  # In-Reply-To first, then References from the newest
    subject: str
    sender: str  # the address, lower case
    sender_name: str
    recipients: tuple[str, ...]
    text: str  # the new text: quoted earlier messages trimmed
    full_text: str
    attachments: tuple[Attachment, ...]
    automatic: bool  # an auto-reply, a bounce or bulk mail: never answer it

    @property
    def ticket_number(self) -> int | None:
        return find_tag(self.subject)


def find_tag(subject: str) -> int | None:
    """The ticket number of a ``[#N]`` tag in a subject, if any."""
    found = TAG.search(subject or "")
    return int(found.group(1)) if found else None


def tag_subject(subject: str, number: int) -> str:
    """Our replies carry the tag once: ``[#42] Не работает интернет``."""
    subject = (subject or "").strip()
    if find_tag(subject) == number:
        return subject
    return f"[#{number}] {TAG.sub('', subject).strip()}".strip()


# --- text ------------------------------------------------------------------------------

CYRILLIC_LOWER = re.compile("[а-яё]")


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Bytes to text: the declared charset when it decodes cleanly, else UTF-8, else the one of
    windows-1251 and KOI8-R that reads as more lower-case Russian."""
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [data.decode(name, errors="replace") for name in ("cp1251", "koi8_r")]
    return max(candidates, key=lambda text: len(CYRILLIC_LOWER.findall(text)))


class _Text(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


QUOTE_HEADS = [
    re.compile(r"^-{2,}\s*(Original Message|Исходное сообщение|Пересылаемое сообщение)\s*-{2,}", re.I),
    re.compile(r"^\s*(On|Le|Am)\s.+(wrote|a écrit|schrieb)\s*:\s*$", re.I),
    re.compile(r"^.{0,120}\s(пишет|написал|написала)\s*:\s*$", re.I),
    # mail.ru: «Среда, 3 декабря 2026, 10:00 от Иван <a@b>:»
    re.compile(r"^.{0,160}\sот\s.+<[^>]+@[^>]+>\s*:\s*$", re.I),
    re.compile(r"^(From|От|Отправлено|Sent):\s.+", re.I),  # Outlook's header block
]


def trim_quoted(text: str) -> str:
    """The new part of a reply: drop the quoted earlier message (from its heading on, or a
    trailing block of «>» lines)."""
    lines = text.replace("\r\n", "\n").split("\n")
    for n, line in enumerate(lines):
        if n and any(head.match(line.strip()) for head in QUOTE_HEADS):
            lines = lines[:n]
            break
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()
    kept = "\n".join(lines).strip()
    return kept or text.strip()


# --- the message -----------------------------------------------------------------------

_ESCAPED = re.compile("[\udc80-\udcff]")


def _header(message: EmailMessage, name: str) -> str:
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    if isinstance(raw, str) and _ESCAPED.search(raw):
        # raw 8-bit bytes with no RFC 2047 and no charset (old Outlook, some 1C mailers): the
        # parser keeps them as escapes and shows «����»; read the bytes as a body would be read
        return " ".join(decode_bytes(raw.encode("ascii", "surrogateescape")).split())
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the parser cannot make sense of: take it as it came
        value = next((raw for key, raw in message.raw_items() if key.lower() == name.lower()), "")
    return str(value or "").strip()


def _ids(value: str) -> list[str]:
    return IDS.findall(value or "")


def is_automatic(message: EmailMessage) -> bool:
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if _header(message, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return True
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond") or \
            _header(message, "X-Auto-Response-Suppress").lower() in ("all", "oof"):
        return True
    return _header(message, "Return-Path") == "<>"


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    raw = part.get_payload(decode=True) or b""
    text = decode_bytes(raw, part.get_content_charset())
    return html_to_text(text) if part.get_content_type() == "text/html" else text.strip()


def _attachments(message: EmailMessage, limit: int) -> tuple[Attachment, ...]:
    out = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or "вложение"
        if len(data) > limit:
            raise MailError(f"attachment {name!r} is {len(data)} bytes; the limit is {limit}",
                            code="attachment_too_large", filename=name, size=len(data), limit=limit)
        out.append(Attachment(name, part.get_content_type(), data))
    return tuple(out)


def parse(raw: bytes, *, max_bytes: int = MAX_BYTES,
          max_attachment_bytes: int = MAX_ATTACHMENT_BYTES) -> Inbound:
    """Decode one received message.

    :raises MailError: ``message_too_large``, ``not_a_message`` (no headers, no sender),
        ``attachment_too_large`` — each a reason the sender can be told.
    """
    if len(raw) > max_bytes:
        raise MailError(f"the message is {len(raw)} bytes; the limit is {max_bytes}",
                        code="message_too_large", size=len(raw), limit=max_bytes)
    try:
        message = message_from_bytes(raw, policy=policy.default)
        keys = message.keys()
    except Exception:  # noqa: BLE001
        raise MailError("not an e-mail message: the headers cannot be read", code="not_a_message") from None
    if not isinstance(message, EmailMessage) or not keys:
        raise MailError("not an e-mail message: no headers", code="not_a_message")
    try:
        name, address = parseaddr(_header(message, "From"))
    except Exception:  # noqa: BLE001
        name, address = "", ""
    if "@" not in address or len(address) > 200:
        raise MailError(f"no sender address in From: {_header(message, 'From')!r}", code="not_a_message")
    try:
        text = _body(message)
        attachments = _attachments(message, max_attachment_bytes)
    except MailError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever the parser chokes on is a broken message
        raise MailError(f"the message's MIME structure is broken: {exc}", code="broken_mime") from None
    try:
        message_ids = _ids(_header(message, "Message-ID"))
        references = (_ids(_header(message, "In-Reply-To"))
                      + list(reversed(_ids(_header(message, "References")))))
        pairs = getaddresses([_header(message, h) for h in ("To", "Cc")])
        recipients = tuple(a.lower() for _, a in pairs if a)
        subject = _header(message, "Subject")
    except Exception as exc:  # noqa: BLE001
        raise MailError(f"the message's headers are broken: {exc}", code="broken_mime") from None
    return Inbound(
        message_id=message_ids[0][:250] if message_ids else None,  # ids longer than that are nobody's
        references=tuple(dict.fromkeys(r[:250] for r in references)),
        subject=subject,
        sender=address.lower(), sender_name=name.strip(),
        recipients=recipients,
        text=trim_quoted(text), full_text=text,
        attachments=attachments,
        automatic=is_automatic(message),
    )


def reply_headers(*, message_id: str, subject: str, number: int, sender: Address,
                  to: str, replying_to: Inbound | None = None) -> dict[str, str]:
    """Headers of our answer: our own Message-ID, the tag in the subject, the thread ids."""
    headers = {"Message-ID": f"<{message_id}>", "Subject": tag_subject(subject, number),
               "From": str(sender), "To": to}
    if replying_to is not None and replying_to.message_id:
        chain = [*reversed(replying_to.references), replying_to.message_id]
        headers["In-Reply-To"] = f"<{replying_to.message_id}>"
        headers["References"] = " ".join(f"<{i}>" for i in dict.fromkeys(chain))
    return headers

"""Russian mail decoded as a ticket needs it (tickets.mail), on real MIME bytes."""

from __future__ import annotations

import base64
import quopri
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage

import pytest

from tickets.mail import MailError, decode_bytes, find_tag, parse, reply_headers, tag_subject, trim_quoted

BODY = "Здравствуйте! Не работает мобильный интернет на номере +79161234567, помогите, пожалуйста."


def raw_message(body: bytes, charset: str | None, *, subject: str = "Не работает интернет",
                subject_charset: str = "utf-8", transfer: str = "8bit", content_type: str = "text/plain",
                extra: str = "") -> bytes:
    subject_header = Header(subject, subject_charset).encode()
    declared = f"; charset={charset}" if charset else ""
    if transfer == "base64":
        body = base64.encodebytes(body)
    elif transfer == "quoted-printable":
        body = quopri.encodestring(body)
    head = (f"From: =?utf-8?b?{base64.b64encode('Иван Петров'.encode()).decode()}?= <ivan@example.ru>\r\n"
            f"To: support@ulybka.local\r\nSubject: {subject_header}\r\n"
            f"Message-ID: <m1@example.ru>\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: {content_type}{declared}\r\nContent-Transfer-Encoding: {transfer}\r\n{extra}\r\n")
    return head.encode("ascii") + body


@pytest.mark.parametrize(("charset", "transfer"), [
    ("windows-1251", "8bit"), ("windows-1251", "quoted-printable"), ("koi8-r", "base64"),
    ("utf-8", "quoted-printable"), ("utf-8", "base64"),
])
def test_russian_bodies_in_every_charset_and_transfer_encoding(charset, transfer):
    mail = parse(raw_message(BODY.encode(charset), charset, transfer=transfer, subject_charset="koi8-r"))
    assert mail.text == BODY and mail.subject == "Не работает интернет"
    assert mail.sender == "ivan@example.ru" and mail.sender_name == "Иван Петров"
    assert mail.message_id == "m1@example.ru" and not mail.automatic


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_an_undeclared_or_wrong_charset_is_recognised(charset):
    assert parse(raw_message(BODY.encode(charset), None)).text == BODY
    assert decode_bytes(BODY.encode(charset), "utf-8") == BODY  # declared wrong: still read


def test_html_only_mail_becomes_text():
    html = ("<html><head><style>p{color:red}</style></head><body><p>Добрый день!</p>"
            "<p>Подключите, пожалуйста, опцию &laquo;Безлимит&raquo;.<br>Спасибо</p>"
            "<script>alert(1)</script></body></html>")
    mail = parse(raw_message(html.encode("cp1251"), "windows-1251", content_type="text/html"))
    assert mail.text == "Добрый день!\n\nПодключите, пожалуйста, опцию «Безлимит».\nСпасибо"


@pytest.mark.parametrize("quote_head", [
    "3 дек. 2026 г., в 10:00, Служба поддержки <support@ulybka.local> пишет:",
    "Четверг, 3 декабря 2026, 10:00 +03:00 от Служба поддержки <support@ulybka.local>:",
    "On Thu, 3 Dec 2026 at 10:00, Support <support@ulybka.local> wrote:",
    "-----Original Message-----",
    "From: Служба поддержки [mailto:support@ulybka.local]",
])
def test_quoted_earlier_text_is_trimmed_from_a_reply(quote_head):
    reply = f"Спасибо, заработало!\n\n{quote_head}\n> Перезагрузите телефон.\n> С уважением, Анна"
    assert trim_quoted(reply) == "Спасибо, заработало!"
    assert trim_quoted("> только цитата") == "> только цитата"  # nothing new: keep it all


def test_threading_keys_and_our_reply_headers():
    raw = raw_message("Всё ещё не работает".encode(), "utf-8", subject="Re: [#42] Не работает интернет",
                      extra="In-Reply-To: <ours-2@ulybka.local>\r\n"
                            "References: <ours-1@ulybka.local> <ours-2@ulybka.local>\r\n")
    mail = parse(raw)
    assert mail.ticket_number == 42
    assert mail.references == ("ours-2@ulybka.local", "ours-1@ulybka.local")
    headers = reply_headers(message_id="ours-3@ulybka.local", subject=mail.subject, number=42,
                            sender=Address("Служба поддержки", "support", "ulybka.local"),
                            to=mail.sender, replying_to=mail)
    assert headers["Subject"] == "Re: [#42] Не работает интернет"  # tagged once, as it came
    assert headers["In-Reply-To"] == "<m1@example.ru>"
    assert headers["References"] == "<ours-1@ulybka.local> <ours-2@ulybka.local> <m1@example.ru>"
    assert tag_subject("Не работает интернет", 7) == "[#7] Не работает интернет"
    assert tag_subject("[#7] Не работает интернет", 7) == "[#7] Не работает интернет"


@pytest.mark.parametrize("header", ["Auto-Submitted: auto-replied", "Precedence: bulk",
                                    "X-Autoreply: yes", "Return-Path: <>"])
def test_auto_replies_and_bounces_are_marked_automatic(header):
    assert parse(raw_message(b"Out of office", "utf-8", extra=header + "\r\n")).automatic
    assert not parse(raw_message(b"Hi", "utf-8", extra="Auto-Submitted: no\r\n")).automatic


def test_attachments_are_kept_and_a_huge_one_is_refused_with_its_reason():
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ivan@example.ru", "support@ulybka.local", "Скан"
    message.set_content("Прикладываю скан договора.")
    message.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="договор.pdf")
    mail = parse(message.as_bytes())
    assert [(a.filename, a.content_type, a.data) for a in mail.attachments] == \
        [("договор.pdf", "application/pdf", b"%PDF-1.4 ...")]
    assert mail.text == "Прикладываю скан договора."
    with pytest.raises(MailError) as error:
        parse(message.as_bytes(), max_attachment_bytes=4)
    assert error.value.code == "attachment_too_large" and error.value.params["filename"] == "договор.pdf"
    with pytest.raises(MailError) as error:
        parse(message.as_bytes(), max_bytes=100)
    assert error.value.code == "message_too_large"


@pytest.mark.parametrize("raw", [b"", b"just some bytes, no headers at all",
                                 b"Subject: no sender\r\n\r\nbody",
                                 b"From: a@b.ru\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n"
                                 b"--x\r\nContent-Type: text/plain; charset=nonsense\r\n\r\n\xff\xfe\r\n"])
def test_malformed_mail_is_refused_or_read_never_crashes(raw):
    try:
        mail = parse(raw)
    except MailError as error:
        assert error.code in ("not_a_message", "broken_mime")
    else:
        assert mail.sender == "a@b.ru"


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r", "utf-8"])
def test_raw_8bit_headers_without_rfc2047_are_read(charset):
    """Old mailers put the subject and the sender's name in the headers as bare 8-bit bytes."""
    head = (b"From: " + "Иван Петров".encode(charset) + b" <ivan@example.ru>\r\n"
            b"To: support@ulybka.local\r\nSubject: " + "Не работает интернет [#1042]".encode(charset)
            + b"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=" + charset.encode()
            + b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
    mail = parse(head + BODY.encode(charset))
    assert mail.subject == "Не работает интернет [#1042]" and find_tag(mail.subject) == 1042
    assert mail.sender == "ivan@example.ru" and mail.sender_name == "Иван Петров"
    assert mail.text == BODY

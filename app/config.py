"""Configuration from the environment.

Every setting has an embedded default so that ``make run`` works on a fresh machine:

=================  ==========================================  ==================================
variable           default                                     meaning
=================  ==========================================  ==================================
ULYBKA_DATA_DIR    ./instance                                  database, queue, audio, models
DATABASE_URL       sqlite:///<data dir>/ulybka.db              SQLAlchemy URL (SQLite or PostgreSQL)
REDIS_URL          (unset)                                     Redis-backed job queue and limits
SECRET_KEY         generated into <data dir>/secret_key        session and CSRF signing key
ULYBKA_MAX_UPLOAD_MB  500                                      largest accepted upload
ULYBKA_COMPANY     мтСЕТЬ                                      company name operators greet with
ULYBKA_ASR_PROMPT  off                                         on: prime recognition with the
                                                               company, operator and carrier
ULYBKA_PUBLIC_URL  http://127.0.0.1:5000                       address in links sent to subscribers
ULYBKA_MAIL_DOMAINS  ulybka.local                             domains whose mail ``ulybka smtpd``
                                                               accepts (comma-separated)
ULYBKA_SMTP_URL    (unset: a maildir in the data dir)          relay for outgoing mail:
                                                               smtp://user:pass@host:587 (STARTTLS)
                                                               or smtps://host:465
ULYBKA_MAIL_MAX_MB  25                                         largest message smtpd accepts
ULYBKA_CARRIER_SANDBOX_URL  http://127.0.0.1:8025              where the three adapters go unless
                                                               ULYBKA_CARRIER_<MTS|MEGAFON|BEELINE>_URL
                                                               (with _USER, _SECRET) names a real one
ULYBKA_AUDIO_KEEP_DAYS  0 (keep for ever)                      days a recording is kept; older ones
                                                               are removed daily, the transcript and
                                                               grades stay (open disputes keep theirs)
ULYBKA_OTP_SENDER  log                                         how cabinet sign-in codes reach the
                                                               subscriber: log (the server log),
                                                               smtp (their e-mail) or sms
ULYBKA_SMS_GATEWAY  (unset: no SMS)                            package.module:function(phone, text)
                                                               that sends an SMS (docs/cabinet.md)
ULYBKA_CHAT_URL    http://127.0.0.1:5001                       the chat stream server, as browsers
                                                               reach it (docs/chat.md)
ULYBKA_CHAT_LIMIT  3                                           chats one operator may hold at once
=================  ==========================================  ==================================
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

import carriers


class ConfigError(Exception):
    """A setting from the environment is malformed; the message says which and what is accepted."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    max_upload_mb: int
    company_name: str = "мтСЕТЬ"
    asr_prompt: bool = False
    public_url: str = "http://127.0.0.1:5000"  # how subscribers reach the server (links they get)
    audio_keep_days: int = 0  # 0: recordings are kept for ever
    mail_domains: tuple[str, ...] = ("ulybka.local",)
    smtp_url: str | None = None  # None: outgoing mail goes to <data dir>/mail/outbox (a maildir)
    mail_max_mb: int = 25
    carrier_sandbox_url: str = "http://127.0.0.1:8025"
    # per carrier code: (url, user, secret) of a real back-office; absent: the sandbox
    carrier_systems: tuple[tuple[str, str, str, str], ...] = ()
    otp_sender: str = "log"  # log | smtp | sms
    sms_gateway: str | None = None  # package.module:function(phone, text)
    chat_url: str = "http://127.0.0.1:5001"  # the chat stream server (ulybka chat-server)
    chat_limit: int = 3  # chats one operator may hold at once

    @property
    def support_address(self) -> str:
        """The address subscribers write to and our replies come from."""
        return f"support@{self.mail_domains[0]}"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "mail" / "outbox"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def queue_path(self) -> Path:
        return self.data_dir / "queue.db"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def model_dir(self) -> Path:
        return self.data_dir / "models"


def _check_database_url(url: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            f"DATABASE_URL {url!r} is not a database URL ({exc}); accepted: "
            "sqlite:///path/to/file.db or postgresql+psycopg://user@host:5432/dbname"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(
            f"DATABASE_URL uses {parsed.get_backend_name()!r}; accepted backends: sqlite, postgresql"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _check_redis_url(url: str | None) -> str | None:
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"REDIS_URL {url!r} is not a Redis URL; accepted: redis://host:6379/0 or rediss://..."
        )
    return url


def _secret_key(data_dir: Path, env_value: str | None) -> str:
    if env_value:
        return env_value
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return key


_SWITCH = {"on": True, "off": False}
SMS_GATEWAY = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")


def load_settings(environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
    """Read and validate the settings; create the data directory.

    :param environ: mapping to read instead of ``os.environ`` (tests).
    :raises ConfigError: a value is malformed.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("ULYBKA_DATA_DIR") or "instance").resolve()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"ULYBKA_DATA_DIR {str(data_dir)!r} cannot be created: {exc}") from None
    database_url = _check_database_url(
        env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'ulybka.db'}"
    )
    raw_mb = env.get("ULYBKA_MAX_UPLOAD_MB", "500")
    try:
        max_upload_mb = int(raw_mb)
        if max_upload_mb <= 0:
            raise ValueError
    except ValueError:
        raise ConfigError(
            f"ULYBKA_MAX_UPLOAD_MB {raw_mb!r} is not a positive whole number of megabytes"
        ) from None
    raw_prompt = (env.get("ULYBKA_ASR_PROMPT") or "off").strip().lower()
    if raw_prompt not in _SWITCH:
        raise ConfigError(f"ULYBKA_ASR_PROMPT {raw_prompt!r}: accepted are on or off")
    raw_keep = (env.get("ULYBKA_AUDIO_KEEP_DAYS") or "0").strip()
    if not raw_keep.isdigit():
        raise ConfigError(f"ULYBKA_AUDIO_KEEP_DAYS {raw_keep!r} is not a whole number of days "
                          "(0 keeps recordings for ever)")
    domains = tuple(d.strip().lower() for d in (env.get("ULYBKA_MAIL_DOMAINS") or "ulybka.local").split(",")
                    if d.strip())
    if not domains or not all(re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d) for d in domains):
        raise ConfigError(f"ULYBKA_MAIL_DOMAINS {env.get('ULYBKA_MAIL_DOMAINS')!r}: expected domain names "
                          "separated by commas, such as ulybka.local,support.example.ru")
    smtp_url = (env.get("ULYBKA_SMTP_URL") or "").strip() or None
    if smtp_url and (urlsplit(smtp_url).scheme not in ("smtp", "smtps") or not urlsplit(smtp_url).hostname):
        raise ConfigError(f"ULYBKA_SMTP_URL {smtp_url!r}: expected smtp://[user:password@]host[:port] "
                          "(STARTTLS when offered) or smtps://host[:465]")
    raw_mail_mb = (env.get("ULYBKA_MAIL_MAX_MB") or "25").strip()
    if not raw_mail_mb.isdigit() or int(raw_mail_mb) == 0:
        raise ConfigError(f"ULYBKA_MAIL_MAX_MB {raw_mail_mb!r} is not a positive whole number of megabytes")
    sandbox_url = (env.get("ULYBKA_CARRIER_SANDBOX_URL") or "http://127.0.0.1:8025").rstrip("/")
    systems = []
    for code in carriers.CODES:
        url = (env.get(f"ULYBKA_CARRIER_{code.upper()}_URL") or "").strip()
        if url:
            systems.append((code, url, env.get(f"ULYBKA_CARRIER_{code.upper()}_USER", ""),
                            env.get(f"ULYBKA_CARRIER_{code.upper()}_SECRET", "")))
    for name, url in [("ULYBKA_CARRIER_SANDBOX_URL", sandbox_url), *((f"ULYBKA_CARRIER_{c.upper()}_URL", u)
                                                                       for c, u, _, _ in systems)]:
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            raise ConfigError(f"{name} {url!r}: expected an http(s) address such as http://127.0.0.1:8025")
    otp_sender = (env.get("ULYBKA_OTP_SENDER") or "log").strip()
    sms_gateway = (env.get("ULYBKA_SMS_GATEWAY") or "").strip() or None
    if otp_sender not in ("log", "smtp", "sms"):
        raise ConfigError(f"ULYBKA_OTP_SENDER {otp_sender!r}: accepted are log, smtp or sms")
    if sms_gateway and not SMS_GATEWAY.match(sms_gateway):
        raise ConfigError(f"ULYBKA_SMS_GATEWAY {sms_gateway!r}: expected package.module:function, a "
                          "function(phone, text) that sends an SMS (docs/cabinet.md)")
    chat_url = (env.get("ULYBKA_CHAT_URL") or "http://127.0.0.1:5001").strip().rstrip("/")
    if urlsplit(chat_url).scheme not in ("http", "https") or not urlsplit(chat_url).hostname:
        raise ConfigError(f"ULYBKA_CHAT_URL {chat_url!r}: expected an http(s) address such as "
                          "http://127.0.0.1:5001 (where `ulybka chat-server` listens, as browsers reach it)")
    raw_limit = (env.get("ULYBKA_CHAT_LIMIT") or "3").strip()
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= 50:
        raise ConfigError(f"ULYBKA_CHAT_LIMIT {raw_limit!r}: the number of chats one operator may hold "
                          "at once, a whole number from 1 to 50")
    if otp_sender == "sms" and not sms_gateway:
        raise ConfigError("ULYBKA_OTP_SENDER sms needs ULYBKA_SMS_GATEWAY=package.module:function")
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=_check_redis_url(env.get("REDIS_URL")),
        secret_key=_secret_key(data_dir, env.get("SECRET_KEY")),
        max_upload_mb=max_upload_mb,
        company_name=env.get("ULYBKA_COMPANY") or "мтСЕТЬ",
        asr_prompt=_SWITCH[raw_prompt],
        public_url=_check_public_url(env.get("ULYBKA_PUBLIC_URL") or "http://127.0.0.1:5000"),
        audio_keep_days=int(raw_keep),
        mail_domains=domains,
        smtp_url=smtp_url,
        mail_max_mb=int(raw_mail_mb),
        carrier_sandbox_url=sandbox_url,
        carrier_systems=tuple(systems),
        otp_sender=otp_sender,
        sms_gateway=sms_gateway,
        chat_url=chat_url,
        chat_limit=int(raw_limit),
    )


def _check_public_url(url: str) -> str:
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise ConfigError(f"ULYBKA_PUBLIC_URL {url!r}: expected the address subscribers open, "
                          "such as https://ulybka.example.ru (http or https, no query)")
    return url.rstrip("/")


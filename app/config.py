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
=================  ==========================================  ==================================
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


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
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        redis_url=_check_redis_url(env.get("REDIS_URL")),
        secret_key=_secret_key(data_dir, env.get("SECRET_KEY")),
        max_upload_mb=max_upload_mb,
        company_name=env.get("ULYBKA_COMPANY") or "мтСЕТЬ",
        asr_prompt=_SWITCH[raw_prompt],
        public_url=_check_public_url(env.get("ULYBKA_PUBLIC_URL") or "http://127.0.0.1:5000"),
    )


def _check_public_url(url: str) -> str:
    parsed = urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or parsed.query or parsed.fragment:
        raise ConfigError(f"ULYBKA_PUBLIC_URL {url!r}: expected the address subscribers open, "
                          "such as https://ulybka.example.ru (http or https, no query)")
    return url.rstrip("/")


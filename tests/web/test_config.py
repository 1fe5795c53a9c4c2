import subprocess
import sys

import pytest

from app.config import ConfigError, load_settings


def test_defaults(tmp_path):
    settings = load_settings({"ULYBKA_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'ulybka.db'}"
    assert settings.redis_url is None
    assert (tmp_path / "secret_key").read_text() == settings.secret_key
    assert load_settings({"ULYBKA_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("off", False), ("On", True)])
def test_recognition_prompt_switch(tmp_path, value, expected):
    env = {"ULYBKA_DATA_DIR": str(tmp_path)} | ({"ULYBKA_ASR_PROMPT": value} if value else {})
    assert load_settings(env).asr_prompt is expected


def test_postgres_url_gets_the_psycopg_driver(tmp_path):
    settings = load_settings({"ULYBKA_DATA_DIR": str(tmp_path),
                              "DATABASE_URL": "postgresql://u@localhost/db"})
    assert settings.database_url.startswith("postgresql+psycopg://")


@pytest.mark.parametrize("env,match", [
    ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
    ({"DATABASE_URL": "mysql://u@h/db"}, "accepted backends"),
    ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ({"ULYBKA_MAX_UPLOAD_MB": "lots"}, "ULYBKA_MAX_UPLOAD_MB"),
    ({"ULYBKA_MAX_UPLOAD_MB": "-1"}, "ULYBKA_MAX_UPLOAD_MB"),
    ({"ULYBKA_ASR_PROMPT": "maybe"}, "ULYBKA_ASR_PROMPT"),
    ({"ULYBKA_PUBLIC_URL": "ulybka.example.ru"}, "ULYBKA_PUBLIC_URL.*http or https"),
])
def test_malformed_values_are_named(tmp_path, env, match):
    with pytest.raises(ConfigError, match=match):
        load_settings({"ULYBKA_DATA_DIR": str(tmp_path), **env})


def test_cli_reports_a_bad_database_url_without_a_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "app", "demo"], capture_output=True, text=True,
                            env={"ULYBKA_DATA_DIR": str(tmp_path), "DATABASE_URL": "bogus",
                                 "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr

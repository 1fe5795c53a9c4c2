import json

from app.cli import main
from app.extensions import db
from app.models import ApiKey, User


def test_every_command_has_help(runner):
    def walk(group, path):
        for name, command in group.commands.items():
            result = runner.invoke(main, [*path, name, "--help"])
            assert result.exit_code == 0 and "Usage" in result.output, (path, name)
            if hasattr(command, "commands"):
                walk(command, [*path, name])

    walk(main, [])


def test_users_create_and_apikey_json(runner, app, monkeypatch):
    result = runner.invoke(main, ["users", "create", "k.ivanova", "--name", "Ксения Иванова",
                                  "--role", "qa_listener", "--password", "long-password", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["role"] == "qa_listener"
    result = runner.invoke(main, ["apikey", "create", "k.ivanova", "--json"])
    key = json.loads(result.output)["key"]
    assert key.startswith("ulb_") and db.session.query(ApiKey).count() == 1
    assert db.session.query(User).filter_by(login="k.ivanova").one().full_name == "Ксения Иванова"


def test_apikey_for_unknown_user_is_a_clear_error(runner, app, monkeypatch):
    result = runner.invoke(main, ["apikey", "create", "ghost"])
    assert result.exit_code == 2 and "no user with login 'ghost'" in result.output


def test_demo_json(runner, app, monkeypatch):
    data = json.loads(runner.invoke(main, ["demo", "--json"]).output)
    assert data["seeded"] and data["created"] >= 45 and "admin" in data["logins"]
    again = json.loads(runner.invoke(main, ["demo", "--if-empty", "--json"]).output)
    assert again["seeded"] is False


def test_a_command_on_a_database_not_yet_created_says_to_migrate(settings, tmp_path, monkeypatch):
    """No traceback: the command names what to run; after ``ulybka migrate`` it works."""
    import dataclasses

    from click.testing import CliRunner

    from app import cli
    from tests.conftest import build_app

    fresh = build_app(dataclasses.replace(settings, database_url=f"sqlite:///{tmp_path / 'new.db'}"))
    runner = CliRunner()  # the app goes in as the command line's object, as in production
    refused = runner.invoke(cli.main, ["kb", "search", "тариф"], obj=fresh)
    assert refused.exit_code == 2 and "Traceback" not in refused.output  # CliError
    assert "База данных ещё не создана или её схема устарела" in refused.output
    assert "ulybka migrate" in refused.output
    assert runner.invoke(cli.main, ["migrate"], obj=fresh).exit_code == 0
    found = runner.invoke(cli.main, ["kb", "search", "тариф"], obj=fresh)
    assert found.exit_code == 0 and "Ничего не нашлось." in found.output

"""The feature registry: what the factory, CLI, queue, worker, demo, menu and home page read."""

from __future__ import annotations

import subprocess

import pytest

from app import features
from app.features import EVENTS, DemoStep, Feature, JobKind, RegistryError


def test_every_installed_feature_loads_with_a_unique_name():
    names = [f.name for f in features.features()]
    assert len(names) == len(features.INSTALLED) == len(set(names))


def test_the_app_serves_every_blueprint_the_features_declare(app):
    declared = {bp.name for f in features.features() for bp in (*f.blueprints, *f.api)}
    assert declared == set(app.blueprints)
    api = {bp.name for f in features.features() for bp in f.api}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in api:  # every API route is under /api/v1
            assert rule.rule.startswith("/api/v1/"), rule.rule


def test_api_blueprints_need_no_csrf_token_but_pages_do(app, client, make_user):
    from app.users import issue_api_key

    user = make_user("boss", role="manager")
    _, key = issue_api_key(user, "t", actor=None)
    from app.extensions import db

    db.session.commit()
    api = client.post("/api/v1/calls", headers={"Authorization": f"Bearer {key}"})
    assert api.status_code == 400 and api.json["error"]  # refused for the missing file, not CSRF
    page = client.post("/login", data={"login": "boss", "password": "x"})
    assert page.status_code == 400  # a page without its CSRF token


def test_every_command_comes_from_a_feature_or_the_root():
    from app.cli import main

    root = {"migrate", "demo", "serve", "run"}
    declared = {c.name for c in features.commands()}
    assert set(main.commands) == root | declared and not root & declared
    assert {"ingest", "calls", "leaderboard", "kb", "import-gift", "listening", "users", "apikey",
            "jobs", "worker"} <= declared


def test_job_kinds_periodic_tasks_and_processes():
    kinds = features.job_kinds()
    assert {"calls.process", "calls.score", "diagnostics.echo", "diagnostics.sleep"} <= set(kinds)
    assert kinds["calls.process"].on_failure is not None
    assert [(p.name, p.command) for p in features.processes()] == [
        ("worker", ("worker",)), ("smtpd", ("smtpd",)), ("carrier-sandbox", ("carrier-sandbox",)),
        ("chat-server", ("chat-server",))]
    listening = {t.name: t for t in features.periodic_tasks()}["assign_listening"]
    assert listening.at_start and listening.schedule == {"minute": "*/15"}


def test_demo_steps_run_in_their_declared_order():
    assert [s.name for s in features.demo_steps()] == ["calls", "kb", "exams", "games", "tickets", "chats"]


@pytest.mark.parametrize(("role", "labels"), [
    ("manager", ["Главная", "Звонки", "Обращения", "Чаты", "Оценка", "Карта оценки", "Рейтинг", "База знаний",
                 "Аттестация", "Прослушка", "Команды", "Очередь задач"]),
    ("admin", ["Главная", "Звонки", "Обращения", "Рейтинг", "База знаний", "Аттестация", "Прослушка",
               "Команды", "Очередь задач", "Пользователи", "API-ключи"]),
    ("operator", ["Главная", "Звонки", "Обращения", "Чаты", "Рейтинг", "База знаний", "Аттестация",
                  "Прослушка"]),
    ("subscriber", ["Мои заявки", "Чат с оператором", "Новая заявка", "Тарифы и опции"]),
])
def test_the_menu_of_each_role(role, labels):
    assert [i.label for i in features.nav_items(role)] == labels


@pytest.mark.parametrize(("role", "templates"), [
    ("operator", ["kb/_notices.html", "games/_operator_home.html", "main/_operator_lines.html"]),
    ("qa_listener", ["qa/_home.html", "listening/_home.html"]),
    ("manager", ["main/_staff_counts.html"]),
    ("subscriber", ["cabinet/_overview.html"]),
])
def test_home_panels_of_each_role(role, templates):
    assert [p.template for p in features.home_panels(role)] == templates


def test_the_home_page_shows_the_panels_of_the_role(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Руководителей" in page and "Команды и линии" in page
    assert "Уровень" not in page  # the operator's game panel is not a manager's


def _step(rng):
    return {}


@pytest.mark.parametrize("twins", [
    (Feature("a", jobs=(JobKind("x.y", print),)), Feature("b", jobs=(JobKind("x.y", print),))),
    (Feature("a", demo=(DemoStep(1, "s", _step),)), Feature("b", demo=(DemoStep(2, "s", _step),))),
    (Feature("a"), Feature("a")),
])
def test_two_features_cannot_claim_one_name(twins):
    with pytest.raises(RegistryError, match="two features declare"):
        features._check(twins)


def test_an_unknown_event_is_refused_when_listened_to_or_announced():
    with pytest.raises(RegistryError, match="unknown event 'call.procesed'"):
        features._check((Feature("a", listeners={"call.procesed": print}),))
    with pytest.raises(RegistryError, match="known: call.processed"):
        features.announce("no.such.event")
    assert set(EVENTS) >= {e for f in features.features() for e in f.listeners}


def test_run_starts_every_declared_process_and_stops_them(app, runner, make_user, monkeypatch):
    """``ulybka run`` starts what the features declare beside the web server, and stops it."""
    from app import cli

    make_user("someone")  # the demo is only seeded into an empty database
    started: list[list[str]] = []
    served: list[tuple] = []

    class Proc:
        def __init__(self, argv, env):
            started.append(argv[3:])  # python -m app <command...>
            self.stopped = False

        def terminate(self):
            self.stopped = True

        def wait(self, timeout=None):
            if not self.stopped:
                raise subprocess.TimeoutExpired("x", timeout)
            return 0

    monkeypatch.setattr(cli.subprocess, "Popen", Proc)
    monkeypatch.setattr(cli, "serve_http", lambda *args: served.append(args))
    result = runner.invoke(cli.main, ["run", "--port", "5999"])
    assert result.exit_code == 0, result.output
    assert started == [list(p.command) for p in features.processes()] == [
        ["worker"], ["smtpd"], ["carrier-sandbox"], ["chat-server"]]
    assert served == [("127.0.0.1", 5999, 1, 4)]
    assert "also running: worker" in result.output


def test_get_owned_or_404_answers_another_persons_row_as_missing(app, make_user):
    from werkzeug.exceptions import NotFound

    from app.access import get_owned_or_404
    from app.extensions import db
    from app.models import Notification

    anna, boris = make_user("anna"), make_user("boris")
    note = Notification(user_id=anna.id, text="Новый значок")
    db.session.add(note)
    db.session.commit()
    assert get_owned_or_404(Notification, note.id, user_id=anna.id) is note
    for ident, owner in [(note.id, boris.id), (note.id + 1, anna.id), ("abc", anna.id)]:
        with pytest.raises(NotFound):
            get_owned_or_404(Notification, ident, user_id=owner)
    with pytest.raises(TypeError):
        get_owned_or_404(Notification, note.id)

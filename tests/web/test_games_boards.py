"""Leaderboards through the real query, the API, the CLI and the TV page."""

from datetime import timedelta

import pytest

from app import users
from app.extensions import db
from app.games import operations, queries
from app.models import Carrier, Team
from tests.web.games_support import call, recent


@pytest.fixture()
def floor(make_user):
    dawn, dusk = Team(name="Рассвет"), Team(name="Закат")
    db.session.add_all([dawn, dusk])
    for code, name in (("mts", "МТС"), ("beeline", "Билайн")):
        if db.session.query(Carrier).filter_by(code=code).first() is None:
            db.session.add(Carrier(code=code, name=name))
    db.session.commit()
    make_user("anna", team=dawn, full_name="Анна Смирнова")
    make_user("boris", team=dawn, full_name="Борис Петров")
    make_user("vera", team=dusk, full_name="Вера Орлова")
    make_user("gleb", team=dusk, full_name="Глеб Иванов")
    base = recent(50)
    events = [
        call("anna", "a1", 95, at=base, carrier="mts"), call("anna", "a2", 80, at=base, carrier="mts"),
        call("boris", "b1", 95, at=base + timedelta(minutes=1), carrier="beeline"),
        call("boris", "b2", 80, at=base + timedelta(minutes=2), carrier="beeline"),
        call("vera", "v1", 95, at=base + timedelta(minutes=3), carrier="mts"),
        call("vera", "v2", 95, at=base + timedelta(minutes=4), carrier="mts"),
        call("vera", "v3", 10, at=base + timedelta(minutes=5), carrier="mts"),
        call("gleb", "g1", 95, at=base + timedelta(minutes=6), carrier="mts"),
    ]
    operations.award_events(events)
    db.session.commit()


def test_ties_rank_by_calls_then_who_was_first(floor):
    ranked = queries.leaderboard(queries.Board("day"))
    assert [(r.rank, r.operator, r.points, r.calls) for r in ranked] == [
        (1, "vera", 20, 3), (2, "anna", 15, 2), (3, "boris", 15, 2), (4, "gleb", 10, 1)]


def test_normalised_board_and_min_calls(floor):
    ranked = queries.leaderboard(queries.Board("day", normalise=True, min_calls=2))
    scores = [(r.operator, round(r.score, 2)) for r in ranked]
    assert scores == [("anna", 7.5), ("boris", 7.5), ("vera", 6.67)]
    assert "gleb" not in [r.operator for r in ranked]


def test_team_and_carrier_boards(floor):
    teams = queries.leaderboard(queries.Board("week", by="team"))
    assert [(r.operator, r.points, r.calls) for r in teams] == [("Рассвет", 30, 4), ("Закат", 30, 4)]
    beeline = queries.leaderboard(queries.Board("week", carrier="beeline"))
    assert [r.operator for r in beeline] == ["boris"]
    dusk = queries.leaderboard(queries.make_board("month", team="Закат"))
    assert {r.operator for r in dusk} == {"vera", "gleb"}


def test_api_returns_rows_sorted_by_rank(floor, client, make_user):
    _, key = users.issue_api_key(make_user("boss", role="manager"), "t", actor=None)
    db.session.commit()
    headers = {"Authorization": f"Bearer {key}"}
    response = client.get("/api/v1/leaderboard?period=day&carrier=mts", headers=headers)
    assert response.status_code == 200
    assert response.json["items"] == [
        {"rank": 1, "operator": "vera", "team": "Закат", "points": 20, "calls": 3},
        {"rank": 2, "operator": "anna", "team": "Рассвет", "points": 15, "calls": 2},
        {"rank": 3, "operator": "gleb", "team": "Закат", "points": 10, "calls": 1},
    ]
    bad = client.get("/api/v1/leaderboard?period=year", headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 400 and "year" in bad.json["error"]["message"]


def test_cli_prints_json_rows(floor, runner, app, monkeypatch):
    from app.cli import main

    result = runner.invoke(main, ["leaderboard", "--period", "day", "--team", "Рассвет", "--json"])
    assert result.exit_code == 0, result.output
    import json

    rows = json.loads(result.output)
    assert [list(r) for r in rows] == [["rank", "operator", "team", "points", "calls"]] * 2
    assert [r["operator"] for r in rows] == ["anna", "boris"]
    wrong = runner.invoke(main, ["leaderboard", "--carrier", "tele2"])
    assert wrong.exit_code == 2 and "tele2" in wrong.output


def test_leaderboard_page_and_htmx_fragment(floor, auth, make_user):
    make_user("op", full_name="Оля Пак")
    auth.login("op")
    page = auth.client.get("/games/?period=day").get_data(as_text=True)
    assert "Рейтинг" in page and "Вера Орлова" in page and "<nav" in page
    fragment = auth.client.get("/games/?period=day&by=team", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "Рассвет" in html and "<nav" not in html


def test_tv_page_polls_and_hides_names(floor, auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    html = auth.client.get("/tv").get_data(as_text=True)
    assert 'hx-trigger="every 30s"' in html and "Вера Орлова" in html and 'class="nav"' not in html
    response = auth.post("/games/settings", {"s-tv_hide_names": "y", "s-streak_target": "30"})
    assert response.status_code == 302
    html = auth.client.get("/tv", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Вера Орлова" not in html and "Оператор №1" in html

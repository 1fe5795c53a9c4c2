"""`ulybka staffing`: the JSON contract and clear refusals naming the field."""

from __future__ import annotations

import json

from app.cli import main


def test_the_staffing_command_prints_the_contract(runner):
    result = runner.invoke(main, ["staffing", "--calls", "100", "--interval", "30", "--aht", "180",
                                  "--target", "0.8", "--answer-within", "20", "--patience", "120",
                                  "--shrinkage", "0.3", "--max-occupancy", "0.85", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"agents", "service_level", "asa", "occupancy", "abandon_rate", "scheduled_agents"}
    assert data["agents"] == 12 and data["scheduled_agents"] == 18 and 0.8 <= data["service_level"] < 0.9
    text = runner.invoke(main, ["staffing", "--calls", "100", "--aht", "180"]).output
    assert "Erlang C: нагрузка 10.0 Эрл. Нужно операторов на линии: 14" in text


def test_impossible_staffing_inputs_are_refused_in_russian(runner):
    zero = runner.invoke(main, ["staffing", "--calls", "100", "--aht", "0"])
    assert zero.exit_code != 0
    assert "Среднее время обработки (--aht) должно быть положительным числом" in zero.output
    share = runner.invoke(main, ["staffing", "--calls", "100", "--aht", "180", "--target", "1.2"])
    assert "Целевой уровень сервиса (--target) — доля от 0 до 1" in share.output
    huge = runner.invoke(main, ["staffing", "--calls", "1e9", "--aht", "180"])
    assert "не обслужить никаким разумным числом операторов" in huge.output

"""``ulybka staffing``: how many agents a queue needs (Erlang C, or Erlang A with --patience)."""

from __future__ import annotations

import click

import workforce
from app.console import CliError, emit
from app.wording import say


@click.command("staffing")
@click.option("--calls", type=float, required=True, help="Calls offered in one interval.")
@click.option("--interval", "interval_minutes", type=float, default=30.0, show_default=True,
              help="Interval length, minutes.")
@click.option("--aht", type=float, required=True, help="Average handling time, seconds.")
@click.option("--target", type=float, default=0.8, show_default=True, help="Service level to reach, a share.")
@click.option("--answer-within", type=float, default=20.0, show_default=True,
              help="Seconds within which a call counts as answered in time.")
@click.option("--patience", type=float, help="Mean patience of callers, seconds: Erlang A (abandonment).")
@click.option("--shrinkage", type=float, default=0.0, show_default=True,
              help="Share of paid time off the line (breaks, training, listening).")
@click.option("--max-occupancy", type=float, default=1.0, show_default=True,
              help="Highest share of time an agent may be busy.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def staffing(calls: float, interval_minutes: float, aht: float, target: float, answer_within: float,
             patience: float | None, shrinkage: float, max_occupancy: float, as_json: bool) -> None:
    """The fewest agents that reach the service level, and how many to schedule."""
    try:
        need = workforce.required_agents(calls=calls, interval_minutes=interval_minutes, aht_seconds=aht,
                                         target=target, answer_within=answer_within, patience=patience,
                                         shrinkage=shrinkage, max_occupancy=max_occupancy)
    except workforce.StaffingError as exc:
        raise CliError(say(exc)) from None
    data = need.to_dict()
    model = "Erlang A" if patience else "Erlang C"
    emit(data, as_json, (f"{model}: нагрузка {data['traffic_erlangs']} Эрл. Нужно операторов на линии: "
                         f"{data['agents']} (уровень сервиса {data['service_level']:.1%}, "
                         f"ASA {data['asa']} с, "
                         f"загрузка {data['occupancy']:.1%}, брошено {data['abandon_rate']:.1%}); "
                         f"в графике с учётом времени вне линии: {data['scheduled_agents']}."))

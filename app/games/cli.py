"""``ulybka leaderboard``: the board in the terminal or as JSON."""

from __future__ import annotations

import click
from flask import Flask

from app.console import CliError, emit, with_app


@click.command()
@click.option("--period", type=click.Choice(["day", "week", "month", "all"]), default="week",
              show_default=True, help="Moscow calendar period.")
@click.option("--team", default=None, help="Only operators of this team (its name).")
@click.option("--carrier", default=None, help="Only points from this carrier's line: mts, megafon, beeline.")
@click.option("--by", type=click.Choice(["operator", "team"]), default="operator", show_default=True)
@click.option("--normalise", is_flag=True, help="Rank by points per handled call.")
@click.option("--min-calls", default=0, show_default=True, type=int, help="Hide operators with fewer calls.")
@click.option("--json", "as_json", is_flag=True, help="Print [{rank, operator, team, points, calls}].")
@with_app
def leaderboard(app: Flask, period: str, team: str | None, carrier: str | None, by: str, normalise: bool,
                min_calls: int, as_json: bool) -> None:
    """Print the leaderboard sorted by rank (ties: more calls, then who got there first)."""
    from app.games import queries

    try:
        board = queries.make_board(period, by, team, carrier, normalise, min_calls)
    except queries.BoardError as exc:
        raise CliError(str(exc)) from None
    rows = queries.board_json(queries.leaderboard(board))
    lines = [f"{'#':>4}  {'operator':<24} {'team':<28} {'points':>8} {'calls':>6}"]
    lines += [f"{r['rank']:>4}  {r['operator']:<24} {r['team']:<28} {r['points']:>8} {r['calls']:>6}"
              for r in rows]
    emit(rows, as_json, "\n".join(lines) if rows else "no points in this period")

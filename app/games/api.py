"""``GET /api/v1/leaderboard``: the same rows as ``ulybka leaderboard --json``."""

from __future__ import annotations

from flask import current_app, request

from app.access import STAFF, access
from app.access import api_error as error
from app.api.blueprint import api_blueprint
from app.games import queries
from app.games.cache import cached

bp = api_blueprint("games_api", __name__)


@bp.route("/leaderboard")
@access(*STAFF, via="api")
def leaderboard():
    args = request.args
    try:
        board = queries.make_board(args.get("period"), args.get("by"), args.get("team"),
                                   args.get("carrier"), args.get("normalise") in ("1", "true"),
                                   args.get("min_calls") or 0)
    except queries.BoardError as exc:
        return error(400, "bad_request", str(exc))
    body = cached(("api-body", board), lambda: current_app.json.response(
        {"period": board.period, "by": board.by, "team": board.team, "carrier": board.carrier,
         "items": queries.leaderboard_json(board)}).get_data())
    return current_app.response_class(body, mimetype="application/json")

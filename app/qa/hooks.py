"""Where QA plugs into the rest of the app: after speech processing, into the call's JSON and page."""

from sqlalchemy import select

from app.calls import operations as call_operations
from app.calls import serialize as call_serialize
from app.extensions import db
from app.qa import operations
from app.qa.serialize import scoring_fields, scoring_view

if operations.after_processing not in call_operations.AFTER_PROCESSING:
    call_operations.AFTER_PROCESSING.append(operations.after_processing)
if scoring_fields not in call_serialize.EXTRA_FIELDS:
    call_serialize.EXTRA_FIELDS.append(scoring_fields)
if scoring_view not in call_serialize.VIEW_EXTRAS:
    call_serialize.VIEW_EXTRAS.append(scoring_view)


def award_call_points(call, result) -> None:
    """Every change of a call's score goes to the points ledger (award once, then re-award)."""
    import games
    from app.games import operations as game_ops
    from app.models import GameEvent

    if call.operator is None or result.score.value is None:
        return
    verdicts = {line.key: line.verdict for line in result.score.lines}
    is_critical = {c.key: c.critical for c in result.card.criteria}
    critical = any(line.verdict is False and is_critical[line.key] for line in result.score.lines)
    event = games.Event(
        source_kind="call", source_id=str(call.id), operator=call.operator.login,
        occurred_at=call.started_at or call.created_at,
        payload={"score": round(result.score.value, 1), "verdicts": verdicts,
                 "critical_violation": critical, "duration": call.duration or 0.0,
                 "carrier": call.carrier.code if call.carrier else None})
    known = db.session.scalar(select(GameEvent.id).where(GameEvent.source_kind == "call",
                                                         GameEvent.source_id == str(call.id)))
    if known is None:
        game_ops.award_event(event)
    else:
        game_ops.reaward_event(event, note="оценка звонка изменилась")
    db.session.commit()


if award_call_points not in operations.SCORE_CHANGED:
    operations.SCORE_CHANGED.append(award_call_points)

"""Daily listening: calls to grade for QA listeners, exemplary calls for operators."""

from datetime import date

from app.access import STAFF
from app.features import Feature, NavItem, Periodic
from app.listening import cli
from app.listening.operations import assign_all
from app.listening.views import bp


def assign_today() -> None:
    """Today's listening assignments for every QA listener and operator (idempotent): they are
    there in the morning, not only once someone opens the page."""
    assign_all(date.today())


FEATURE = Feature(
    name="listening",
    blueprints=(bp,),
    commands=(cli.listening,),
    periodic=(Periodic("assign_listening", {"minute": "*/15"}, assign_today, at_start=True),),
    nav=(NavItem(90, "listening.index", "Прослушка", STAFF),),
)

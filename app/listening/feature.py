"""Daily listening: calls to grade for QA listeners, exemplary calls for operators."""

from datetime import date

from app.access import STAFF
from app.features import Feature, HomePanel, NavItem, Periodic
from app.listening import cli
from app.listening.operations import assign_all, home_panel
from app.listening.views import bp
from app.models import Role


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
    home=(HomePanel(30, "listening/_home.html", (Role.QA_LISTENER,), home_panel),),
)

"""The home page (its panels come from every feature) and the teams overview."""

from app.access import STAFF
from app.features import Feature, HomePanel, NavItem
from app.main import queries
from app.main.views import bp
from app.models import Role

FEATURE = Feature(
    name="main",
    blueprints=(bp,),
    nav=(
        NavItem(10, "main.home", "Главная", STAFF),
        NavItem(100, "main.team", "Команды", (Role.MANAGER, Role.ADMIN)),
    ),
    home=(
        HomePanel(20, "main/_operator_lines.html", (Role.OPERATOR,)),
        HomePanel(10, "main/_staff_counts.html", (Role.MANAGER, Role.ADMIN), queries.staff_counts),
    ),
)

"""Games: points ledger, badges, levels, streaks, challenges, leaderboards, the floor screen."""

from app.access import STAFF
from app.features import DemoStep, Feature, HomePanel, NavItem
from app.games import cli, demo, listeners
from app.games.api import bp as api_bp
from app.games.views import bp
from app.models import Role

FEATURE = Feature(
    name="games",
    blueprints=(bp,),
    api=(api_bp,),
    commands=(cli.leaderboard,),
    demo=(DemoStep(40, "games", demo.seed_games_demo),),
    nav=(
        NavItem(50, "games.leaderboard", "Рейтинг", STAFF),
    ),
    home=(HomePanel(10, "games/_operator_home.html", (Role.OPERATOR,)),),
    listeners={
        "call.score_changed": listeners.award_call_points,
        "rating.added": listeners.award_rating_points,
        "ticket.resolved": listeners.award_ticket_points,
        "training.completed": listeners.award_training_event,
    },
)

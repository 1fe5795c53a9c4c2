"""The knowledge base: articles with versions, Russian-aware search, the lookup report, the
carriers' catalogues synced from their systems (reviewed, published, confirmed as read)."""

from app.access import STAFF
from app.features import DemoStep, Feature, HomePanel, JobKind, NavItem, Periodic
from app.kb import catalogue, cli, demo
from app.kb.views import bp
from app.models import Role

FEATURE = Feature(
    name="kb",
    blueprints=(bp,),
    commands=(cli.kb,),
    jobs=(JobKind("kb.sync_catalogue", catalogue.run_sync),),
    periodic=(Periodic("kb.sync_catalogues", {"minute": "17"}, catalogue.periodic_sync),),
    demo=(DemoStep(20, "kb", demo.seed_kb_demo),),
    nav=(NavItem(70, "kb.index", "База знаний", STAFF),),
    home=(HomePanel(5, "kb/_notices.html", (Role.OPERATOR,), catalogue.home_panel),),
)

"""The knowledge base: articles with versions, Russian-aware search, the lookup report."""

from app.access import STAFF
from app.features import DemoStep, Feature, NavItem
from app.kb import cli, demo
from app.kb.views import bp

FEATURE = Feature(
    name="kb",
    blueprints=(bp,),
    commands=(cli.kb,),
    demo=(DemoStep(20, "kb", demo.seed_kb_demo),),
    nav=(NavItem(70, "kb.index", "База знаний", STAFF),),
)

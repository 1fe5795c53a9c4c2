"""Exams and certification: GIFT banks, attempts, grading, admission to each carrier's line."""

from app.access import STAFF
from app.exams import admission, cli, demo
from app.exams.api import bp as api_bp
from app.exams.views import bp
from app.features import DemoStep, Feature, NavItem

FEATURE = Feature(
    name="exams",
    blueprints=(bp,),
    api=(api_bp,),
    commands=(cli.import_gift,),
    demo=(DemoStep(30, "exams", demo.seed_exams_demo),),
    nav=(NavItem(80, "exams.index", "Аттестация", STAFF),),
    listeners={"kb.material_change": admission.revoke_for_carrier, "call.page": admission.call_page},
)

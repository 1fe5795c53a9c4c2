"""QA: automatic standards on every processed call, grading, calibration, disputes, surveys."""

from app.features import Feature, HomePanel, JobKind, NavItem
from app.models import Role
from app.qa import operations, queries
from app.qa.serialize import scoring_fields, scoring_view
from app.qa.views import bp

FEATURE = Feature(
    name="qa",
    blueprints=(bp,),
    jobs=(JobKind("calls.score", operations.score_job),),
    nav=(
        NavItem(30, "qa.queue", "Оценка", (Role.QA_LISTENER, Role.MANAGER)),
        NavItem(40, "qa.scorecard", "Карта оценки", (Role.MANAGER,)),
    ),
    home=(HomePanel(10, "qa/_home.html", (Role.QA_LISTENER,), queries.home_panel),),
    listeners={
        "call.processed": operations.after_processing,
        "call.json": scoring_fields,
        "call.page": scoring_view,
    },
)

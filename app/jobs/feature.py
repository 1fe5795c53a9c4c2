"""The job queue as a feature: its status page and API, diagnostic jobs, the worker process."""

from app.features import Feature, JobKind, NavItem, Process
from app.jobs import cli, handlers
from app.jobs.api import bp as api_bp
from app.jobs.views import bp
from app.models import Role

FEATURE = Feature(
    name="jobs",
    blueprints=(bp,),
    api=(api_bp,),
    commands=(cli.jobs, cli.worker),
    jobs=(JobKind("diagnostics.echo", handlers.echo), JobKind("diagnostics.sleep", handlers.sleep)),
    processes=(Process("worker", ("worker",)),),
    nav=(NavItem(110, "jobs.status", "Очередь задач", (Role.MANAGER, Role.ADMIN)),),
)

"""Calls: recordings in, transcripts out (upload page, API, ``ingest``, the processing job)."""

from app.access import STAFF
from app.calls import cli, demo, operations, retention
from app.calls.api import bp as api_bp
from app.calls.views import bp
from app.features import DemoStep, Feature, JobKind, NavItem, Periodic

FEATURE = Feature(
    name="calls",
    blueprints=(bp,),
    api=(api_bp,),
    commands=(cli.ingest, cli.calls),
    jobs=(JobKind("calls.process", operations.process_call, on_failure=operations.process_failed),),
    periodic=(Periodic("calls.remove_old_audio", {"hour": "3", "minute": "30"}, retention.periodic_remove),),
    demo=(DemoStep(10, "calls", demo.seed_demo_calls),),
    nav=(NavItem(20, "calls.index", "Звонки", STAFF),),
)

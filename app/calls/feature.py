"""Calls: recordings in, transcripts out (upload page, API, ``ingest``, the processing job)."""

from app.access import STAFF
from app.calls import cli, demo, operations
from app.calls.api import bp as api_bp
from app.calls.views import bp
from app.features import DemoStep, Feature, JobKind, NavItem

FEATURE = Feature(
    name="calls",
    blueprints=(bp,),
    api=(api_bp,),
    commands=(cli.ingest, cli.calls),
    jobs=(JobKind("calls.process", operations.process_call, on_failure=operations.process_failed),),
    demo=(DemoStep(10, "calls", demo.seed_demo_calls),),
    nav=(NavItem(20, "calls.index", "Звонки", STAFF),),
)

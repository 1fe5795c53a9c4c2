"""The feature registry: what each feature area brings to the app, declared in one place.

A feature area (calls, QA, games, the knowledge base, exams ...) describes itself with one
:class:`Feature` value in its own ``feature.py``: its blueprints and API blueprints, CLI
commands, job kinds (with what to do when a job finally fails), periodic tasks, long-running
processes, demo steps, navigation items and home panels, and the listeners of the events it
cares about. The app factory, the CLI root, the queue, the worker, ``ulybka run``, the demo,
the navigation bar and the home page read this registry; none of them names a feature.

:data:`INSTALLED` lists the feature modules, in the order that breaks ties (blueprints, event
listeners); demo steps, navigation items and home panels carry their own ``order``. Nothing is
imported for its side effects: :func:`features` imports each module and reads its ``FEATURE``.

Events are how one feature reacts to another without importing it: the code where something
happens calls :func:`announce` with an event name from :data:`EVENTS`; every feature that
listens gets the arguments, in :data:`INSTALLED` order, and its return values come back.
"""

from __future__ import annotations

import functools
import importlib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import click
    from flask import Blueprint

INSTALLED: Final[tuple[str, ...]] = (
    "app.auth.feature",
    "app.main.feature",
    "app.admin.feature",
    "app.jobs.feature",
    "app.calls.feature",
    "app.qa.feature",
    "app.games.feature",
    "app.kb.feature",
    "app.exams.feature",
    "app.listening.feature",
    "app.tickets.feature",
    "app.cabinet.feature",
    "app.chat.feature",
    "app.workforce.feature",
    "app.api.feature",
)

EVENTS: Final[Mapping[str, str]] = MappingProxyType({
    "call.processed": "(call) a recording was transcribed and measured; returns nothing",
    "call.json": "(call) -> dict merged into the call's JSON (CLI --json, API)",
    "call.page": "(call) -> dict merged into the call page's template context",
    "call.score_changed": "(call, scoring) the call's score is new or changed; returns nothing",
    "rating.added": "(rating, operator_login) a subscriber rated a contact the operator handled; "
                    "returns nothing (the points ledger listens)",
    "ticket.resolved": "(ticket, within_sla) a ticket was resolved by its assignee; returns nothing "
                       "(the points ledger listens; the rating request follows)",
    "kb.material_change": "(carrier_code, reason) -> int: a KB article changed materially",
    "training.completed": "(kind, source_id, operator_login, occurred_at, payload) -> bool: "
                          "a listening task or an exam attempt is done (the points ledger listens)",
    "user.signed_out": "(user) a person signed out; returns nothing (their live chats go back to "
                       "the queue)",
})


@dataclass(frozen=True)
class JobKind:
    """A kind of background job: ``run(args, job_id)``; ``on_failure(job)`` after the last try."""

    kind: str
    run: Callable[[dict[str, Any], int], None]
    on_failure: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class Periodic:
    """A task the worker runs on a schedule (huey ``crontab`` fields, e.g. ``{"minute": "*/15"}``),
    inside an app context; ``at_start``: also once when the worker starts."""

    name: str
    schedule: Mapping[str, str]
    run: Callable[[], None]
    at_start: bool = False


@dataclass(frozen=True)
class Process:
    """A long-running process ``ulybka run`` starts beside the web server: ``ulybka <command>``."""

    name: str
    command: tuple[str, ...]


@dataclass(frozen=True)
class DemoStep:
    """Part of the demo centre: ``run(rng) -> dict`` of what it made; steps run by ``order``."""

    order: int
    name: str
    run: Callable[[random.Random], dict[str, Any]]


@dataclass(frozen=True)
class NavItem:
    """An entry of the top menu for these roles, placed by ``order``."""

    order: int
    endpoint: str
    label: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class HomePanel:
    """A part of the home page for these roles: ``template`` rendered with ``context(user)``."""

    order: int
    template: str
    roles: tuple[str, ...]
    context: Callable[[Any], Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class Feature:
    """What a feature area contributes; every field is optional."""

    name: str
    blueprints: tuple[Blueprint, ...] = ()
    api: tuple[Blueprint, ...] = ()  # under /api/v1: key authentication, no CSRF token
    commands: tuple[click.Command, ...] = ()
    jobs: tuple[JobKind, ...] = ()
    periodic: tuple[Periodic, ...] = ()
    processes: tuple[Process, ...] = ()
    demo: tuple[DemoStep, ...] = ()
    nav: tuple[NavItem, ...] = ()
    home: tuple[HomePanel, ...] = ()
    listeners: Mapping[str, Callable[..., Any]] = field(default_factory=dict)


class RegistryError(Exception):
    """The features contradict each other (two claim one name) or name an unknown event."""


@functools.cache
def features() -> tuple[Feature, ...]:
    """Every installed feature, in :data:`INSTALLED` order (imported once per process)."""
    loaded = tuple(importlib.import_module(name).FEATURE for name in INSTALLED)
    _check(loaded)
    return loaded


def _check(loaded: tuple[Feature, ...]) -> None:
    def unique(what: str, names: list[str]) -> None:
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise RegistryError(f"two features declare the {what} {name!r}")
            seen.add(name)

    unique("feature", [f.name for f in loaded])
    unique("job kind", [j.kind for f in loaded for j in f.jobs])
    unique("periodic task", [p.name for f in loaded for p in f.periodic])
    unique("process", [p.name for f in loaded for p in f.processes])
    unique("demo step", [d.name for f in loaded for d in f.demo])
    unique("command", [c.name or "" for f in loaded for c in f.commands])
    for feature in loaded:
        for event in feature.listeners:
            if event not in EVENTS:
                raise RegistryError(f"feature {feature.name!r} listens to unknown event {event!r}; "
                                    f"known: {', '.join(EVENTS)}")


def job_kinds() -> dict[str, JobKind]:
    return {job.kind: job for feature in features() for job in feature.jobs}


def periodic_tasks() -> list[Periodic]:
    return [task for feature in features() for task in feature.periodic]


def processes() -> list[Process]:
    return [process for feature in features() for process in feature.processes]


def commands() -> list[click.Command]:
    return [command for feature in features() for command in feature.commands]


def demo_steps() -> list[DemoStep]:
    return sorted((s for f in features() for s in f.demo), key=lambda s: s.order)


def nav_items(role: str) -> list[NavItem]:
    return sorted((i for f in features() for i in f.nav if role in i.roles), key=lambda i: i.order)


def home_panels(role: str) -> list[HomePanel]:
    return sorted((p for f in features() for p in f.home if role in p.roles), key=lambda p: p.order)


def announce(event: str, *args: Any) -> list[Any]:
    """Tell every feature that listens to ``event``; returns their answers in feature order."""
    if event not in EVENTS:
        raise RegistryError(f"unknown event {event!r}; known: {', '.join(EVENTS)}")
    return [f.listeners[event](*args) for f in features() if event in f.listeners]

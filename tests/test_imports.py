"""No import circles anywhere, and the layer that joins features to the app names none of them.

Every ``import`` is read with ``ast``: at module level and inside functions alike, since an
import moved into a function still makes a circle, only a later one. A name a package's
``__init__`` hands on (``from app.exams import admission``) counts as an import of the module
that defines it.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "speech", "scoring", "games", "training", "exams", "tickets", "carriers", "workforce")

# The modules that read the feature registry: none may import a feature (any app.<area> that
# is not itself core), nor name one in its source.
CORE = {
    "app", "app.access", "app.audit", "app.charts", "app.cli", "app.config", "app.console",
    "app.database", "app.demo", "app.errors", "app.extensions", "app.features", "app.formatting",
    "app.fragments", "app.freshness", "app.models", "app.navigation", "app.outcome", "app.users",
    "app.wording", "app.passwords", "app.worker", "app.api.blueprint",
}
READERS = ("app", "app.cli", "app.demo", "app.navigation", "app.worker", "app.jobs.queue",
           "app.jobs.runner", "app.jobs.operations", "app.main.views", "app.main.queries")
FEATURE_AREAS = ("calls", "qa", "games", "kb", "exams", "listening", "admin", "auth", "main",
                 "tickets", "carriers", "cabinet", "chat", "workforce")


def module_files(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for package in packages:
        for path in (root / package).rglob("*.py") if (root / package).is_dir() else ():
            name = ".".join(path.relative_to(root).with_suffix("").parts)
            modules[name.removesuffix(".__init__")] = path
    return modules


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _faces(modules: dict[str, Path]) -> dict[str, dict[str, str]]:
    """``package -> {name: module that defines it}`` for the names each ``__init__`` hands on."""
    faces: dict[str, dict[str, str]] = {}
    for name, path in modules.items():
        if path.name != "__init__.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    found = _resolve(f"{node.module}.{alias.name}", modules)
                    if found and found != name:
                        faces.setdefault(name, {})[alias.asname or alias.name] = found
    return faces


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """``module -> modules it imports`` (project modules only), from every import statement."""
    faces = _faces(modules)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                found = _resolve(target, modules)
                head, _, leaf = target.rpartition(".")
                if found == head and leaf in faces.get(head, {}):
                    found = faces[head][leaf]  # a name the package hands on: its defining module
                if found and found != name:
                    graph[name].add(found)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "app" else None


def _is_feature(module: str, reader: str) -> bool:
    """A module of a feature area other than the reader's own (the queue is core, not a feature)."""
    return (module not in CORE and _area(module) in FEATURE_AREAS
            and _area(module) != _area(reader))


def test_no_import_circle_anywhere():
    assert circles(import_graph(module_files())) == []


def test_the_walker_finds_a_circle_made_by_an_import_inside_a_function(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from pkg import b\n")
    (pkg / "b.py").write_text("def late():\n    from pkg.a import thing\n")
    (pkg / "c.py").write_text("import pkg.a\n")
    graph = import_graph(module_files(tmp_path, ("pkg",)))
    assert circles(graph) == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("reader", READERS)
def test_the_registry_readers_import_no_feature(reader):
    modules = module_files()
    imported = import_graph(modules)[reader]
    assert sorted(m for m in imported if _is_feature(m, reader)) == []


@pytest.mark.parametrize("reader", READERS)
def test_the_registry_readers_name_no_feature(reader):
    """Not even as a string or a URL endpoint: the app factory, CLI root, queue, worker, demo,
    navigation and home page learn every feature from the registry."""
    source = module_files()[reader].read_text(encoding="utf-8")
    code = "\n".join(line.split("#")[0] for line in source.splitlines())
    own = _area(reader)
    named = {area for area in FEATURE_AREAS
             if area != own and re.search(rf"\bapp\.{area}\b|['\"]{area}\.\w+['\"]", code)}
    assert named == set()


def test_the_home_page_template_names_no_feature():
    template = (ROOT / "app/templates/main/home.html").read_text(encoding="utf-8")
    assert "{% if user.role" not in template and "{% include \"" not in template
    assert "panels" in template


def test_no_module_is_imported_only_for_its_side_effects():
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in (ROOT / "app").rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "noqa: F401" in line and path != ROOT / "app/models/__init__.py"
    ]
    assert offenders == []

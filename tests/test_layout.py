"""Domain packages stay pure: they import neither Flask nor SQLAlchemy (DESIGN.md, Layout)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ["speech", "scoring", "games", "training", "exams", "tickets", "carriers", "workforce"]
FORBIDDEN = ("flask", "sqlalchemy", "flask_sqlalchemy", "app")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", DOMAIN)
def test_domain_package_imports_no_web_or_orm(package):
    folder = ROOT / package
    if not folder.exists():
        pytest.skip(f"{package}/ not written yet")
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & set(FORBIDDEN))
        for path in folder.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_check_catches_an_offender(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import Flask\nimport sqlalchemy.orm\n")
    assert imported_modules(bad) & set(FORBIDDEN) == {"flask", "sqlalchemy"}

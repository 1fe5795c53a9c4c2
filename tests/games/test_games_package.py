"""Package rules: pure stdlib imports, one root exception, module sizes, badge icons."""

import ast
import inspect
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import games
from games import GamesError, default_catalogue, errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "games"
ICONS = ROOT / "app" / "static" / "badges"
SVG = "{http://www.w3.org/2000/svg}"
MODULES = sorted(PACKAGE.glob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_only_stdlib_and_own_imports(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top == "__future__", f"{module.name}: {name}"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_modules_stay_small(module):
    assert len(module.read_text(encoding="utf-8").splitlines()) < 600


def test_every_exception_derives_from_the_root_and_is_drawn_in_its_docstring():
    classes = [
        obj
        for _, obj in inspect.getmembers(errors, inspect.isclass)
        if issubclass(obj, Exception) and obj.__module__ == errors.__name__
    ]
    assert len(classes) > 1
    for cls in classes:
        assert issubclass(cls, GamesError)
        assert cls.__name__ in errors.__doc__


def test_public_api_is_exported():
    for name in games.__all__:
        assert hasattr(games, name), name


@pytest.mark.parametrize("badge", default_catalogue(), ids=lambda b: b.key)
def test_each_badge_has_a_64px_svg_icon(badge):
    path = ICONS / badge.icon
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 64 64"
    assert root.find(f"{SVG}title").text == badge.name
    face = root.find(f"{SVG}circle[@class='badge-face']")
    assert face is not None and face.get("r") == "26"  # leaves the tier ring transparent
    assert "<script" not in path.read_text(encoding="utf-8")


def test_icons_are_distinct():
    faces = set()
    emblems = set()
    for badge in default_catalogue():
        root = ET.parse(ICONS / badge.icon).getroot()
        faces.add(root.find(f"{SVG}circle[@class='badge-face']").get("fill"))
        emblems.add(ET.tostring(root.find(f"{SVG}g")))
    assert len(faces) == len(emblems) == len(default_catalogue())


def test_tier_css_matches_the_tiers():
    css = (ICONS / "badges.css").read_text(encoding="utf-8")
    for tier in games.TIERS + ("locked",):
        assert f".badge-icon--{tier}" in css
    for colour in games.TIER_COLOURS.values():
        assert colour in css

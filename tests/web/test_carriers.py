"""One carrier catalogue: the ``carriers`` table, pages, forms and commands all follow it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

import carriers
from app.extensions import db
from app.models import Carrier

ROOT = Path(__file__).resolve().parents[2]


def test_the_carriers_table_holds_the_catalogue(app):
    rows = {c.code: c.name for c in db.session.scalars(select(Carrier))}
    assert rows == {c.code: c.name for c in carriers.CATALOGUE.values()}


def test_a_code_outside_the_catalogue_is_refused_with_the_known_ones():
    assert carriers.carrier("megafon").name == "МегаФон"
    with pytest.raises(carriers.UnknownCarrier, match="known: mts, megafon, beeline"):
        carriers.carrier("tele2")
    assert carriers.carrier_name("beeline") == "Билайн" and carriers.carrier_name(None) == ""


def test_no_list_of_carriers_is_written_out_in_the_app():
    """Demo data may name a carrier; code, forms and templates take the list from the catalogue."""
    quoted = re.compile(r"""['"](mts|megafon|beeline)['"]""")
    offenders = []
    for path in sorted((ROOT / "app").rglob("*")):
        if path.suffix not in (".py", ".html") or path.name == "demo.py":
            continue
        found = set(quoted.findall(path.read_text(encoding="utf-8")))
        if len(found) >= 2:
            offenders.append(f"{path.relative_to(ROOT)}: {sorted(found)}")
    assert offenders == []


def test_commands_offer_the_catalogues_carriers():
    from app.calls.cli import ingest
    from app.kb.cli import kb_search

    for command in (ingest, kb_search):
        option = next(p for p in command.params if p.name == "carrier")
        assert tuple(option.type.choices) == carriers.CODES

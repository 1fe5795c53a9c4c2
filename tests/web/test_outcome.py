"""One commit/rollback path: :func:`app.outcome.perform`, and the app's refusals under one root."""

import re
from pathlib import Path

import pytest
from flask import get_flashed_messages

from app.extensions import db
from app.games.operations import GamesOperationError
from app.games.queries import BoardError
from app.kb.operations import ArticleFlowError
from app.models import User
from app.outcome import Refused, perform

ROOT = Path(__file__).resolve().parents[2]
VIEWS = sorted(ROOT.glob("app/*/views.py"))
ROLLBACK = re.compile(r"db\.session\.rollback\(\)")


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_views_leave_rollback_to_perform(path: Path):
    name = str(path.relative_to(ROOT))
    assert not ROLLBACK.search(path.read_text(encoding="utf-8")), (
        f"{name} rolls back by hand: go through app.outcome.perform"
    )


@pytest.mark.parametrize("error", [GamesOperationError, BoardError, ArticleFlowError],
                         ids=lambda cls: cls.__name__)
def test_area_refusals_share_the_root_and_stay_value_errors(error):
    assert issubclass(error, Refused) and issubclass(error, ValueError)


def _rename(user: User, name: str, refuse: bool) -> str:
    user.full_name = name
    db.session.flush()
    if refuse:
        raise GamesOperationError("Так нельзя.")
    return name


def test_perform_commits_and_flashes_success(app, make_user):
    user = make_user("anna", full_name="Анна Смирнова")
    with app.test_request_context("/"):
        done = perform(lambda: _rename(user, "Анна Петрова", False), lambda name: f"Теперь {name}.")
        assert done and done.value == "Анна Петрова" and done.refusal is None and done.message is None
        assert get_flashed_messages(with_categories=True) == [("success", "Теперь Анна Петрова.")]
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "Анна Петрова"


@pytest.mark.parametrize("quiet", [False, True])
def test_perform_rolls_back_a_refusal_and_flashes_it_unless_quiet(app, make_user, quiet):
    user = make_user("anna", full_name="Анна Смирнова")
    with app.test_request_context("/"):
        refused = perform(lambda: _rename(user, "Анна Петрова", True), "Готово.", quiet=quiet)
        assert not refused and refused.value is None
        assert isinstance(refused.refusal, GamesOperationError)
        assert refused.message == "Так нельзя."
        flashed = get_flashed_messages(with_categories=True)
        assert flashed == ([] if quiet else [("error", "Так нельзя.")])
    db.session.expire_all()
    assert db.session.get(User, user.id).full_name == "Анна Смирнова"

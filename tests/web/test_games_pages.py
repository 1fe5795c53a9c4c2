"""Operator home, badges, challenges and the rules editor."""

from datetime import timedelta

import games
from app.extensions import db
from app.games import operations
from app.models import GameChallenge, GameRuleset, Notification
from tests.web.games_support import NOW, call


def test_operator_home_with_history(auth, make_user):
    make_user("anna", full_name="Анна Смирнова")
    make_user("boris", full_name="Борис Петров")
    events = [call("anna", f"a{n}", 92, at=NOW - timedelta(days=n % 5, minutes=n),
                   verdicts={"empathy": n % 3 != 0, "greeting": True}) for n in range(12)]
    events.append(call("boris", "b1", 99))
    events += [games.Event("listening", f"l{n}", "anna", NOW - timedelta(hours=n), {}) for n in range(10)]
    operations.award_events(events)
    db.session.commit()
    auth.login("anna")
    html = auth.client.get("/").get_data(as_text=True)
    assert "Уровень 1" in html and "Стажёр" in html
    assert "Эмпатия" in html or "эмпатия" in html  # a standard she misses
    assert "<svg" in html  # the points chart
    assert "Борис Петров" in html  # others' ranks are visible
    assert "Новый значок" in html  # the listener badge notification
    assert auth.post("/games/notifications/read").status_code == 302
    assert all(n.read_at for n in db.session.query(Notification))


def test_operator_home_without_history(auth, make_user):
    make_user("newbie", full_name="Нина Новикова")
    auth.login("newbie")
    response = auth.client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Добро пожаловать в игру" in html


def test_badges_page_shows_tiers_and_progress(auth, make_user):
    make_user("anna")
    operations.award_events([games.Event("listening", f"l{n}", "anna", NOW - timedelta(hours=n), {})
                             for n in range(12)])
    db.session.commit()
    auth.login("anna")
    html = auth.client.get("/games/badges").get_data(as_text=True)
    assert "badge-icon--bronze" in html and "badges/listener.svg" in html and "12 из 30" in html


def challenge_form(**overrides):
    start = (NOW + timedelta(days=1)).astimezone(games.MOSCOW)
    data = {"title": "Неделя эмпатии", "kind": "personal", "metric": "points", "standard": "",
            "target": "100", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"), "team_id": "0",
            "rival_team_id": "0"}
    return {**data, **overrides}


def test_challenge_ending_before_start_is_refused(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    start = (NOW + timedelta(days=3)).astimezone(games.MOSCOW)
    response = auth.post("/games/challenges/new", challenge_form(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")))
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "должно быть позже начала" in html
    assert db.session.query(GameChallenge).count() == 0
    response = auth.post("/games/challenges/new", challenge_form(kind="team"))
    assert "выберите две разные команды" in response.get_data(as_text=True)
    assert db.session.query(GameChallenge).count() == 0


def test_challenge_progress_and_winners(auth, make_user):
    make_user("boss", role="manager")
    make_user("anna", full_name="Анна Смирнова")
    auth.login("boss")
    assert auth.post("/games/challenges/new", challenge_form()).status_code == 302
    row = db.session.query(GameChallenge).one()
    row.starts_at, row.ends_at = NOW - timedelta(days=2), NOW - timedelta(hours=1)
    db.session.commit()
    day_ago = NOW - timedelta(days=1)
    operations.award_events([call("anna", f"a{n}", 95, at=day_ago - timedelta(minutes=n)) for n in range(12)])
    db.session.commit()
    html = auth.client.get("/games/challenges").get_data(as_text=True)
    assert "Победители" in html and "Анна Смирнова" in html and "завершён" in html


def test_rules_editor_shows_russian_errors_and_saves_versions(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.client.get("/games/rules").get_data(as_text=True)
    assert "score_band" in page
    bad = games.default_ruleset().to_dict()
    bad["rules"][0]["params"]["bands"][0]["min"] = 80
    import json

    response = auth.post("/games/rules", {"rules_json": json.dumps(bad)})
    assert response.status_code == 400 and "пересекаются" in response.get_data(as_text=True)
    assert db.session.query(GameRuleset).count() == 0
    response = auth.post("/games/rules", {"rules_json": "{oops"})
    assert "Это не JSON" in response.get_data(as_text=True)
    good = games.default_ruleset().to_dict()
    good["daily_caps"]["call"] = 200
    assert auth.post("/games/rules", {"rules_json": json.dumps(good)}).status_code == 302
    assert operations.active_ruleset().daily_caps["call"] == 200
    assert operations.active_ruleset().version == 2


def test_rules_editor_words_structural_errors_in_russian(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    import json

    response = auth.post("/games/rules", {"rules_json": json.dumps({"version": 1, "rules": {}})})
    assert response.status_code == 400
    assert "Поле «rules» должно быть списком правил." in response.get_data(as_text=True)
    response = auth.post("/games/rules", {"rules_json": "[1, 2]"})
    assert response.status_code == 400 and "JSON-объектом" in response.get_data(as_text=True)
    assert db.session.query(GameRuleset).count() == 0


def test_challenge_refusal_is_one_russian_sentence(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    start = (NOW + timedelta(days=3)).astimezone(games.MOSCOW)
    response = auth.post("/games/challenges/new", challenge_form(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")))
    html = response.get_data(as_text=True)
    assert f"Окончание челленджа ({(start - timedelta(hours=2)):%d.%m.%Y %H:%M} мск)" in html
    assert "«new»" not in html


def rules_form(page: str) -> dict[str, str]:
    """The rules form's fields as the browser would post them (checked boxes only)."""
    import re

    form = page[page.index('class="rules-form"'):page.index("</form>", page.index('class="rules-form"'))]
    fields = dict(re.findall(r'<input type="text" inputmode="numeric" name="([^"]+)" value="([^"]*)"', form))
    fields.update({name: "1" for name in re.findall(r'name="(r-[a-z_]+-on)" value="1" checked', form)})
    return fields


def last_week_calls(logins_scores):
    from app.games.rules_form import last_week

    start, _ = last_week()
    operations.award_events([call(login, f"lw-{n}", score, at=start + timedelta(days=1, hours=n))
                             for n, (login, score) in enumerate(logins_scores)])
    db.session.commit()


def test_rules_form_refuses_wrong_fields_one_by_one_and_saves_nothing(auth, make_user):
    make_user("boss", role="manager")
    auth.login("boss")
    fields = rules_form(auth.client.get("/games/rules").get_data(as_text=True))
    assert fields["r-score_band-band-0-points"] == "10" and fields["cap-call"] == "300"
    wrong = {**fields, "r-standards-w-empathy": "три", "min_call_seconds": ""}
    response = auth.post("/games/rules", {**wrong, "action": "save"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "«три» — не целое число." in html and "Укажите целое число." in html
    assert 'value="три"' in html  # what the manager typed stays in the form
    overlapping = {**fields, "r-score_band-band-1-max": "95"}
    html = auth.post("/games/rules", {**overlapping, "action": "save"}).get_data(as_text=True)
    assert "пересекаются" in html and 'id="rule-score_band"' in html
    assert db.session.query(GameRuleset).count() == 0


def test_rules_form_previews_last_week_then_saves_a_version(auth, make_user):
    make_user("boss", role="manager")
    make_user("anna", full_name="Анна Смирнова")
    make_user("oleg", full_name="Олег Иванов")
    auth.login("boss")
    last_week_calls([("anna", 95), ("anna", 92), ("oleg", 80)])
    fields = rules_form(auth.client.get("/games/rules").get_data(as_text=True))
    raised = {**fields, "r-score_band-band-0-points": "30"}  # 90..100: 10 → 30 points
    response = auth.post("/games/rules", {**raised, "action": "preview"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Прошлая неделя" in html
    assert "+40" in html  # two calls of Anna in the top band, 20 more each
    assert "Баллы изменятся у 1 из 2 операторов" in html and "Анна Смирнова" in html
    assert 'value="30"' in html and db.session.query(GameRuleset).count() == 0  # nothing saved

    del raised["r-listening-on"]  # switched off: not in the next version, but still offered
    assert auth.post("/games/rules", {**raised, "action": "save"}).status_code == 302
    ruleset = operations.active_ruleset()
    assert ruleset.version == 2 and ruleset.rules[0].params["bands"][0]["points"] == 30
    assert "listening" not in {r.key for r in ruleset.rules}
    again = rules_form(auth.client.get("/games/rules").get_data(as_text=True))
    assert "r-listening-on" not in again and again["r-listening-points"] == "3"
    assert auth.post("/games/rules", {**again, "r-listening-on": "1", "action": "save"}).status_code == 302
    assert "listening" in {r.key for r in operations.active_ruleset().rules}

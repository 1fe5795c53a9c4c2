"""The carriers' catalogues synced into the knowledge base: read from the sandbox over real HTTP,
reviewed by a manager, published as the catalogue article, confirmed as read by the line."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest
from sqlalchemy import select

from app.cli import main
from app.extensions import db
from app.jobs import runner as job_runner
from app.kb import catalogue
from app.models import CarrierCatalogue, Job, KbArticle, KbChangeNotice
from carriers.plans import Offer, Plan, offer, offer_to_json
from carriers.sandbox import Sandbox
from tests.web.test_exams_admission import lines  # noqa: F401 - fixture: "op" is admitted to MTS


@pytest.fixture()
def sandbox(app, monkeypatch):
    box = Sandbox(settle_s=0.05, hang_s=0.5).start()
    monkeypatch.setitem(app.config, "ULYBKA", dataclasses.replace(app.config["ULYBKA"],
                                                                  carrier_sandbox_url=box.url))
    yield box
    box.stop()


def dearer_mts() -> Offer:
    now = offer("mts")
    smart = dataclasses.replace(now.tariffs[0], fee=now.tariffs[0].fee + 100)
    return Offer((smart, *now.tariffs[1:]), (*now.options, Plan("mts_kids", "Детский контроль", 99)))


def put_catalogue(box: Sandbox, carrier: str, new: Offer) -> None:
    assert httpx.put(f"{box.url}/_sandbox/catalogue/{carrier}", json=offer_to_json(new)).status_code == 200


def sync_json(runner, *args) -> dict:
    result = runner.invoke(main, ["kb", "sync-catalogue", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_change_waits_for_review_then_the_line_is_told_and_confirms(
        app, runner, auth, sandbox, lines, make_user):  # noqa: F811 - the fixture
    make_user("boss", role="manager")
    make_user("newcomer")  # not admitted to the MTS line: told nothing
    first = sync_json(runner, "--carrier", "mts")  # nothing published yet: the whole catalogue is new
    assert first["mts"]["status"] == "pending" and len(first["mts"]["changes"]) == 8
    catalogue.publish(db.session.get(CarrierCatalogue, first["mts"]["id"]), None, notify=False)
    db.session.commit()
    assert sync_json(runner, "--carrier", "mts")["mts"] == {"status": "unchanged", "changes": []}

    put_catalogue(sandbox, "mts", dearer_mts())
    data = sync_json(runner)
    assert {code: row["status"] for code, row in data.items()} == {
        "mts": "pending", "megafon": "pending", "beeline": "pending"}
    assert [c["text"] for c in data["mts"]["changes"]] == [
        "Тариф «Смарт»: абонентская плата 650 → 750 ₽", "Новая опция «Детский контроль» — 99 ₽ в месяц"]

    auth.login("boss")
    page = auth.client.get("/kb/catalogue").get_data(as_text=True)
    assert "абонентская плата 650 → 750 ₽" in page and "Детский контроль" in page
    assert "| Смарт | `mts_smart` | 750 ₽ |" in page  # the article's text as it will read
    publish = f"/kb/catalogue/{data['mts']['id']}/publish"
    done = auth.post(publish, follow_redirects=True).get_data(as_text=True)
    assert "Каталог опубликован (версия 2 статьи); уведомлены операторы: 1." in done
    article = db.session.scalar(select(KbArticle).where(KbArticle.slug == "catalogue-mts"))
    assert article.version == 2 and "| Смарт | `mts_smart` | 750 ₽ |" in article.body_md
    again = auth.post(publish, follow_redirects=True).get_data(as_text=True)
    assert "Эта сверка уже опубликована" in again
    db.session.expire_all()
    assert db.session.get(KbArticle, article.id).version == 2

    notices = list(db.session.scalars(select(KbChangeNotice)))
    assert [n.user.login for n in notices] == ["op"]
    assert notices[0].text== ("Изменился каталог МТС. Тариф «Смарт»: абонентская плата 650 → 750 ₽. "
                               "Новая опция «Детский контроль» — 99 ₽ в месяц.")
    auth.logout()
    auth.login("newcomer")
    assert auth.post(f"/kb/notices/{notices[0].id}/read").status_code == 404  # not theirs
    auth.logout()
    auth.login("op")
    home = auth.client.get("/").get_data(as_text=True)
    assert "Изменения в базе знаний" in home and "Изменился каталог МТС" in home
    assert "Изменился каталог МТС" in auth.client.get(f"/kb/articles/{article.id}").get_data(as_text=True)
    read = auth.post(f"/kb/notices/{notices[0].id}/read", follow_redirects=True).get_data(as_text=True)
    assert "вы прочитали изменения" in read and "Изменился каталог МТС" not in read
    db.session.expire_all()
    first_read = db.session.get(KbChangeNotice, notices[0].id).read_at
    auth.post(f"/kb/notices/{notices[0].id}/read")
    db.session.expire_all()
    assert first_read is not None and db.session.get(KbChangeNotice, notices[0].id).read_at == first_read
    assert "Изменения в базе знаний" not in auth.client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login("boss")
    history = auth.client.get("/kb/catalogue").get_data(as_text=True)
    assert "1 из 1" in history


def test_a_reading_is_offered_once_and_a_rejected_one_not_again(app, runner, auth, sandbox, make_user):
    make_user("boss", role="manager")
    first = sync_json(runner, "--carrier", "beeline")["beeline"]
    catalogue.publish(db.session.get(CarrierCatalogue, first["id"]), None, notify=False)
    db.session.commit()
    now = offer("beeline")
    cheaper = Offer(now.tariffs, tuple(dataclasses.replace(o, fee=o.fee - 10) for o in now.options))
    put_catalogue(sandbox, "beeline", cheaper)
    one = sync_json(runner, "--carrier", "beeline")["beeline"]
    two = sync_json(runner, "--carrier", "beeline")["beeline"]
    assert one["id"] == two["id"] and len(one["changes"]) == 3
    auth.login("boss")
    auth.post(f"/kb/catalogue/{one['id']}/reject", {"note": "ошибка в системе оператора"})
    assert sync_json(runner, "--carrier", "beeline")["beeline"]["status"] == "rejected"
    assert db.session.query(CarrierCatalogue).filter_by(status="pending").count() == 0
    article = db.session.scalar(select(KbArticle).where(KbArticle.slug == "catalogue-beeline"))
    assert article.version == 1
    put_catalogue(sandbox, "beeline", now)  # back as published: nothing to review
    assert sync_json(runner, "--carrier", "beeline")["beeline"]["status"] == "unchanged"
    put_catalogue(sandbox, "beeline", Offer(now.tariffs[:2], now.options))  # something new again
    assert sync_json(runner, "--carrier", "beeline")["beeline"]["status"] == "pending"


def test_a_carrier_that_cannot_be_read_changes_nothing_and_is_shown(app, runner, auth, sandbox, make_user,
                                                                    monkeypatch):
    make_user("boss", role="manager")
    first = sync_json(runner, "--carrier", "megafon")["megafon"]
    catalogue.publish(db.session.get(CarrierCatalogue, first["id"]), None, notify=False)
    db.session.commit()
    monkeypatch.setitem(app.config, "ULYBKA", dataclasses.replace(app.config["ULYBKA"],
                                                                  carrier_sandbox_url="http://127.0.0.1:9"))
    for _ in range(2):
        failed = sync_json(runner, "--carrier", "megafon")["megafon"]
        assert failed["status"] == "failed" and "Не удаётся связаться с системой МегаФон" in failed["note"]
    assert db.session.query(CarrierCatalogue).filter_by(status="failed").count() == 1  # bumped, not piled up
    auth.login("boss")
    page = auth.client.get("/kb/catalogue").get_data(as_text=True)
    assert "Сверка не удалась: Не удаётся связаться" in page
    monkeypatch.setitem(app.config, "ULYBKA", dataclasses.replace(app.config["ULYBKA"],
                                                                  carrier_sandbox_url=sandbox.url))
    assert sync_json(runner, "--carrier", "megafon")["megafon"]["status"] == "unchanged"
    page = auth.client.get("/kb/catalogue").get_data(as_text=True)
    assert "Сверка не удалась" not in page and "Каталог совпадает с системой МегаФон" in page


def test_garbage_from_the_carrier_is_never_a_catalogue(app, runner, sandbox):
    sandbox.faults.fail_rate = 1.0  # every answer a 503 or garbage
    failed = sync_json(runner, "--carrier", "mts")["mts"]
    assert failed["status"] == "failed"
    assert db.session.query(CarrierCatalogue).filter(CarrierCatalogue.offer.isnot(None)).count() == 0
    assert db.session.scalar(select(KbArticle).where(KbArticle.slug == "catalogue-mts")) is None


def test_the_sync_button_runs_through_the_job_queue(app, auth, sandbox, make_user, monkeypatch):
    make_user("boss", role="manager")
    auth.login("boss")
    page = auth.post("/kb/catalogue/sync", follow_redirects=True).get_data(as_text=True)
    assert "Сверка с системами операторов связи запущена" in page
    job = db.session.scalar(select(Job).where(Job.kind == "kb.sync_catalogue"))
    job_runner.execute_job(job.id)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == "done"
    assert {r.carrier for r in db.session.scalars(select(CarrierCatalogue))} == {"mts", "megafon", "beeline"}


def test_the_demo_catalogue_is_a_month_old_and_the_first_sync_finds_what_mts_changed(demo_centre, runner,
                                                                                     sandbox):
    data = sync_json(runner)
    assert data["megafon"]["status"] == data["beeline"]["status"] == "unchanged"
    assert [c["text"] for c in data["mts"]["changes"]] == [
        "Тариф «Смарт»: абонентская плата 600 → 650 ₽", "Новая опция «МТС Музыка» — 199 ₽ в месяц"]


def test_the_demo_has_a_week_of_lookups_for_the_report(demo_centre):
    from app.kb.operations import lookup_report

    stats = lookup_report()["stats"]
    assert stats.searches > 100 and 0 < stats.within_promise < stats.opened
    assert 0.5 < stats.promise_share < 1 and stats.zero_result_queries

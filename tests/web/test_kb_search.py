"""Knowledge-base search on the real database (SQLite FTS5 or the PostgreSQL posting table)."""

import json
from datetime import date

import pytest
from sqlalchemy import select

import training
from app.demo import _ensure_reference_data
from app.extensions import db
from app.kb.operations import save_article, seed_catalogue
from app.kb.search import search
from app.models import KbArticle, KbSearch


@pytest.fixture()
def catalogue(app):
    _ensure_reference_data()
    seed_catalogue()
    db.session.commit()


def titles(query, carrier=None):
    return [hit.article.title for hit in search(query, carrier).hits]


@pytest.mark.parametrize("query", ["роуминг", "роуминге", "роумингом", "РОУМИНГА"])
def test_word_forms_find_the_same_articles(catalogue, query):
    assert titles(query) == titles("роуминг")
    assert any("Роуминг" in t for t in titles(query))


def test_typo_is_corrected_with_the_vocabulary(catalogue):
    result = search("переносе номира")
    assert result.corrected == "переносе номер"  # what was typed, the typo corrected
    assert result.hits[0].article.title == "Перенос номера к другому оператору"
    assert search("перенос номера").corrected is None


def test_a_real_word_is_not_corrected_into_another(catalogue):
    result = search("потерял симку")  # «потерять» is in no article: kept, not made «проверять»
    assert result.corrected is None and result.lemmas == ("потерять", "sim")
    assert result.any_word and result.hits[0].article.title == "Блокировка утерянной SIM-карты"


@pytest.mark.parametrize("query", ["замена симки", "замена сим карты", "замена SIM"])
def test_sim_in_cyrillic_finds_sim_cards(catalogue, query):
    result = search(query)
    assert not result.any_word and result.hits[0].article.title == "Замена SIM-карты"
    assert "<mark>SIM</mark>" in result.hits[0].snippet


def test_snippet_highlights_the_words_in_any_form(catalogue):
    hit = search("переносе номера").hits[0]
    assert "<mark>" in hit.snippet
    assert "<script" not in hit.snippet


def test_carrier_filter_keeps_that_carrier_and_the_common_articles(catalogue):
    carriers = {hit.article.carrier for hit in search("роуминг", "beeline").hits}
    assert carriers <= {"beeline", None}
    assert "beeline" in carriers
    assert {hit.article.carrier for hit in search("роуминг").hits} >= {"mts", "megafon", "beeline"}


def test_nothing_found(catalogue):
    assert search("абракадабра квазар").hits == ()


def test_edits_are_searchable_and_deletions_leave_the_index(catalogue):
    article, _ = save_article(
        None,
        title="Пробная статья",
        carrier=None,
        topic="service",
        body_md="Говорим о **кенгуру** и страусах.",
        tags=[],
        effective_from=date(2025, 1, 1),
        author=None,
    )
    db.session.commit()
    assert titles("кенгуру") == ["Пробная статья"]
    save_article(
        article,
        title="Пробная статья",
        carrier=None,
        topic="service",
        body_md="Теперь о страусах.",
        tags=[],
        effective_from=article.effective_from,
        author=None,
    )
    db.session.commit()
    assert titles("кенгуру") == []
    assert titles("страус") == ["Пробная статья"]
    assert [v.version for v in article.versions] == [2, 1]
    db.session.delete(article)
    db.session.commit()
    assert titles("страус") == []


def test_cli_search_json(catalogue, runner, monkeypatch):
    from app import cli

    result = runner.invoke(cli.main, ["kb", "search", "роумингом", "--carrier", "mts", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["lemmas"] == ["роуминг"]
    assert data["results"] and {r["carrier"] for r in data["results"]} <= {"mts", None}


def test_page_searches_as_you_type_and_logs(catalogue, auth, make_user):
    make_user("op", role="operator")
    auth.login("op")
    page = auth.client.get("/kb/?q=роуминге").get_data(as_text=True)
    assert "<html" in page and "Роуминг" in page and "<mark>" in page
    fragment = auth.client.get("/kb/?q=роуминге&carrier=mts", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and "Роуминг МТС" in html and "Роуминг Билайн" not in html
    assert "HX-Request" in fragment.headers["Vary"]
    row = db.session.query(KbSearch).one()  # the same query refined: one lookup
    assert (row.query, row.carrier) == ("роуминге", "mts")


def test_typing_is_logged_as_one_lookup(catalogue, auth, make_user):
    from datetime import timedelta

    from app.kb.operations import log_search

    make_user("op", role="operator")
    auth.login("op")
    for typed in ("з", "за", "зам", "замена", "замена сим", "замена си", "замена симки"):
        auth.client.get("/kb/", query_string={"q": typed}, headers={"HX-Request": "true"})
    auth.client.get("/kb/", query_string={"q": "замена симки"})  # Enter after typing
    row = db.session.query(KbSearch).one()
    assert (row.query, row.results > 0) == ("замена симки", True)
    started = row.searched_at

    hit = search("замена симки").hits[0]
    auth.client.get(f"/kb/articles/{hit.article.id}?s={row.id}")
    auth.client.get("/kb/", query_string={"q": "замена симки"})  # after opening: a new lookup
    auth.client.get("/kb/", query_string={"q": "роуминг"})  # another query: a new lookup
    assert [r.query for r in db.session.query(KbSearch).order_by(KbSearch.id)] == [
        "замена симки", "замена симки", "роуминг"]
    assert db.session.query(KbSearch).order_by(KbSearch.id).first().searched_at == started

    op = db.session.get(KbSearch, row.id).user
    later = log_search(op, "роуминг в турции", None, 3,
                       now=db.session.query(KbSearch).order_by(KbSearch.id.desc()).first().searched_at
                       + timedelta(minutes=5))
    assert db.session.query(KbSearch).count() == 4 and later.query == "роуминг в турции"
    report = training.lookup_stats(
        (str(r.user_id), r.query, r.searched_at, r.opened_at, r.results > 0)
        for r in db.session.query(KbSearch)
    )
    assert report.zero_result_queries == []  # no «з», «за», «зам» among the gaps


def test_opened_article_and_manager_report(catalogue, auth, make_user):
    make_user("op", role="operator")
    make_user("boss", role="manager")
    auth.login("op")
    auth.client.get("/kb/?q=квазар")
    auth.client.get("/kb/?q=роуминг")
    row = db.session.query(KbSearch).filter_by(query="роуминг").one()
    hit = search("роуминг").hits[0]
    assert auth.client.get(f"/kb/articles/{hit.article.id}?s={row.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(KbSearch, row.id).opened_article_id == hit.article.id
    auth.logout()
    auth.login("boss")
    report = auth.client.get("/kb/report").get_data(as_text=True)
    assert "квазар" in report and "Запросы, по которым ничего не нашлось" in report
    promise = report[report.index('id="promise"'):report.index('id="promise"') + 600]
    assert "Нашли за 30 секунд" in promise and "100 %" in promise and "1 из 1 открытых статей" in promise
    people = report[report.index('id="people"'):report.index("Последние поиски")]
    assert "Тест Тестов" in people and "100 %" in people


def _article(title, body, carrier=None, tags=()):
    article, _ = save_article(None, title=title, carrier=carrier, topic="service", body_md=body,
                              tags=list(tags), effective_from=date(2025, 1, 1), author=None)
    return article


def test_all_words_must_match_and_any_word_only_when_none_holds_all(app):
    _article("Кенгуру в зоопарке", "Кенгуру прыгают.")
    _article("Страусы", "Страусы бегают, кенгуру прыгают.")
    _article("Жирафы", "Жирафы едят листья.")
    db.session.commit()
    both = search("кенгуру страус")
    assert [h.article.title for h in both.hits] == ["Страусы"] and not both.any_word
    fallback = search("жираф страус")
    assert fallback.any_word
    assert [h.article.title for h in fallback.hits] == ["Жирафы", "Страусы"]  # denser text first


def test_a_word_no_article_has_goes_straight_to_any_word_and_numbers_still_count(app, monkeypatch):
    from app.kb import search as kb_search

    _article("Тариф 2025", "Условия тарифа.")
    _article("Тариф прежний", "Условия тарифа, действовавшие раньше.")
    db.session.commit()
    modes = []
    step = kb_search._step
    monkeypatch.setattr(kb_search, "_step", lambda *args: modes.append(args[3]) or step(*args))

    unknown = search("тариф зюзюкать")  # nothing to correct it to: the index lacks it
    assert unknown.any_word and set(modes) == {"or"}
    assert sorted(h.article.title for h in unknown.hits) == ["Тариф 2025", "Тариф прежний"]
    assert search("зюзюкать").hits == ()
    modes.clear()
    number = search("тариф 2025")  # numbers are not in the vocabulary, yet they are indexed
    assert [h.article.title for h in number.hits] == ["Тариф 2025"] and not number.any_word
    assert set(modes) == {"and"}


def test_title_and_tag_matches_come_before_body_matches(app):
    _article("Про роуминг", "Подробно о поездках.")
    _article("Поездки", "Кратко: роуминг, роуминг, роуминг и снова роуминг.")
    _article("Путешествия", "Ничего о связи.", tags=["роуминг"])
    db.session.commit()
    assert titles("роуминге") == ["Про роуминг", "Путешествия", "Поездки"]


def test_the_newest_matches_are_ranked_when_there_are_many(app, monkeypatch):
    from app.kb import search as kb_search

    monkeypatch.setattr(kb_search, "CANDIDATES", 5)
    for n in range(12):
        _article(f"Тариф номер {n}", "Тариф для проверки.", carrier="mts" if n % 2 else None)
    db.session.commit()
    assert titles("тариф") == [f"Тариф номер {n}" for n in range(11, -1, -1)]  # the page is larger
    assert len(search("тариф", limit=3).hits) == 3
    assert titles("тариф", "beeline") == [f"Тариф номер {n}" for n in (10, 8, 6, 4, 2, 0)]


def test_exact_order_is_the_same_on_both_databases(catalogue):
    # the order depends on the stored texts only; this list holds on SQLite and PostgreSQL
    assert titles("роуминг за границей") == [
        "Роуминг МТС: поездки по России и за границу",
        "Роуминг Билайн",
        "Роуминг МегаФон",
    ]
    assert titles("тариф", "megafon")[:3] == [
        "Тариф МегаФон «Зелёный 20»", "Тариф МегаФон «Детский»", "Тариф МегаФон «Зелёный Макс»",
    ]


def test_any_word_fallback_when_no_article_holds_all(catalogue):
    result = search("блокировка мессенджеры")  # both indexed, never in one article
    assert result.any_word and result.hits[0].article.title == "Блокировка утерянной SIM-карты"


def test_migration_renormalises_existing_articles(catalogue):
    from app.database import downgrade_database, upgrade_database

    before = titles("переносе номера")
    db.session.commit()
    db.session.remove()
    downgrade_database("t002-1")
    assert "\n" not in db.session.scalar(select(KbArticle.search_text).limit(1))
    db.session.remove()
    upgrade_database("heads")
    assert "\n" in db.session.scalar(select(KbArticle.search_text).limit(1))
    assert titles("переносе номера") == before and before


def test_page_says_when_only_some_words_matched(catalogue, auth, make_user):
    make_user("reader", role="operator")
    auth.login("reader")
    partial = auth.client.get("/kb/", query_string={"q": "блокировка мессенджеры"}).get_data(as_text=True)
    assert "Блокировка утерянной SIM-карты" in partial
    assert "показаны статьи, где есть хотя бы часть" in partial
    full = auth.client.get("/kb/", query_string={"q": "тарифы"}).get_data(as_text=True)
    assert "показаны статьи, где есть хотя бы часть" not in full


def test_search_loads_no_model_and_shows_what_the_page_needs(catalogue):
    hit = search("роуминг", "mts").hits[0]
    article = db.session.get(KbArticle, hit.article.id)
    assert (hit.article.slug, hit.article.title, hit.article.carrier, hit.article.topic) == (
        article.slug, article.title, article.carrier, article.topic)


def test_best_ranks_like_sorting_every_text_by_its_key():
    import random

    from app.kb.search import best, rank_key

    rng = random.Random(7)
    words = ["тариф", "роуминг", "сим", "интернет", "пакет", "связь"]
    for _ in range(200):
        texts = [
            (i, " ".join(rng.choices(words, k=rng.randint(0, 4))) + "\n"
             + " ".join(rng.choices(words, k=rng.randint(0, 12))))
            for i in range(rng.randint(1, 60))
        ]
        wanted = frozenset(rng.sample(words, rng.randint(1, 3)))
        limit = rng.randint(1, 25)
        expected = sorted(((rank_key(t, wanted), i) for i, t in texts), reverse=True)[:limit]
        assert best(texts, wanted, limit) == expected


def test_vocabulary_from_the_index_is_the_one_from_the_texts(catalogue):
    from app.kb.vocabulary import lemmas_in_index, lemmas_in_texts

    assert lemmas_in_index() == lemmas_in_texts() and "роуминг" in lemmas_in_index()
    article = _article("Кенгуру", "Кенгуру и вомбаты, тариф 2024.")
    db.session.commit()
    assert lemmas_in_index() == lemmas_in_texts() and {"кенгуру", "вомбат"} <= lemmas_in_index()
    assert "2024" not in lemmas_in_index()  # numbers are never corrected
    db.session.delete(article)
    db.session.commit()
    assert lemmas_in_index() == lemmas_in_texts() and "вомбат" not in lemmas_in_index()


def _insert_from_another_process(title, body):
    """An article saved by another process: this one's cached vocabulary does not see it."""
    from app.kb.search import index_texts

    plain, search_text = index_texts(title, [], body)
    db.session.add(KbArticle(slug=title.lower(), topic="service", title=title, body_md=body,
                             effective_from=date(2025, 1, 1), plain=plain, search_text=search_text))
    db.session.commit()


def test_another_processes_word_is_corrected_after_a_refresh(catalogue, monkeypatch):
    from app.kb import vocabulary as kb_vocabulary

    kb_vocabulary.clear_vocabulary()
    assert search("вомбатт").corrected is None
    _insert_from_another_process("Вомбаты", "Вомбаты живут в норах.")
    assert search("вомбатт").hits == ()  # the cached vocabulary, until the next check
    reads = []
    monkeypatch.setattr(kb_vocabulary, "lemmas_in_index",
                        lambda: reads.append(1) or kb_vocabulary.lemmas_in_texts())
    kb_vocabulary.refresh_vocabulary()
    result = search("вомбатт")
    assert result.corrected == "вомбат" and [h.article.title for h in result.hits] == ["Вомбаты"]
    kb_vocabulary.refresh_vocabulary()  # nothing changed since: the index is not read again
    assert len(reads) == 1


def test_stale_vocabulary_is_refreshed_in_the_background(catalogue, app, monkeypatch):
    import threading

    from app.kb import vocabulary as kb_vocabulary

    kb_vocabulary.clear_vocabulary()
    before = kb_vocabulary.vocabulary()
    _insert_from_another_process("Вомбаты", "Вомбаты живут в норах.")
    monkeypatch.setattr(kb_vocabulary, "TTL", 0.0)
    monkeypatch.setattr(app, "testing", False)
    assert kb_vocabulary.vocabulary() is before  # the search does not wait for the rebuild
    for thread in threading.enumerate():
        if thread.name == "kb-vocabulary":
            thread.join(10)
    assert "вомбат" in kb_vocabulary.vocabulary()


def test_the_rarest_lemma_drives_the_postgresql_scan(app):
    """PostgreSQL starts from the lemma its statistics call rarest; the answer is the same."""
    from sqlalchemy import text

    from app.kb import search as kb_search
    from app.kb.vocabulary import common_lemmas, refresh_vocabulary

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 orders a query's terms itself")
    for n in range(40):
        _article(f"Акция номер {n}", "Скидка на связь.")
    for n in range(2):
        _article(f"Акция в Ярославле {n}", "Скидка на связь.")
    db.session.commit()
    db.session.execute(text("ANALYZE kb_fts_postings"))
    refresh_vocabulary(force=True)
    assert common_lemmas().get("акция", 0) > common_lemmas().get("ярославль", 0)

    assert kb_search.scan_order(["акция", "ярославль"]) == ["ярославль", "акция"]
    ids = kb_search.matching_ids(["акция", "ярославль"], None, "title")
    assert [db.session.get(KbArticle, i).title for i in ids] == [
        "Акция в Ярославле 1", "Акция в Ярославле 0"]


def test_postgresql_keeps_the_searched_texts_lz4_compressed(app):
    """t006: what a search decompresses uses LZ4, for new articles and after an upgrade alike."""
    from sqlalchemy import text

    from app.database import downgrade_database, upgrade_database

    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite stores texts uncompressed")
    if "lz4" not in db.session.scalar(text(
            "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")):
        pytest.skip("this PostgreSQL server was built without LZ4")
    long = " ".join(["Тариф «Свобода» включает безлимитные звонки и интернет."] * 80)

    def methods():
        return db.session.execute(text(
            "SELECT pg_column_compression(search_text), pg_column_compression(plain) FROM kb_articles"
        )).one()

    _article("Тариф «Свобода»", long)
    db.session.commit()
    assert methods() == ("lz4", "lz4")
    db.session.remove()
    downgrade_database("t005")
    assert methods() == ("pglz", "pglz")
    db.session.remove()
    upgrade_database("heads")
    assert methods() == ("lz4", "lz4")
    assert titles("свобода") == ["Тариф «Свобода»"]


def test_migration_indexes_articles_anew_with_the_current_normaliser(catalogue):
    """t007: texts derived by the previous rules («сим» apart from «SIM», a space before
    punctuation) are derived again; a search for «симки» then finds the article."""
    from sqlalchemy import update

    from app.database import downgrade_database, upgrade_database

    db.session.remove()
    downgrade_database("t006")
    article = db.session.scalar(select(KbArticle).where(KbArticle.title == "Замена SIM-карты"))
    article_id, plain, search_text = article.id, article.plain, article.search_text
    db.session.execute(update(KbArticle).where(KbArticle.id == article_id).values(
        plain=plain.replace(".", " ."), search_text=search_text.replace("sim", "сим")))
    db.session.commit()
    db.session.remove()
    upgrade_database("heads")
    article = db.session.get(KbArticle, article_id)
    assert (article.plain, article.search_text) == (plain, search_text)
    assert " ." not in article.plain and "sim" in article.search_text.split()
    assert titles("замена симки")[0] == "Замена SIM-карты"

"""Editing knowledge-base articles: saves, no-op saves, refusals in Russian, material changes."""

from datetime import date

import pytest

from app.extensions import db
from app.kb.operations import ArticleFlowError, save_article
from app.models import KbArticle, KbArticleVersion

FORM = {"title": "Тариф «Смарт»", "carrier": "mts", "topic": "tariffs", "tags": "тариф, смарт",
        "effective_from": "2025-03-01", "body_md": "Абонентская плата — 450 ₽ в месяц."}


def test_editor_saves_a_new_article_then_an_unchanged_one_makes_no_version(auth, make_user):
    make_user("qa", role="qa_listener")
    auth.login("qa")
    page = auth.post("/kb/articles/new", FORM, follow_redirects=True).get_data(as_text=True)
    assert "Статья сохранена, версия 1." in page
    article = db.session.query(KbArticle).one()
    again = auth.post(f"/kb/articles/{article.id}/edit", FORM, follow_redirects=True)
    assert "Изменений нет" in again.get_data(as_text=True)
    assert db.session.query(KbArticleVersion).count() == 1


def test_a_refused_article_says_why_in_russian_and_writes_nothing(app):
    with pytest.raises(ArticleFlowError) as caught:
        save_article(None, title="Новости", carrier=None, topic="gossip", body_md="Текст", tags=[],
                     effective_from=date(2025, 1, 1), author=None)
    assert str(caught.value).startswith("Статья не сохранена. Раздел «gossip» неизвестен.")
    assert "«Тарифы»" in str(caught.value)
    db.session.rollback()
    assert db.session.query(KbArticle).count() == 0


def test_a_material_change_is_confirmed_once(auth, make_user):
    make_user("boss", role="manager")
    article, _ = save_article(None, title="Тариф «Смарт»", carrier="mts", topic="tariffs",
                              body_md="Абонентская плата — 450 ₽.", tags=[],
                              effective_from=date(2025, 1, 1), author=None)
    _, version = save_article(article, title="Тариф «Смарт»", carrier="mts", topic="tariffs",
                              body_md="Абонентская плата — 550 ₽.", tags=[],
                              effective_from=date(2025, 2, 1), author=None)
    db.session.commit()
    auth.login("boss")
    first = auth.post(f"/kb/versions/{version.id}/material", follow_redirects=True)
    assert "Изменение подтверждено как существенное" in first.get_data(as_text=True)
    second = auth.post(f"/kb/versions/{version.id}/material", follow_redirects=True)
    assert "уже подтверждено как существенное" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(KbArticleVersion, version.id).material is True

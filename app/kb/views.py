"""Knowledge base pages: search as you type, articles, editing with history, lookup report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

import training
from app.access import STAFF, access, get_or_404, get_owned_or_404
from app.fragments import render_page
from app.jobs.operations import enqueue
from app.kb import catalogue, operations, queries
from app.kb.forms import CARRIER_CHOICES, ArticleForm
from app.kb.search import search
from app.models import CarrierCatalogue, KbArticle, KbArticleVersion, KbChangeNotice, Role
from app.outcome import perform

bp = Blueprint("kb", __name__, url_prefix="/kb")
EDITORS = (Role.MANAGER, Role.QA_LISTENER)


@bp.route("/")
@access(*STAFF)
def index():
    q = request.args.get("q", "").strip()
    carrier = request.args.get("carrier", "") if request.args.get("carrier") in training.CARRIERS else ""
    result = search_id = None
    if q:
        result = search(q, carrier or None)
        search_id = perform(
            lambda: operations.log_search(current_user, q, carrier or None, len(result.hits)).id
        ).value
    return render_page(
        "kb/index.html",
        block="results",
        q=q,
        carrier=carrier,
        result=result,
        search_id=search_id,
        carriers=CARRIER_CHOICES,
        topics=training.TOPICS,
        catalogue=None if q else queries.by_topic(carrier or None),
        notices=catalogue.unread_notices(current_user),
    )


@bp.route("/articles/<int:article_id>")
@access(*STAFF)
def article(article_id: int):
    row = get_or_404(KbArticle, article_id)
    perform(lambda: operations.log_open(request.args.get("s", type=int), row, current_user))
    return render_template(
        "kb/article.html",
        article=row,
        html=training.render_markdown(row.body_md),
        topics=training.TOPICS,
        can_edit=current_user.role in EDITORS,
        notices=[n for n in catalogue.unread_notices(current_user) if n["article_id"] == row.id],
    )


@bp.route("/articles/new", methods=["GET", "POST"])
@access(*EDITORS)
def article_new():
    return _edit(None, ArticleForm())


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@access(*EDITORS)
def article_edit(article_id: int):
    row = get_or_404(KbArticle, article_id)
    form = ArticleForm(obj=row)
    if request.method == "GET":
        form.tags.data, form.carrier.data = ", ".join(row.tags), row.carrier or ""
    return _edit(row, form)


def _edit(row: KbArticle | None, form: ArticleForm):
    if form.validate_on_submit():
        done = perform(lambda: operations.save_article(
            row,
            title=form.title.data.strip(),
            carrier=form.carrier.data or None,
            topic=form.topic.data,
            body_md=form.body_md.data,
            tags=form.tag_list(),
            effective_from=form.effective_from.data,
            author=current_user,
        ))
        if done:
            saved, version = done.value
            if version is None:
                flash("Изменений нет — новая версия не создана.", "info")
            elif version.suggested_material:
                flash(
                    "Статья сохранена. Похоже, изменение существенное: руководитель может отправить "
                    "операторов на переаттестацию.",
                    "info",
                )
            else:
                flash(f"Статья сохранена, версия {saved.version}.", "success")
            return redirect(url_for("kb.article", article_id=saved.id))
    return render_template("kb/edit.html", form=form, article=row)


@bp.route("/versions/<int:version_id>/material", methods=["POST"])
@access(Role.MANAGER)
def confirm_material(version_id: int):
    version = get_or_404(KbArticleVersion, version_id)
    perform(
        lambda: operations.confirm_material(version, current_user),
        lambda revoked: f"Изменение подтверждено как существенное: отозвано аттестаций — {revoked}, "
        "операторы получили уведомление.",
    )
    return redirect(url_for("kb.article", article_id=version.article_id))


@bp.route("/versions/<int:version_id>")
@access(*STAFF)
def version(version_id: int):
    row = get_or_404(KbArticleVersion, version_id)
    if row.article is None:
        abort(404)
    return render_template("kb/version.html", version=row, html=training.render_markdown(row.body_md))


@bp.route("/report")
@access(Role.MANAGER, Role.ADMIN)
def report():
    return render_template("kb/report.html", **operations.lookup_report())


@bp.route("/catalogue")
@access(Role.MANAGER, Role.ADMIN)
def catalogues():
    return render_template("kb/catalogue.html", carriers=catalogue.overview())


@bp.route("/catalogue/sync", methods=["POST"])
@access(Role.MANAGER, Role.ADMIN)
def catalogue_sync():
    perform(lambda: enqueue("kb.sync_catalogue", max_attempts=1),
            "Сверка с системами операторов связи запущена: обновите страницу через несколько секунд.")
    return redirect(url_for("kb.catalogues"))


@bp.route("/catalogue/<int:reading_id>/publish", methods=["POST"])
@access(Role.MANAGER)
def catalogue_publish(reading_id: int):
    row = get_or_404(CarrierCatalogue, reading_id)
    perform(lambda: catalogue.publish(row, current_user),
            lambda done: f"Каталог опубликован (версия {done[0].version} статьи); "
                         f"уведомлены операторы: {done[1]}.")
    return redirect(url_for("kb.catalogues"))


@bp.route("/catalogue/<int:reading_id>/reject", methods=["POST"])
@access(Role.MANAGER)
def catalogue_reject(reading_id: int):
    row = get_or_404(CarrierCatalogue, reading_id)
    perform(lambda: catalogue.reject(row, current_user, request.form.get("note", "")),
            "Изменения отклонены: статья осталась прежней, эта же сверка больше не появится.")
    return redirect(url_for("kb.catalogues"))


@bp.route("/notices/<int:notice_id>/read", methods=["POST"])
@access(*STAFF)
def notice_read(notice_id: int):
    notice = get_owned_or_404(KbChangeNotice, notice_id, user_id=current_user.id)
    perform(lambda: catalogue.confirm_read(notice), "Отмечено: вы прочитали изменения.")
    return redirect(url_for("kb.article", article_id=notice.version.article_id))

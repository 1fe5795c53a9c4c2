"""Knowledge base pages: search as you type, articles, editing with history, lookup report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

import training
from app.access import STAFF, access, get_or_404
from app.fragments import render_page
from app.kb import operations, queries
from app.kb.forms import CARRIER_CHOICES, ArticleForm
from app.kb.search import search
from app.models import KbArticle, KbArticleVersion, Role
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

"""Sign in and sign out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload

from app.access import ANY, PUBLIC, access, cached_user, remember_user
from app.auth.forms import LoginForm
from app.auth.operations import authenticate
from app.extensions import db, limiter, login_manager
from app.features import announce
from app.models import OperatorSkill, User

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Войдите, чтобы продолжить."
login_manager.login_message_category = "info"


USER_PAGE_OPTIONS = (joinedload(User.team), joinedload(User.skills).joinedload(OperatorSkill.carrier))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    ident, _, version = user_id.partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None
    # cached like API keys (see app.access.cached_user): no SQL on a warm page; a user disabled
    # or signed out in this process is refused on the next request, in another within seconds
    user = cached_user(int(ident))
    if user is None:
        user = db.session.get(User, int(ident), options=USER_PAGE_OPTIONS)  # one statement
        if user is not None:
            remember_user(user)
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
               error_message="Слишком много попыток входа. Подождите минуту.")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user, error = authenticate(form.login.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()
        flash(error, "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@access(ANY)
def logout():
    user = db.session.get(User, current_user.id)
    logout_user()
    if user is not None:
        announce("user.signed_out", user)
        db.session.commit()
    flash("Вы вышли из системы.", "info")
    return redirect(url_for("auth.login"))

"""Administration: users, passwords, accounts and API keys."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app import users
from app.access import access, get_or_404
from app.admin import queries
from app.admin.forms import ApiKeyForm, PasswordForm, UserForm
from app.extensions import db
from app.fragments import render_page
from app.models import ApiKey, Role, User
from app.outcome import perform

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", endpoint="users")
@access(Role.ADMIN)
def users_list():
    ctx = queries.users_page(request.args.get("q", ""), request.args.get("role", ""),
                             request.args.get("page", 1, type=int))
    return render_page("admin/users.html", block="results", **ctx)


@bp.route("/users/new", methods=["GET", "POST"])
@access(Role.ADMIN)
def user_new():
    form = queries.user_form(UserForm())
    if form.validate_on_submit():
        done = perform(lambda: users.create_user(
            form.login.data, form.full_name.data, form.role.data, form.password.data or "",
            email=form.email.data or None, team=queries.team_or_none(form.team_id.data),
            carriers=queries.carriers_by_ids(form.carriers.data), actor=current_user,
        ), lambda user: f"Пользователь «{user.login}» создан.")
        if done:
            return redirect(url_for("admin.user_edit", user_id=done.value.id))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@access(Role.ADMIN)
def user_edit(user_id: int):
    user = get_or_404(User, user_id)
    form = queries.user_form(UserForm(obj=user), user)
    if form.validate_on_submit():
        done = perform(lambda: users.update_user(
            user, full_name=form.full_name.data, role=form.role.data, email=form.email.data or None,
            team=queries.team_or_none(form.team_id.data),
            carriers=queries.carriers_by_ids(form.carriers.data), actor=current_user,
        ), "Изменения сохранены.")
        if done:
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user,
                           password_form=PasswordForm(), keys=queries.keys_of(user))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@access(Role.ADMIN)
def user_password(user_id: int):
    user = get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        perform(lambda: users.set_password(user, form.password.data, actor=current_user),
                "Пароль изменён; прежние сеансы пользователя завершены.")
    else:
        flash("Введите новый пароль.", "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@access(Role.ADMIN)
def user_active(user_id: int):
    user = get_or_404(User, user_id)
    perform(lambda: users.set_active(user, request.form.get("active") == "1", actor=current_user),
            lambda _: "Учётная запись включена." if user.active else "Учётная запись отключена.")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/api-keys", methods=["GET", "POST"])
@access(Role.ADMIN)
def api_keys():
    form = ApiKeyForm()
    new_key = None
    if form.validate_on_submit():
        owner = users.find_user(form.login.data)
        if owner is None:
            flash(f"Пользователь «{form.login.data}» не найден.", "error")
        else:
            issued = perform(lambda: users.issue_api_key(owner, form.name.data or "", actor=current_user))
            new_key = issued.value[1] if issued else None
    return render_template("admin/api_keys.html", form=form, new_key=new_key, keys=queries.all_keys())


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@access(Role.ADMIN)
def api_key_revoke(key_id: int):
    key = get_or_404(ApiKey, key_id)
    users.revoke_api_key(key, actor=current_user)
    db.session.commit()
    flash(f"Ключ {key.prefix}… отозван.", "success")
    return redirect(url_for("admin.api_keys"))

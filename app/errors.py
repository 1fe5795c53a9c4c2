"""Russian error pages for people, JSON errors for the API; never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.access import api_error
from app.extensions import db
from app.fragments import login_redirect

MESSAGES = {
    400: ("Некорректный запрос", "Сервер не понял запрос. Проверьте введённые данные."),
    403: ("Доступ запрещён", "У вашей роли нет доступа к этой странице."),
    404: ("Страница не найдена", "Такой страницы нет — возможно, ссылка устарела."),
    405: ("Метод не поддерживается", "Эта страница не принимает такой запрос."),
    413: ("Файл слишком большой", "Размер загрузки превышает допустимый предел."),
    429: ("Слишком много попыток", "Подождите минуту и попробуйте снова."),
    500: ("Что-то пошло не так", "Мы уже записали ошибку. Попробуйте повторить чуть позже."),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status, MESSAGES[500])
    if _wants_json():
        code = {413: "payload_too_large", 429: "rate_limited"}.get(status, f"http_{status}")
        return api_error(status, code, detail or title)
    return render_template("errors/error.html", status=status, title=title, text=detail or text), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        # a session that expired takes its token along: an htmx request goes to the login page
        if not current_user.is_authenticated and (redirect := login_redirect()) is not None:
            return redirect
        return _render(400, "Форма устарела или пришла без защитного токена. Обновите страницу.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        status = exc.code or 500
        if status == 413:
            limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
            return _render(413, f"Размер загрузки больше допустимых {limit} МБ.")
        if status == 429 and exc.description and not exc.description[0].isascii():
            return _render(429, exc.description)  # the route's own Russian words («… через час»)
        return _render(status)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s", request.path)
        return _render(500)

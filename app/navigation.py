"""The navigation bar per role, declared once."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_login import current_user

from app.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: tuple[str, ...]


ALL_STAFF = (Role.OPERATOR, Role.QA_LISTENER, Role.MANAGER, Role.ADMIN)

NAV: list[NavItem] = [
    NavItem("main.home", "Главная", (*ALL_STAFF, Role.SUBSCRIBER)),
    NavItem("calls.index", "Звонки", ALL_STAFF),
    NavItem("qa.queue", "Оценка", (Role.QA_LISTENER, Role.MANAGER)),
    NavItem("qa.scorecard", "Карта оценки", (Role.MANAGER,)),
    NavItem("games.leaderboard", "Рейтинг", ALL_STAFF),
    NavItem("games.challenges", "Челленджи", ALL_STAFF),
    NavItem("kb.index", "База знаний", ALL_STAFF),
    NavItem("exams.index", "Аттестация", ALL_STAFF),
    NavItem("listening.index", "Прослушка", ALL_STAFF),
    NavItem("main.team", "Команды", (Role.MANAGER, Role.ADMIN)),
    NavItem("jobs.status", "Очередь задач", (Role.MANAGER, Role.ADMIN)),
    NavItem("admin.users", "Пользователи", (Role.ADMIN,)),
    NavItem("admin.api_keys", "API-ключи", (Role.ADMIN,)),
]


def items_for(role: str) -> list[dict[str, object]]:
    return [
        {
            "url": url_for(item.endpoint),
            "label": item.label,
            "active": request.endpoint == item.endpoint,
        }
        for item in NAV
        if role in item.roles
    ]


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation():
        if current_user.is_authenticated:
            return {"nav_items": items_for(current_user.role)}
        return {"nav_items": []}

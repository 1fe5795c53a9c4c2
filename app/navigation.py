"""The navigation bar per role: the items every feature declares (:class:`app.features.NavItem`)."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_login import current_user

from app.features import nav_items


def items_for(role: str) -> list[dict[str, object]]:
    return [
        {
            "url": url_for(item.endpoint),
            "label": item.label,
            "active": request.endpoint == item.endpoint,
        }
        for item in nav_items(role)
    ]


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation():
        if current_user.is_authenticated:
            return {"nav_items": items_for(current_user.role)}
        return {"nav_items": []}

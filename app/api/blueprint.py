"""One way to make a JSON API blueprint: under ``/api/v1``, JSON errors.

Each feature keeps its API routes on its own blueprint made here and lists it in its feature's
``api`` (:class:`app.features.Feature`); the app factory registers it and exempts it from CSRF
(API views authenticate with ``Authorization: Bearer <key>``, see :mod:`app.access`).
"""

from __future__ import annotations

from flask import Blueprint

from app.access import api_error

PREFIX = "/api/v1"


def api_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint for API routes, e.g. ``api_blueprint("calls_api", __name__)``."""
    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    bp.register_error_handler(404, _not_found)
    return bp


def _not_found(exc):
    return api_error(404, "not_found", "No such resource")

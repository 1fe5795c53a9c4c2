"""All handling of htmx request headers lives here.

A page template defines the swappable region as ``{% block main %}``. :func:`render_page`
returns the whole page for ordinary, boosted and history-restore requests, and only that
block for other htmx requests. ``Vary: HX-Request`` is added to every response so caches keep
the two apart.

A block rendered alone does not see the template's top-level ``{% from ... import %}``
lines, so a swappable block imports the macros it uses inside itself.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, current_app, render_template, request
from flask_htmx import HTMX
from flask_login import login_url

from app.extensions import htmx


def wants_fragment(state: HTMX = htmx) -> bool:
    return bool(state) and not state.boosted and not state.history_restore_request


def render_block(template_name: str, block: str, **context: Any) -> str:
    app = current_app
    app.update_template_context(context)
    template = app.jinja_env.get_or_select_template(template_name)
    render = template.blocks[block]
    return "".join(render(template.new_context(context)))


def render_page(template_name: str, block: str = "main", **context: Any) -> str:
    """Render the page, or only ``block`` when htmx asked for a fragment."""
    if wants_fragment():
        return render_block(template_name, block, **context)
    return render_template(template_name, **context)


def add_vary_header(response):
    response.vary.add("HX-Request")
    return response


def login_redirect() -> Response | None:
    """For an htmx request of a signed-out user (an expired session): 401 with ``HX-Redirect`` to
    the login page, then back to the page the request came from, so the whole page goes there
    instead of the login form landing inside a fragment. None for other requests."""
    if not htmx:
        return None
    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    back = (page.path or "/") + (f"?{page.query}" if page.query else "")
    response = Response("Сессия истекла — войдите снова.", status=401, mimetype="text/plain")
    response.headers["HX-Redirect"] = login_url(current_app.login_manager.login_view, next_url=back)
    return response


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """Tell htmx to put this answer elsewhere than the request's target (``HX-Retarget``), e.g.
    a whole form row instead of its state line when a save needs the full row redrawn."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response

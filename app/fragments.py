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

from flask import current_app, render_template
from flask_htmx import HTMX

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

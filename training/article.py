"""Knowledge-base articles: the model, safe Markdown rendering and change detection."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Final

import markdown
from markdown.treeprocessors import Treeprocessor
from rapidfuzz import fuzz

import carriers

from .errors import ArticleError

CARRIERS: Final[tuple[str, ...]] = carriers.CODES  # the one carrier catalogue
TOPICS: Final[dict[str, str]] = {
    "tariffs": "Тарифы",
    "options": "Опции и услуги",
    "roaming": "Роуминг",
    "devices": "Настройка устройств",
    "service": "Сервисные операции",
    "standards": "Стандарты обслуживания",
}
"""Topic keys with their Russian labels."""

SAFE_URL_RE: Final = re.compile(r"^(?:https?:|mailto:|tel:|#|/|\.{0,2}/|[^:/?#]*(?:[/?#]|$))", re.I)
_NUMBER_RE: Final = re.compile(r"\d+(?:[.,]\d+)?")
_TAG_RE: Final = re.compile(r"<[^>]+>")
_HEADING_END_RE: Final = re.compile(r"([^\s.!?:;…])\s*</h[1-6]>", re.IGNORECASE)
# tags that end a block of text: a space in their place; inline ones (strong, em, a, code…) go
# without one, so «**450 ₽**.» stays «450 ₽.»
_BLOCK_TAG_RE: Final = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|hr|tr|td|th|table|thead|tbody|blockquote|pre|dd|dt|dl)\b[^>]*>",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Article:
    """A knowledge-base article.

    :param carrier: ``mts``, ``megafon``, ``beeline``, or None for every carrier.
    :param topic: a key of :data:`TOPICS`.
    :param title: Russian title.
    :param body_md: Markdown body (raw HTML is shown as text, see :func:`render_markdown`).
    :param tags: search tags.
    :param effective_from: the day the content applies from.
    :param slug: stable key for seeding and links.
    """

    carrier: str | None
    topic: str
    title: str
    body_md: str
    tags: tuple[str, ...] = ()
    effective_from: date = date(2025, 1, 1)
    slug: str = ""

    def __post_init__(self) -> None:
        if self.carrier is not None and self.carrier not in CARRIERS:
            raise ArticleError(
                f"unknown carrier '{self.carrier}' in «{self.title}»; accepted: "
                f"{', '.join(CARRIERS)} or None for all carriers",
                code="unknown_carrier",
                carrier=self.carrier,
                title=self.title,
                accepted=CARRIERS,
            )
        if self.topic not in TOPICS:
            raise ArticleError(
                f"unknown topic '{self.topic}' in «{self.title}»; accepted: {', '.join(TOPICS)}",
                code="unknown_topic",
                topic=self.topic,
                title=self.title,
                accepted=tuple(TOPICS),
            )
        if not self.title.strip():
            raise ArticleError("an article needs a title", code="article_without_title")
        object.__setattr__(self, "tags", tuple(self.tags))


class _SafeLinks(Treeprocessor):
    """Drop ``href``/``src`` values with a scheme other than http(s), mailto or tel."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not SAFE_URL_RE.match(value.strip()):
                    element.set(attribute, "#")


def render_markdown(md: str) -> str:
    """Render article Markdown to HTML that is safe to insert into a page.

    Raw HTML in the source is escaped (shown as text), ``javascript:`` and other unsafe link
    targets become ``#``; tables, fenced code and sane lists are enabled.
    """
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"])
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    converter.treeprocessors.register(_SafeLinks(converter), "safe_links", 0)
    return converter.convert(md)


def strip_html(markup: str) -> str:
    """The text of an HTML fragment, whitespace collapsed: a space where a block ended, nothing
    where inline markup did («<b>450 ₽</b>.» -> «450 ₽.»), a full stop after a heading that has
    none («Кому подходит. Тем, кто…»), entities decoded."""
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", _HEADING_END_RE.sub(r"\1. ", markup)))
    return " ".join(html.unescape(text).split())


def plain_text(md: str) -> str:
    """Article Markdown as plain text (for indexing and snippets)."""
    return strip_html(render_markdown(md))


def _numbers(text: str) -> Counter[str]:
    return Counter(n.replace(",", ".") for n in _NUMBER_RE.findall(text))


def material_change(old_body: str, new_body: str, threshold: float = 0.2) -> bool:
    """Whether an edit changes what operators must know, so certifications are revoked.

    True when any number changed (prices, package sizes, terms, USSD codes), or when more than
    ``threshold`` of the text differs (character-level similarity of the lowercased,
    whitespace-collapsed texts). Re-formatting and small wording fixes are not material.
    """
    if _numbers(old_body) != _numbers(new_body):
        return True
    old = " ".join(plain_text(old_body).lower().split())
    new = " ".join(plain_text(new_body).lower().split())
    if old == new:
        return False
    return (100 - fuzz.ratio(old, new)) / 100 > threshold

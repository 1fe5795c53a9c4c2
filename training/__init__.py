"""Training: knowledge-base articles, Russian search normalisation, listening assignments.

Pure Python: plain values in, frozen dataclasses out; the app layer stores them.
"""

from .article import CARRIERS, TOPICS, Article, material_change, plain_text, render_markdown, strip_html
from .catalogue import ARTICLES, articles_for
from .errors import ArticleError, SamplingError, TrainingError
from .lemmas import (
    DOMAIN_LEMMAS,
    STOP_WORDS,
    Token,
    is_known_word,
    lemmatise,
    normalise,
    normalise_query,
    tokenise,
    vocabulary_of,
)
from .listening import (
    QUESTIONS,
    REASON_LABELS,
    CallInfo,
    Pick,
    pick_exemplary,
    questions_for,
    risk_weight,
    sample_for_listener,
)
from .lookup import PROMISE_SECONDS, TYPING_SECONDS, LookupEvent, Stats, continues, lookup_stats
from .search import Candidate, Ranked, highlight, rank

__all__ = [
    "ARTICLES",
    "CARRIERS",
    "DOMAIN_LEMMAS",
    "QUESTIONS",
    "REASON_LABELS",
    "STOP_WORDS",
    "TOPICS",
    "TYPING_SECONDS",
    "Article",
    "ArticleError",
    "CallInfo",
    "Candidate",
    "LookupEvent",
    "Pick",
    "Ranked",
    "SamplingError",
    "Stats",
    "Token",
    "TrainingError",
    "articles_for",
    "continues",
    "highlight",
    "is_known_word",
    "lemmatise",
    "lookup_stats",
    "PROMISE_SECONDS",
    "material_change",
    "normalise",
    "normalise_query",
    "pick_exemplary",
    "plain_text",
    "questions_for",
    "rank",
    "render_markdown",
    "risk_weight",
    "sample_for_listener",
    "strip_html",
    "tokenise",
    "vocabulary_of",
]

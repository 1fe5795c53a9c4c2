"""Applicability gates: when does a criterion apply to a call at all?

A criterion names its gate in ``Criterion.applicability`` (a string the app stores);
``APPLICABILITY`` maps that string to a function. A gate returns ``None`` when the
criterion applies, or a not-applicable :class:`Finding` whose evidence says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import cues
from .context import Context
from .lexicon import ACCOUNT_ACTIONS
from .transcript import Transcript
from .verdicts import Finding
from .written import gate_written

Gate = Callable[[Transcript, Context, Mapping[str, Any]], Finding | None]


def gate_always(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding | None:
    """Every call with operator speech."""
    return None


def gate_subscriber_speech(tr: Transcript, ctx: Context, params: Mapping[str, Any]
                           ) -> Finding | None:
    """Only when the subscriber can be heard (there is someone to interrupt)."""
    if tr.is_heard("subscriber"):
        return None
    ev = cues.call_evidence(tr, "реплик абонента в записи нет")
    return Finding(None, (ev,), 0.9)


def gate_complaint(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding | None:
    """Only after the subscriber complained or was upset (words, loud voice)."""
    if cues.complaints(tr, params):
        return None
    strong = cues.named("empathy_strong", params)
    if any(cues.matches(tr, turn, strong) for turn in tr.turns_of("operator")):
        return None  # the operator heard distress that the transcript lost
    ev = cues.call_evidence(tr, "абонент не жаловался и не выражал недовольства", "subscriber")
    turns = tr.turns_of("subscriber")
    conf = cues.asr_confidence(t for turn in turns for t in turn.tokens) * 0.9
    return Finding(None, (ev,), conf)


def account_requests(tr: Transcript, params: Mapping[str, Any]) -> list[tuple[Any, Any]]:
    """Operator turns that ask for an identifier: (turn, match of the identifier noun)."""
    nouns = cues.named("id_nouns", params)
    asks = cues.named("id_cues", params)
    out = []
    turns = tr.turns
    for n, turn in enumerate(turns):
        if turn.speaker != "operator":
            continue
        found = cues.matches(tr, turn, nouns)
        if not found:
            continue
        answer = next((t for t in turns[n + 1:] if t.speaker == "subscriber"), None)
        dictated = answer is not None and cues.numerals(answer.tokens) >= 3
        if cues.matches(tr, turn, asks) or "?" in turn.text or dictated:
            out.append((turn, found[0]))
    return out


def account_actions(tr: Transcript, params: Mapping[str, Any]) -> list[tuple[Any, int]]:
    """Operator turns that report acting on the account: (turn, token index)."""
    lemmas = frozenset(params["actions"]) if "actions" in params else ACCOUNT_ACTIONS
    out = []
    for turn in tr.turns_of("operator"):
        out.extend((turn, i) for i in cues.actions(tr, turn, lemmas))
    return out


def gate_account_action(tr: Transcript, ctx: Context, params: Mapping[str, Any]
                        ) -> Finding | None:
    """Only when the operator acts on the account or asks for account data."""
    if account_actions(tr, params) or account_requests(tr, params):
        return None
    ev = cues.call_evidence(tr, "действий с лицевым счётом абонента не было", "operator")
    return Finding(None, (ev,), 0.8)


def gate_hold(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding | None:
    """Only when the call had a hold (shared silence over the hold threshold)."""
    if tr.holds:
        return None
    ev = cues.call_evidence(tr, f"пауз длиннее {ctx.hold_threshold:g} с не было")
    return Finding(None, (ev,), 0.95)


APPLICABILITY: dict[str, Gate] = {
    "always": gate_always,
    "subscriber_speech": gate_subscriber_speech,
    "complaint": gate_complaint,
    "account_action": gate_account_action,
    "hold": gate_hold,
    "written": gate_written,
}

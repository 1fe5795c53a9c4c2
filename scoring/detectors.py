"""Detectors: one function per standard, found by the name stored in the scorecard.

A detector gets the validated :class:`Transcript`, the :class:`Context` and the
criterion's ``params`` and returns a :class:`Finding` (verdict, evidence, confidence).
The criterion's applicability gate has already run, so a detector only decides
met / violated (it may still answer None where only it can tell, e.g. the subscriber
gave the contract number before being asked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import cues
from .applicability import account_actions, account_requests
from .context import Context
from .lexicon import INSTRUCTION_VERBS, RESOLUTION_ACTIONS
from .transcript import Transcript, Turn
from .verdicts import Evidence, Finding
from .written import WRITTEN_DETECTORS

Detector = Callable[[Transcript, Context, Mapping[str, Any]], Finding]


def _absent(tokens_of: tuple[Turn, ...]) -> float:
    """Confidence that something is really missing: lower when ASR was unsure."""
    return round(0.9 * cues.asr_confidence(t for turn in tokens_of for t in turn.tokens), 3)


def opening(tr: Transcript) -> tuple[Turn, ...]:
    """The first operator turn, plus the next ones when the subscriber only said «алло»."""
    out: list[Turn] = []
    for turn in tr.turns:
        if turn.speaker == "operator":
            out.append(turn)
        elif out and len(turn.tokens) >= 3:
            break
    return tuple(out[:3])


def detect_greeting(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """Greeting word, company name and the operator's own name in the first operator turn."""
    turns = opening(tr)
    tokens = tuple(t for turn in turns for t in turn.tokens)
    ev: list[Evidence] = []
    missing: list[str] = []
    scores: list[float] = []
    greet = [m for turn in turns for m in cues.matches(tr, turn, cues.named("greetings", params))]
    if greet:
        m = greet[0]
        ev.append(cues.match_evidence(turns[0].tokens if m.end < len(turns[0].tokens)
                                      else tokens, m, "приветствие"))
        scores.append(m.score)
    else:
        missing.append("нет приветствия")
    loose = float(params.get("loose_company_ratio", cues.LOOSE_NAME_RATIO))
    company = (cues.find_name(tokens, ctx.company_names)
               or cues.company_word(tokens, ctx.company_names)
               or cues.find_name(tokens, ctx.company_names, ratio=loose))
    hint = None
    if company:
        ev.append(cues.span_evidence(tokens, company[0], company[1], "названа компания"))
        scores.append(company[2])
    else:
        missing.append("не названа компания")
        hint = cues.name_hint(tokens, ctx.company_names)
    name = None
    if ctx.operator_name:
        name = cues.find_name(tokens, (ctx.operator_name,)) or cues.find_name(
            tokens, (ctx.operator_name,), ratio=float(params.get("loose_name_ratio", 65)))
    if name is None:
        intro = [m for turn in turns for m in cues.matches(tr, turn, cues.named("self_intro",
                                                                                  params))]
        names = [i for i, t in enumerate(tokens) if cues.is_first_name(t.norm)
                 and not (company and company[0] <= i <= company[1])]
        if names:
            name = (names[0], names[0], 0.85)
        elif intro:
            m = intro[0]
            name = (m.start, min(m.end + 1, len(tokens) - 1), 0.7 * m.score)
    if name:
        ev.append(cues.span_evidence(tokens, name[0], name[1], "оператор представился"))
        scores.append(name[2])
    else:
        missing.append("оператор не представился")
    if not turns:
        return Finding(False, (cues.call_evidence(tr, "оператор не говорил"),), 0.9)
    if missing:
        ev.insert(0, Evidence(" ".join(t.text for t in turns), "operator", turns[0].start,
                              turns[-1].end, "первая реплика оператора: " + ", ".join(missing)))
        if hint:  # a near-miss of the brand: violated, but unsure enough to be listened to
            ev.append(cues.span_evidence(tokens, hint[0], hint[1],
                                         "похоже на название компании — проверьте на записи"))
            return Finding(False, tuple(ev), round(min(_absent(turns), 0.4), 3))
        return Finding(False, tuple(ev), _absent(turns))
    return Finding(True, tuple(ev), round(min(scores) * cues.asr_confidence(tokens), 3))


def detect_identification(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """The operator asks for number / contract / code word before acting on the account."""
    requests = account_requests(tr, params)
    acted = account_actions(tr, params)
    first_action = min((turn.tokens[i].start for turn, i in acted), default=None)
    if requests:
        turn, m = requests[0]
        ev = cues.match_evidence(turn.tokens, m, "оператор запросил данные для идентификации")
        if first_action is None or turn.tokens[m.start].start <= first_action:
            return Finding(True, (ev,), round(m.score * cues.asr_confidence(turn.tokens), 3))
    if first_action is None:  # pragma: no cover - the gate filtered it
        return Finding(None, (cues.call_evidence(tr, "действий со счётом не было"),), 0.8)
    turn, i = min(acted, key=lambda a: a[0].tokens[a[1]].start)
    action_ev = cues.span_evidence(turn.tokens, i, i, "действие со счётом без идентификации")
    for sub in tr.turns_of("subscriber"):
        if sub.start >= first_action:
            break
        if cues.numerals(sub.tokens) >= 3 or cues.matches(tr, sub, cues.named("id_nouns")):
            ev = cues.turn_evidence(sub, "абонент сам назвал данные, спрашивать не нужно")
            return Finding(None, (ev, action_ev), 0.7)
    evidence = (action_ev,)
    if requests:
        evidence += (cues.match_evidence(requests[0][0].tokens, requests[0][1],
                                         "данные запрошены уже после действия"),)
    return Finding(False, evidence, _absent((turn,)))


def detect_empathy(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """After a complaint the operator acknowledges the feeling within ``window_turns``."""
    found = cues.complaints(tr, params)
    if not found:  # the gate let it through on the operator's own acknowledgement
        hit = cues.first_match(tr, tr.turns_of("operator"), cues.named("empathy_strong", params))
        if hit is None:  # pragma: no cover - the gate filtered it
            return Finding(None, (cues.call_evidence(tr, "абонент не жаловался"),), 0.5)
        turn, m = hit
        ev = cues.match_evidence(turn.tokens, m, "оператор признал недовольство абонента "
                                 "(сама жалоба в расшифровке не распознана)")
        return Finding(True, (ev,), round(0.7 * m.score, 3))
    complaint = found[0]
    window = int(params.get("window_turns", 2))
    after = tuple(t for t in tr.turns_of("operator") if t.end > complaint.turn.start)[:window]
    hit = cues.first_match(tr, after, cues.named("empathy", params))
    if hit:
        turn, m = hit
        ev = cues.match_evidence(turn.tokens, m, "оператор признал чувства абонента")
        return Finding(True, (ev, complaint.evidence[0]),
                       round(m.score * cues.asr_confidence(turn.tokens), 3))
    ev = tuple(cues.turn_evidence(t, "после жалобы нет сочувствия") for t in after[:1])
    if not ev:
        ev = (cues.turn_evidence(complaint.turn, "на жалобу оператор не ответил"),)
    return Finding(False, ev + complaint.evidence[:1], _absent(after) if after else 0.6)


def detect_no_interruption(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """No operator overtalk over the subscriber (``min_overlap`` s; backchannels excused)."""
    min_overlap = float(params.get("min_overlap", 0.8))
    backchannel = float(params.get("backchannel", 1.5))
    complaints = {c.turn.start for c in cues.complaints(tr)}
    bad: list[Evidence] = []
    for span in tr.overtalk:
        if span.by != "operator" or span.duration < min_overlap:
            continue
        segs = [s for s in tr.segments if s.speaker == "operator" and s.tokens
                and s.start <= span.end and s.end >= span.start]
        # «угу», «да» — listening, not interrupting; a long overlap is not excused by ASR
        # having heard one word of it (the louder voice drowns the other in recognition)
        if (segs and len(segs[0].tokens) < 2 and segs[0].end - segs[0].start < backchannel
                and span.duration < backchannel):
            continue
        venting = any(t.start <= span.start <= t.end for t in tr.turns_of("subscriber")
                      if t.start in complaints)
        note = f"оператор заговорил, пока абонент ещё говорил ({span.duration:g} с)"
        if venting:
            note += ", перебил жалобу"
        text = segs[0].text if segs else ""
        if not segs:
            note += " (слова оператора не распознаны)"
        bad.append(Evidence(text, "operator", span.start, span.end, note))
    if bad:
        return Finding(False, tuple(bad), 0.85)
    ev = cues.call_evidence(tr, "оператор не перебивал абонента")
    return Finding(True, (ev,), 0.8)


def detect_resolution(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """The operator states a concrete action taken or scheduled, or walks through the fix."""
    lemmas = frozenset(params["actions"]) if "actions" in params else RESOLUTION_ACTIONS
    steps = frozenset(params["instructions"]) if "instructions" in params else INSTRUCTION_VERBS
    phrases = cues.named("resolution_phrases", params)
    turns = tr.turns_of("operator")
    for turn in turns:
        acted = cues.actions(tr, turn, lemmas)
        if acted:
            ev = cues.span_evidence(turn.tokens, acted[0], min(acted[0] + 3,
                                    len(turn.tokens) - 1), "оператор назвал действие")
            return Finding(True, (ev,), round(0.9 * cues.asr_confidence(turn.tokens), 3))
        found = cues.matches(tr, turn, phrases)
        if found:
            m = found[0]
            ev = cues.match_evidence(turn.tokens, m, "оператор назвал, что будет сделано")
            return Finding(True, (ev,), round(0.85 * m.score, 3))
        told = cues.instructions(tr, turn, steps)
        if told:
            ev = cues.span_evidence(turn.tokens, told[0], min(told[0] + 3, len(turn.tokens) - 1),
                                    "оператор объяснил, что сделать")
            return Finding(True, (ev,), round(0.8 * cues.asr_confidence(turn.tokens), 3))
    last = turns[-1]
    return Finding(False, (cues.turn_evidence(last, "конкретное действие не названо"),),
                   _absent(turns))


def detect_forbidden_words(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """No phrase of the stop-word list (``Context.forbidden``) in operator speech."""
    turns = tr.turns_of("operator")
    bad: list[Evidence] = []
    scores: list[float] = []
    for turn in turns:
        for m in cues.matches(tr, turn, ctx.forbidden):
            bad.append(cues.match_evidence(turn.tokens, m, f"стоп-слово «{m.phrase.text}»"))
            scores.append(m.score)
    if bad:
        return Finding(False, tuple(bad), round(max(scores), 3))
    ev = cues.call_evidence(tr, "стоп-слов не найдено", "operator")
    return Finding(True, (ev,), _absent(turns))


def detect_closing(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """Thanks or an offer of more help AND a goodbye in the last ``last_turns`` operator turns."""
    last = tr.turns_of("operator")[-int(params.get("last_turns", 2)):]
    bye = cues.first_match(tr, reversed(last), cues.named("closing_goodbye", params))
    thanks = cues.first_match(tr, reversed(last), cues.named("closing_thanks", params))
    ev: list[Evidence] = []
    missing: list[str] = []
    if thanks:
        ev.append(cues.match_evidence(thanks[0].tokens, thanks[1], "благодарность/предложение"))
    else:
        missing.append("нет благодарности или предложения помощи")
    if bye:
        ev.append(cues.match_evidence(bye[0].tokens, bye[1], "прощание"))
    else:
        missing.append("нет прощания")
    if missing:
        ev.insert(0, Evidence(" ".join(t.text for t in last), "operator", last[0].start,
                              last[-1].end, "завершение разговора: " + ", ".join(missing)))
        return Finding(False, tuple(ev), _absent(last))
    conf = min(thanks[1].score, bye[1].score) * cues.asr_confidence(bye[0].tokens)
    return Finding(True, tuple(ev), round(conf, 3))


def detect_hold_etiquette(tr: Transcript, ctx: Context, params: Mapping[str, Any]) -> Finding:
    """Before every hold the operator asks to wait; after it, thanks for waiting."""
    ask = cues.named("hold_ask", params)
    thank = cues.named("hold_thanks", params)
    ops = tr.turns_of("operator")
    ev: list[Evidence] = []
    ok = True
    for hold in tr.holds:
        label = f"пауза {hold.duration:g} с"
        before = [t for t in ops if t.start < hold.start + 0.5][-1:]
        after = [t for t in ops if t.end > hold.end - 0.5][:1]
        asked = cues.first_match(tr, before, ask)
        if asked:
            ev.append(cues.match_evidence(asked[0].tokens, asked[1],
                                          f"{label}: попросил подождать"))
        else:
            ok = False
            ev.append(cues.turn_evidence(before[0], f"{label}: не попросил подождать")
                      if before else Evidence("", "", hold.start, hold.end,
                                              f"{label}: не попросил подождать"))
        thanked = cues.first_match(tr, after, thank)
        if thanked:
            ev.append(cues.match_evidence(thanked[0].tokens, thanked[1],
                                          f"{label}: поблагодарил за ожидание"))
        else:
            ok = False
            ev.append(cues.turn_evidence(after[0], f"{label}: не поблагодарил за ожидание")
                      if after else Evidence("", "", hold.start, hold.end,
                                             f"{label}: не поблагодарил за ожидание"))
    return Finding(ok, tuple(ev), _absent(tuple(ops)))


DETECTORS: dict[str, Detector] = {
    "greeting": detect_greeting,
    "identification": detect_identification,
    "empathy": detect_empathy,
    "no_interruption": detect_no_interruption,
    "resolution": detect_resolution,
    "forbidden_words": detect_forbidden_words,
    "closing": detect_closing,
    "hold_etiquette": detect_hold_etiquette,
    **WRITTEN_DETECTORS,
}

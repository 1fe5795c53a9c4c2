"""The points rules as a form: one fieldset per rule, read back into a rule set, with a preview
of what it would have paid last week.

Field names: ``min_call_seconds``; ``cap-<source kind>`` (empty: no cap); for each rule
``r-<key>-on`` (the rule is in force), and by kind ``r-<key>-points``, ``r-<key>-min_stars``,
``r-<key>-w-<standard>`` (empty: no points for it) and ``r-<key>-band-<n>-min|max|points``
(an empty row is dropped). The rules shown are those in force and the shipped ones that were
switched off, so a rule switched off can be switched on again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

import games
from app.extensions import db
from app.models import GameEvent, User
from app.wording import say
from games.russian import standard_title

SPARE_BANDS = 2  # empty band rows offered below the existing ones


@dataclass
class Input:
    name: str
    label: str
    value: Any
    error: str = ""
    hint: str = ""


@dataclass
class RuleFields:
    key: str
    kind: str
    title: str
    on: bool
    inputs: list[Input] = field(default_factory=list)
    bands: list[list[Input]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class RulesFormView:
    """What the template draws; ``problems`` are rule set-wide, each rule carries its own."""

    general: list[Input]
    rules: list[RuleFields]
    problems: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.problems or any(i.error for i in self.general)
                    or any(r.problems or any(i.error for i in r.inputs)
                           or any(i.error for row in r.bands for i in row) for r in self.rules))


def _standards(weights: Mapping[str, Any]) -> list[str]:
    from app.qa.operations import active_scorecard, card_of

    keys = [c.key for c in card_of(active_scorecard()).criteria]
    return keys + [k for k in weights if k not in keys]


def _all_rules(ruleset: games.RuleSet) -> list[tuple[games.Rule, bool]]:
    active = [(rule, True) for rule in ruleset.rules]
    keys = {rule.key for rule in ruleset.rules}
    return active + [(rule, False) for rule in games.default_ruleset().rules if rule.key not in keys]


def view_of(ruleset: games.RuleSet) -> RulesFormView:
    """The form filled with a rule set's values."""
    general = [Input("min_call_seconds", "Звонки короче, секунд, не приносят баллов",
                     ruleset.min_call_seconds)]
    general += [Input(f"cap-{key}", f"Дневной лимит «{kind.title}», баллов", ruleset.daily_caps.get(key, ""),
                      hint="пусто — без лимита")
                for key, kind in games.SOURCE_KINDS.items()]
    rules = []
    for rule, on in _all_rules(ruleset):
        item = RuleFields(rule.key, rule.kind, games.RULE_KINDS[rule.kind].title, on)
        params = rule.params
        if rule.kind == "call_score_band":
            bands = list(params.get("bands", []))
            for n in range(len(bands) + SPARE_BANDS):
                band = bands[n] if n < len(bands) else {}
                item.bands.append([Input(f"r-{rule.key}-band-{n}-{part}", label, band.get(part, ""))
                                   for part, label in (("min", "от"), ("max", "до"), ("points", "баллов"))])
        elif rule.kind == "standard_met":
            weights = params.get("weights", {})
            item.inputs = [Input(f"r-{rule.key}-w-{key}", standard_title(key), weights.get(key, ""))
                           for key in _standards(weights)]
        else:
            if "min_stars" in params or rule.kind == "rating_stars":
                item.inputs.append(Input(f"r-{rule.key}-min_stars", "От скольких звёзд",
                                         params.get("min_stars", 5)))
            item.inputs.append(Input(f"r-{rule.key}-points", "Баллов" if rule.kind != "critical_violation"
                                     else "Баллов (штраф, меньше нуля)", params.get("points", "")))
        rules.append(item)
    return RulesFormView(general, rules)


def _whole(raw: str | None, item: Input, *, required: bool) -> int | None:
    text = (raw or "").strip().replace("\u2212", "-")
    item.value = text
    if not text:
        if required:
            item.error = "Укажите целое число."
        return None
    try:
        return int(text)
    except ValueError:
        item.error = f"«{text}» — не целое число."
        return None


def read(ruleset: games.RuleSet, form: Mapping[str, str]) -> tuple[RulesFormView, dict[str, Any] | None]:
    """Read the posted form against the rule set it was drawn from.

    :returns: the form as posted, with an error on each wrong field and the rule set's problems
        on their rule; and the new rule set's values (``RuleSet.to_dict`` shape, the version
        still the old one) when every field is right and it validates, else None.
    """
    view = view_of(ruleset)
    values = {i.name: i for i in view.general}
    min_seconds = _whole(form.get("min_call_seconds"), values["min_call_seconds"], required=True)
    caps = {}
    for key in games.SOURCE_KINDS:
        cap = _whole(form.get(f"cap-{key}"), values[f"cap-{key}"], required=False)
        if cap is not None:
            caps[key] = cap
    rules = []
    for item in view.rules:
        item.on = form.get(f"r-{item.key}-on") == "1"
        params: dict[str, Any] = {}
        if item.kind == "call_score_band":
            params["bands"] = []
            for row in item.bands:
                raw = [form.get(i.name, "").strip() for i in row]
                if not any(raw):
                    for i in row:
                        i.value = ""
                    continue
                parts = [_whole(text, i, required=True) for text, i in zip(raw, row, strict=True)]
                if None not in parts:
                    params["bands"].append(dict(zip(("min", "max", "points"), parts, strict=True)))
        elif item.kind == "standard_met":
            params["weights"] = {}
            for i in item.inputs:
                weight = _whole(form.get(i.name), i, required=False)
                if weight is not None:
                    params["weights"][i.name.rsplit("-w-", 1)[1]] = weight
        else:
            for i in item.inputs:
                params[i.name.rsplit("-", 1)[1]] = _whole(form.get(i.name), i, required=item.on)
        if item.on:
            rules.append({"key": item.key, "kind": item.kind, "params": params})
    if view.has_errors:
        return view, None
    data = {"version": ruleset.version, "min_call_seconds": min_seconds, "daily_caps": caps, "rules": rules}
    try:
        games.RuleSet.from_dict(data)
    except games.RuleSetError as exc:
        problems = list(exc.problems) if exc.code == "rule_problems" else [say(exc)]
        by_key = {r.key: r for r in view.rules}
        for problem in problems:
            owner = next((r for key, r in by_key.items() if problem.startswith(f"правило «{key}»")), None)
            (owner.problems if owner else view.problems).append(problem)
        return view, None
    return view, data


# --- preview -----------------------------------------------------------------------------

def last_week(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Last Moscow week, Monday to Monday, as UTC."""
    start, _ = games.period_bounds("week", now or datetime.now(UTC))
    return start - timedelta(days=7), start


def preview(current: games.RuleSet, proposed: games.RuleSet, now: datetime | None = None) -> dict[str, Any]:
    """What each rule set would have paid for last week's events (corrections aside: both are
    replayed afresh, so the difference is the rules' alone)."""
    start, end = last_week(now)
    logins = dict(db.session.execute(select(User.id, User.login)).all())
    names = dict(db.session.execute(select(User.login, User.full_name)).all())
    events = [games.Event(row.source_kind, row.source_id, logins[row.operator_id], row.occurred_at,
                          row.payload)
              for row in db.session.scalars(select(GameEvent).where(
                  GameEvent.occurred_at >= start, GameEvent.occurred_at < end,
                  GameEvent.reversed_at.is_(None)))]
    totals: dict[str, dict[str, int]] = {}
    people: dict[str, dict[str, int]] = defaultdict(lambda: {"now": 0, "new": 0})
    for side, ruleset in (("now", current), ("new", proposed)):
        for row in games.replay(events, ruleset):
            rule = row.rule_key.split(":", 1)[0]
            totals.setdefault(rule, {"now": 0, "new": 0})[side] += row.points
            people[row.operator][side] += row.points
    changes = sorted(((names.get(login, login), p["now"], p["new"]) for login, p in people.items()
                      if p["now"] != p["new"]), key=lambda c: -abs(c[2] - c[1]))
    titles = {r.key: games.RULE_KINDS[r.kind].title for r in (*current.rules, *proposed.rules)}
    return {
        "days": (games.moscow_day(start), games.moscow_day(end - timedelta(seconds=1))),
        "events": len(events),
        "rules": [{"key": key, "title": titles.get(key, key), **t} for key, t in totals.items()],
        "total": {side: sum(t[side] for t in totals.values()) for side in ("now", "new")},
        "operators": len(people), "changed": len(changes), "biggest": changes[:8],
    }

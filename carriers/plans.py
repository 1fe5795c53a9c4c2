"""The tariffs and options each carrier sells through the reseller (the demo's and the
sandbox's catalogue; a real back-office's list comes from its adapter and is synced into the
knowledge base).

Codes are the carriers' own (stable, stored on subscribers and tickets); names and monthly fees
are what an operator reads out to a subscriber.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from .errors import CarrierUnavailable


@dataclass(frozen=True)
class Plan:
    """A tariff or an option: ``code`` (the carrier's), ``name``, ``fee`` (roubles a month)."""

    code: str
    name: str
    fee: int


@dataclass(frozen=True)
class Offer:
    tariffs: tuple[Plan, ...]
    options: tuple[Plan, ...]

    def tariff(self, code: str) -> Plan | None:
        return next((t for t in self.tariffs if t.code == code), None)

    def option(self, code: str) -> Plan | None:
        return next((o for o in self.options if o.code == code), None)

    def name_of(self, code: str) -> str:
        """The name of a tariff or option (the code itself when the carrier does not list it)."""
        plan = self.tariff(code) or self.option(code)
        return plan.name if plan else code


OFFERS: Final = MappingProxyType({
    "mts": Offer(
        tariffs=(Plan("mts_smart", "Смарт", 650), Plan("mts_smart_plus", "Смарт+", 950),
                 Plan("mts_moy", "Мой МТС", 450), Plan("mts_home", "Домашний", 300)),
        options=(Plan("mts_unlim_weekend", "Безлимит на выходные", 150),
                 Plan("mts_roaming_50", "Роуминг 50 ГБ", 490), Plan("mts_no_ads", "Без рекламы", 0),
                 Plan("mts_music", "МТС Музыка", 199)),
    ),
    "megafon": Offer(
        tariffs=(Plan("mf_vklyuchaysya", "Включайся! Общайся", 550),
                 Plan("mf_maximum", "Максимум", 1200), Plan("mf_minimum", "Минимум", 350)),
        options=(Plan("mf_unlim_video", "Безлимитное видео", 199),
                 Plan("mf_vezde_kak_doma", "Везде как дома", 99),
                 Plan("mf_anti_spam", "Антиспам", 0)),
    ),
    "beeline": Offer(
        tariffs=(Plan("bee_vse_moe", "VSЁ моё", 700), Plan("bee_prosto", "Просто", 400),
                 Plan("bee_family", "Семья", 900)),
        options=(Plan("bee_highway_10", "Хайвей 10 ГБ", 250), Plan("bee_moi_strani", "Мои страны", 150),
                 Plan("bee_kto_zvonil", "Кто звонил", 60)),
    ),
})


def offer(carrier: str) -> Offer:
    """The carrier's tariffs and options (an unknown code: none)."""
    return OFFERS.get(carrier, Offer((), ()))


def describe(carrier: str, kind: str, code: str) -> str:
    """An operation in words: «переход на тариф «Смарт»», «подключение опции «Антиспам»»."""
    name = offer(carrier).name_of(code)
    if kind == "change_tariff":
        return f"переход на тариф «{name}»"
    return f"{'подключение' if kind == 'enable_option' else 'отключение'} опции «{name}»"


# --- the catalogue as a carrier lists it, and what changed in it -------------------------------

KINDS_OF_PLAN: Final[tuple[str, ...]] = ("tariff", "option")
_LABELS: Final = {"tariff": ("тариф", "тарифы"), "option": ("опция", "опции")}


def parse_offer(data: Any, carrier: str) -> Offer:
    """A carrier's answer ``{"tariffs": [{code, name, fee}], "options": [...]}`` as an
    :class:`Offer`; anything else (a missing field, a negative or non-numeric fee, a code
    listed twice) is :class:`CarrierUnavailable` ``carrier_garbage``: an answer that makes no
    sense is never published as the catalogue."""
    def garbage(why: str) -> CarrierUnavailable:
        return CarrierUnavailable(f"{carrier}: the catalogue makes no sense: {why}",
                                  code="carrier_garbage", carrier=carrier)

    if not isinstance(data, dict):
        raise garbage("not an object")
    kinds: dict[str, tuple[Plan, ...]] = {}
    seen: set[str] = set()
    for kind, key in (("tariff", "tariffs"), ("option", "options")):
        rows = data.get(key)
        if not isinstance(rows, list):
            raise garbage(f"no list of {key}")
        plans = []
        for row in rows:
            code = row.get("code") if isinstance(row, dict) else None
            name = row.get("name") if isinstance(row, dict) else None
            fee = row.get("fee") if isinstance(row, dict) else None
            if not (isinstance(code, str) and code.strip() and isinstance(name, str) and name.strip()):
                raise garbage(f"a {kind} without a code or a name: {row!r:.80}")
            if isinstance(fee, bool) or not isinstance(fee, int | float) or fee < 0 or fee != int(fee):
                raise garbage(f"{kind} {code}: the fee {fee!r} is not a whole number of roubles")
            if code in seen:
                raise garbage(f"{code} is listed twice")
            seen.add(code)
            plans.append(Plan(code.strip(), " ".join(name.split()), int(fee)))
        kinds[kind] = tuple(plans)
    if not kinds["tariff"]:
        raise garbage("no tariffs at all")
    return Offer(kinds["tariff"], kinds["option"])


def offer_to_json(offer: Offer) -> dict[str, list[dict[str, Any]]]:
    """The offer as stored and as the sandbox serves it (the inverse of :func:`parse_offer`)."""
    return {"tariffs": [vars(t).copy() for t in offer.tariffs],
            "options": [vars(o).copy() for o in offer.options]}


@dataclass(frozen=True)
class Change:
    """One difference between two catalogues: a ``tariff`` or ``option`` ``added``, ``removed``,
    ``renamed`` or with a new ``fee`` (``before`` / ``after`` the name or the fee)."""

    kind: str
    code: str
    change: str
    name: str
    before: str | int | None = None
    after: str | int | None = None

    def describe(self) -> str:
        """The change in Russian, as a manager reviews it and an operator reads it."""
        label = _LABELS[self.kind][0]
        if self.change == "added":
            return f"Новая {label} «{self.name}» — {self.after} ₽ в месяц" if self.kind == "option" \
                else f"Новый {label} «{self.name}» — {self.after} ₽ в месяц"
        if self.change == "removed":
            return f"{label.capitalize()} «{self.name}» больше не продаётся"
        if self.change == "renamed":
            return f"{label.capitalize()} «{self.before}» теперь называется «{self.after}»"
        return f"{label.capitalize()} «{self.name}»: абонентская плата {self.before} → {self.after} ₽"


def diff_offers(before: Offer, after: Offer) -> tuple[Change, ...]:
    """What changed from ``before`` to ``after``, tariffs first, each in the carrier's order
    (removed ones where they stood in ``before``, at the end)."""
    changes: list[Change] = []
    for kind, old, new in (("tariff", before.tariffs, after.tariffs),
                           ("option", before.options, after.options)):
        old_by_code = {p.code: p for p in old}
        new_codes = {p.code for p in new}
        for plan in new:
            was = old_by_code.get(plan.code)
            if was is None:
                changes.append(Change(kind, plan.code, "added", plan.name, None, plan.fee))
                continue
            if was.name != plan.name:
                changes.append(Change(kind, plan.code, "renamed", plan.name, was.name, plan.name))
            if was.fee != plan.fee:
                changes.append(Change(kind, plan.code, "fee", plan.name, was.fee, plan.fee))
        changes.extend(Change(kind, p.code, "removed", p.name, p.fee, None)
                       for p in old if p.code not in new_codes)
    return tuple(changes)


def offer_markdown(carrier_name: str, offer: Offer) -> str:
    """The knowledge-base article of a carrier's catalogue: a table of tariffs, one of options."""
    parts = [f"Тарифы и опции {carrier_name}, которые мы подключаем, — как их сейчас перечисляет "
             f"система оператора. Статья обновляется сверкой с системой {carrier_name} после "
             "проверки руководителем."]
    for kind, plans in (("tariff", offer.tariffs), ("option", offer.options)):
        parts.append(f"## {_LABELS[kind][1].capitalize()}")
        if not plans:
            parts.append("Сейчас нет ни одной.")
            continue
        rows = "\n".join(f"| {p.name} | `{p.code}` | {p.fee} ₽ |" for p in plans)
        parts.append(f"| Название | Код | Абонентская плата в месяц |\n|---|---|---|\n{rows}")
    return "\n\n".join(parts) + "\n"

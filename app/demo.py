"""A believable demo contact centre, built idempotently by ``ulybka demo``.

This module makes the people (carriers, teams, staff, subscribers' logins); every feature adds
its own part as a :class:`app.features.DemoStep` (calls, the knowledge base, exams, points ...),
run in the steps' declared order, so the demo always shows every feature.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import func, select

from app import users as user_ops
from app.extensions import db
from app.features import demo_steps
from app.models import Carrier, OperatorSkill, Role, Team, User
from carriers import CATALOGUE

DEMO_PASSWORD = "ulybka-demo"

TEAMS = ["Смена «Рассвет»", "Смена «Полдень»", "Смена «Закат»", "Ночная смена «Сова»"]
NIGHT_TEAM = TEAMS[-1]  # works 22:00–06:00 Moscow time

FIRST_F = ["Анна", "Ольга", "Мария", "Екатерина", "Наталья", "Ирина", "Светлана", "Юлия", "Татьяна",
           "Елена", "Дарья", "Алина", "Ксения", "Виктория", "Полина", "Марина", "Вера", "Софья",
           "Алёна", "Людмила"]
FIRST_M = ["Игорь", "Сергей", "Алексей", "Дмитрий", "Андрей", "Павел", "Михаил", "Николай", "Артём",
           "Максим", "Роман", "Евгений", "Владимир", "Денис", "Кирилл", "Антон", "Олег", "Илья",
           "Григорий", "Тимур"]
LAST = ["Смирнов", "Иванов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
        "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
        "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
        "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
        "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв"]

TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})

FIXED = [
    ("admin", "Администратор системы", Role.ADMIN, None),
    ("manager", "Марина Королёва", Role.MANAGER, 0),
    ("manager2", "Виктор Семёнов", Role.MANAGER, 2),
    ("qa", "Елена Григорьева", Role.QA_LISTENER, None),
    ("qa2", "Олег Лебедев", Role.QA_LISTENER, None),
    ("qa3", "Светлана Никитина", Role.QA_LISTENER, None),
    ("operator", "Анна Смирнова", Role.OPERATOR, 0),
    ("subscriber", "Пётр Васильев", Role.SUBSCRIBER, None),
    ("subscriber2", "Людмила Фролова", Role.SUBSCRIBER, None),
    ("subscriber3", "Георгий Андреев", Role.SUBSCRIBER, None),
]
OPERATORS = 40

def demo_operators() -> list[tuple[User, list[int], bool]]:
    """Every active operator with the carrier ids of their lines and whether they are on the
    night team (what the demo's calls and game history are shaped by)."""
    operators = db.session.scalars(select(User).where(User.role == Role.OPERATOR, User.active)
                                   .order_by(User.login)).all()
    lines: dict[int, list[int]] = {}
    for user_id, carrier_id in db.session.execute(
            select(OperatorSkill.user_id, OperatorSkill.carrier_id)
            .order_by(OperatorSkill.user_id, OperatorSkill.carrier_id)):
        lines.setdefault(user_id, []).append(carrier_id)
    night = set(db.session.scalars(select(Team.id).where(Team.name == NIGHT_TEAM)))
    return [(u, lines.get(u.id, []), u.team_id in night) for u in operators]


def feminine(last: str) -> str:
    if last.endswith(("ов", "ев", "ёв", "ин")):
        return last + "а"
    return last


def login_for(first: str, last: str) -> str:
    return f"{first[0].lower().translate(TRANSLIT)}.{last.lower().translate(TRANSLIT)}"


def operator_people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    people: list[tuple[str, str]] = []
    used: set[str] = set()
    taken = {name for _, name, _, _ in FIXED}  # nobody shares a name with a fixed demo user
    while len(people) < count:
        if rng.random() < 0.6:
            first, last = rng.choice(FIRST_F), feminine(rng.choice(LAST))
        else:
            first, last = rng.choice(FIRST_M), rng.choice(LAST)
        login = login_for(first, last)
        if login in used or f"{first} {last}" in taken:
            continue
        used.add(login)
        people.append((login, f"{first} {last}"))
    return people


def _ensure_reference_data() -> tuple[list[Carrier], list[Team]]:
    carriers = []
    for code, name in ((c.code, c.name) for c in CATALOGUE.values()):
        row = db.session.scalar(select(Carrier).where(Carrier.code == code))
        if row is None:
            row = Carrier(code=code, name=name)
            db.session.add(row)
        carriers.append(row)
    teams = []
    for name in TEAMS:
        row = db.session.scalar(select(Team).where(Team.name == name))
        if row is None:
            row = Team(name=name)
            db.session.add(row)
        teams.append(row)
    db.session.flush()
    return carriers, teams


def seed_demo(*, only_if_empty: bool = False, seed: int = 2026) -> dict[str, Any]:
    """Create what is missing of the demo centre; returns what was done and the logins."""
    if only_if_empty and db.session.scalar(select(func.count()).select_from(User)):
        return {"seeded": False, "created": 0,
                "text": "Database already has users; demo data left as it is."}
    rng = random.Random(seed)
    carriers, teams = _ensure_reference_data()
    created = 0
    for login, name, role, team_index in FIXED:
        if user_ops.find_user(login) is None:
            user_ops.create_user(login, name, role, DEMO_PASSWORD,
                                 team=teams[team_index] if team_index is not None else None,
                                 carriers=carriers if role == Role.OPERATOR else ())
            created += 1
    for i, (login, name) in enumerate(operator_people(rng, OPERATORS - 1)):
        if user_ops.find_user(login) is None:
            lines = rng.sample(carriers, k=rng.choice([1, 1, 2, 2, 3]))
            user_ops.create_user(login, name, Role.OPERATOR, DEMO_PASSWORD,
                                 team=teams[i % len(teams)], carriers=lines)
            created += 1
    db.session.commit()
    extras = {}
    for step in demo_steps():
        extras.update(step.run(rng))
        db.session.commit()
    text = "\n".join([
        f"Demo contact centre ready ({created} users created). Password for every demo login: "
        f"{DEMO_PASSWORD}",
        "  admin        — администратор",
        "  manager      — руководитель (Марина Королёва)",
        "  qa           — слушатель ОКК (Елена Григорьева)",
        "  operator     — оператор (Анна Смирнова)",
        "  subscriber   — абонент (Пётр Васильев)",
    ])
    return {"seeded": True, "created": created, "password": DEMO_PASSWORD,
            "logins": [f[0] for f in FIXED], "text": text, **extras}

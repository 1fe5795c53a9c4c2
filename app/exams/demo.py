"""Demo data of certification: the GIFT bank, one line exam per carrier and a mix of certified and
not yet certified operators (runs after the knowledge base's step: the exams cite its articles)."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.exams import authoring
from app.exams.bank import import_gift
from app.extensions import db
from app.models import (
    CertificationPass,
    CertificationRule,
    Exam,
    LineAvailability,
    OperatorSkill,
    User,
    utcnow,
)

DEMO_GIFT = Path(__file__).with_name("demo.gift")
BANK = "Аттестация операторов"
LINE_EXAMS = [
    ("line-mts", "Аттестация: линия МТС", "mts", "Тарифы/МТС"),
    ("line-megafon", "Аттестация: линия МегаФон", "megafon", "Тарифы/МегаФон"),
    ("line-beeline", "Аттестация: линия Билайн", "beeline", "Тарифы/Билайн"),
]


def seed_exams_demo(rng: random.Random) -> dict[str, Any]:
    company = current_app.config["ULYBKA"].company_name  # the company operators greet with
    text = DEMO_GIFT.read_text(encoding="utf-8").replace("{company}", company)
    report = import_gift(BANK, text.encode("utf-8"))
    bank = authoring.banks_by_name(BANK)
    created = 0
    for key, title, carrier, category in LINE_EXAMS:
        if db.session.scalar(select(Exam).where(Exam.key == key)) is None:
            authoring.create_exam(
                key=key,
                title=title,
                bank=bank,
                picks=[["Стандарты обслуживания", 4], [category, 2], ["Сервис", 2]],
                time_limit_min=20,
                attempt_limit=3,
                pass_mark=75.0,
                carrier=carrier,
                valid_days=180,
            )
            created += 1
    passes = 0
    if not db.session.scalar(select(CertificationPass.id).limit(1)):
        rules = {r.carrier: r for r in db.session.scalars(select(CertificationRule))}
        now = utcnow()
        for skill in db.session.scalars(
            select(OperatorSkill).join(User).order_by(User.login, OperatorSkill.carrier_id)
        ):
            roll = rng.random()
            if skill.user.login == "operator" or roll < 0.55:
                age = 175 if roll < 0.08 else rng.randint(5, 150)  # a few run out within two weeks
                db.session.add(
                    CertificationPass(
                        certification=rules[skill.carrier.code],
                        user_id=skill.user_id,
                        passed_at=now - timedelta(days=age, hours=rng.randint(0, 20)),
                    )
                )
                # an admitted operator is on the line, as the home page and the exam page say
                db.session.add(LineAvailability(user_id=skill.user_id, carrier_id=skill.carrier_id,
                                                available=True, changed_at=now))
                passes += 1
    db.session.flush()
    return {
        "gift_imported": report["imported"],
        "exams_created": created,
        "certification_passes": passes,
    }


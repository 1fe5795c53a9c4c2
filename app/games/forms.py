"""Forms of the games area: challenges, rule set JSON, board settings."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

import games
from games.rules import DEFAULT_WEIGHTS
from games.russian import standard_title

KIND_CHOICES = [SelectChoice("personal", "Личный: каждый оператор сам за себя"),
                SelectChoice("team", "Команда против команды")]


class ChallengeForm(FlaskForm):
    title = StringField("Название", validators=[DataRequired("Укажите название."), Length(max=160)])
    kind = SelectField("Вид", choices=KIND_CHOICES)
    metric = SelectField("Показатель", choices=[SelectChoice(k, v) for k, v in games.METRICS.items()])
    standard = SelectField("Стандарт",
                           choices=[SelectChoice("", "—"),
                                    *(SelectChoice(k, standard_title(k)) for k in DEFAULT_WEIGHTS)],
                           validators=[Optional()],
                           description="Только для показателя «Звонки с соблюдённым стандартом».")
    target = IntegerField("Цель", validators=[InputRequired("Укажите цель."),
                                              NumberRange(min=1, message="Цель должна быть больше нуля.")])
    starts_at = DateTimeLocalField("Начало (мск)", format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired("Укажите начало.")])
    ends_at = DateTimeLocalField("Окончание (мск)", format="%Y-%m-%dT%H:%M",
                                 validators=[InputRequired("Укажите окончание.")])
    team_id = SelectField("Команда", coerce=int, choices=[],
                          description="Для личного челленджа — кто участвует (пусто — все операторы).")
    rival_team_id = SelectField("Команда-соперник", coerce=int, choices=[])

    @staticmethod
    def moscow(value: datetime) -> datetime:
        return value.replace(tzinfo=games.MOSCOW)


class RulesForm(FlaskForm):
    rules_json = TextAreaField("Правила (JSON)",
                               validators=[DataRequired("Вставьте правила в формате JSON.")])


class BoardSettingsForm(FlaskForm):
    tv_hide_names = BooleanField("Скрывать имена на экране в зале (показывать только места и баллы)")
    streak_target = IntegerField("Дневная цель для серии, баллов",
                                 validators=[InputRequired("Укажите дневную цель."),
                                             NumberRange(min=1, max=10000, message="От 1 до 10 000.")])

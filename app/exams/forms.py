from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation

import carriers


class WholeNumberField(IntegerField):
    """An :class:`IntegerField` that says in Russian when the input is not a whole number
    (``invalid_value_message``) and then checks nothing more, so «75.5» gets one message
    instead of that and the range message too. An empty input still reaches ``Optional`` or
    ``InputRequired``."""

    def pre_validate(self, form: FlaskForm) -> None:
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()


class GiftImportForm(FlaskForm):
    bank = StringField(
        "Банк вопросов",
        validators=[DataRequired("Укажите банк."), Length(max=120)],
        description="Новый банк создаётся сам; вопросы, которые уже есть в банке, не дублируются",
    )
    file = FileField(
        "Файл GIFT",
        validators=[FileRequired("Выберите файл .gift или .txt.")],
        description="Формат Moodle GIFT, кодировка UTF-8 (cp1251 тоже прочитаем)",
    )


class ExamForm(FlaskForm):
    title = StringField("Название", validators=[DataRequired("Укажите название."), Length(max=200)])
    bank_id = SelectField("Банк вопросов", coerce=int, choices=[])
    picks = TextAreaField(
        "Вопросы",
        validators=[DataRequired("Укажите, сколько вопросов брать.")],
        render_kw={"rows": 5},
        description="По строке на категорию: «Тарифы/МТС: 3». «*: 10» — из всего банка",
    )
    time_limit_min = WholeNumberField(
        "Время, мин",
        validators=[Optional(), NumberRange(1, 600, "От 1 до 600 минут.")],
        invalid_value_message="Целое число минут, от 1 до 600.",
    )
    attempt_limit = WholeNumberField(
        "Попыток",
        validators=[Optional(), NumberRange(1, 100, "От 1 до 100.")],
        invalid_value_message="Целое число, от 1 до 100.",
    )
    pass_mark = WholeNumberField(
        "Проходной балл, %",
        default=80,
        validators=[InputRequired("Укажите проходной балл."), NumberRange(1, 100, "От 1 до 100.")],
        invalid_value_message="Целое число процентов, без дробной части: от 1 до 100.",
    )
    shuffle_questions = BooleanField("Перемешивать вопросы", default=True)
    shuffle_answers = BooleanField("Перемешивать ответы", default=True)
    carrier = SelectField(
        "Допуск к линии",
        choices=[
            SelectChoice("", "Не даёт допуска"),
            *(SelectChoice(c.code, f"Линия {c.name}") for c in carriers.CATALOGUE.values()),
        ],
        description="Все экзамены одной линии дают один и тот же допуск: оператору достаточно "
        "сдать любой из них",
    )
    valid_days = WholeNumberField(
        "Допуск действует, дней",
        default=180,
        validators=[Optional(), NumberRange(1, 3650, "От 1 до 3650 дней.")],
        invalid_value_message="Целое число дней, от 1 до 3650.",
    )

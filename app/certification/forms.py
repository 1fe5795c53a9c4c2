from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


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
    time_limit_min = IntegerField(
        "Время, мин", validators=[Optional(), NumberRange(1, 600, "От 1 до 600 минут.")]
    )
    attempt_limit = IntegerField("Попыток", validators=[Optional(), NumberRange(1, 100, "От 1 до 100.")])
    pass_mark = IntegerField(
        "Проходной балл, %",
        default=80,
        validators=[DataRequired("Укажите проходной балл."), NumberRange(1, 100, "От 1 до 100.")],
    )
    shuffle_questions = BooleanField("Перемешивать вопросы", default=True)
    shuffle_answers = BooleanField("Перемешивать ответы", default=True)
    carrier = SelectField(
        "Допуск к линии",
        choices=[
            SelectChoice("", "Не даёт допуска"),
            SelectChoice("mts", "Линия МТС"),
            SelectChoice("megafon", "Линия МегаФон"),
            SelectChoice("beeline", "Линия Билайн"),
        ],
    )
    valid_days = IntegerField(
        "Допуск действует, дней",
        default=180,
        validators=[Optional(), NumberRange(1, 3650, "От 1 до 3650 дней.")],
    )

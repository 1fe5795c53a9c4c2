from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

import carriers
import training

CARRIER_CHOICES = [
    SelectChoice("", "Все операторы связи"),
    *(SelectChoice(c.code, c.name) for c in carriers.CATALOGUE.values()),
]


class ArticleForm(FlaskForm):
    title = StringField("Заголовок", validators=[DataRequired("Укажите заголовок."), Length(max=200)])
    carrier = SelectField("Оператор связи", choices=CARRIER_CHOICES)
    topic = SelectField("Раздел", choices=[SelectChoice(k, v) for k, v in training.TOPICS.items()])
    tags = StringField("Теги", validators=[Length(max=300)], description="Через запятую: «роуминг, интернет»")
    effective_from = DateField(
        "Действует с", default=date.today, validators=[DataRequired("Укажите дату в формате ДД.ММ.ГГГГ.")]
    )
    body_md = TextAreaField(
        "Текст (Markdown)", validators=[DataRequired("Статья не может быть пустой.")], render_kw={"rows": 18}
    )

    def tag_list(self) -> list[str]:
        return [t.strip() for t in (self.tags.data or "").split(",") if t.strip()]

from flask_wtf import FlaskForm
from wtforms import (
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from app.models import ROLE_TITLES


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


ROLE_CHOICES = [SelectChoice(role.value, title) for role, title in ROLE_TITLES.items()]


class UserForm(FlaskForm):
    login = StringField("Логин", validators=[DataRequired("Укажите логин."), Length(max=60)])
    full_name = StringField("ФИО", validators=[DataRequired("Укажите имя."), Length(max=160)])
    email = StringField("Эл. почта", validators=[Optional(), Email("Неверный адрес почты.")])
    role = SelectField("Роль", choices=ROLE_CHOICES)
    team_id = SelectField("Команда", coerce=int, choices=[])
    carriers = MultiCheckboxField("Линии", coerce=int, choices=[])
    password = PasswordField("Пароль", validators=[Optional(), Length(max=200)])


class PasswordForm(FlaskForm):
    password = PasswordField("Новый пароль", validators=[DataRequired("Введите пароль.")])


class ApiKeyForm(FlaskForm):
    login = StringField("Логин владельца", validators=[DataRequired("Укажите логин.")])
    name = StringField("Назначение", validators=[Optional(), Length(max=120)],
                       description="Например: «телефония», «CRM»")

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    login = StringField("Логин", validators=[DataRequired("Введите логин."), Length(max=60)])
    password = PasswordField("Пароль", validators=[DataRequired("Введите пароль.")])
    remember = BooleanField("Запомнить меня")

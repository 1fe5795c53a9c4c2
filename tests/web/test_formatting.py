"""Jinja filters: Russian plural forms and numbers."""

import pytest
from flask import render_template_string

from app.formatting import format_number, plural

FORMS = ("балл", "балла", "баллов")


@pytest.mark.parametrize(("count", "word"), [
    (0, "баллов"), (1, "балл"), (2, "балла"), (4, "балла"), (5, "баллов"), (11, "баллов"),
    (12, "баллов"), (14, "баллов"), (21, "балл"), (22, "балла"), (25, "баллов"), (101, "балл"),
    (111, "баллов"), (1_000_002, "балла"), (-1, "балл"), (1.5, "балла"), (None, "баллов"),
])
def test_plural_picks_the_russian_form(count, word):
    assert plural(count, *FORMS) == word


def test_plural_and_number_filters_in_a_template(app):
    with app.test_request_context():
        html = render_template_string(
            "{{ n|number }} {{ n|plural('звонок', 'звонка', 'звонков') }}", n=12345)
    assert html == f"{format_number(12345)} звонков" and html.startswith("12\u202f345")

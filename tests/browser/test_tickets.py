"""Tickets in the browser: an operator works the queue and answers; a subscriber writes in from a phone."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_smoke import log_in

pytestmark = pytest.mark.browser


def test_an_operator_filters_the_queue_opens_a_ticket_and_answers(live_server, page):
    log_in(page, live_server, "operator")
    page.goto(f"{live_server}/tickets/")
    total = int(page.locator(".results-total").get_attribute("data-total"))
    assert total > 0
    page.select_option("select[name=type]", "balance")  # htmx swaps the results in place
    page.wait_for_function(f"() => document.querySelector('.results-total').dataset.total != '{total}'")
    assert re.search(r"type=balance", page.url)
    rows = page.locator("table.tickets tbody tr")
    assert rows.count() > 0 and all("Баланс" in rows.nth(i).inner_text() for i in range(rows.count()))
    screenshot(page, "operator-tickets-queue")
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/tickets/\d+$"))
    page.fill("textarea[name=body]", "Проверили: списание ошибочное, деньги вернём сегодня.")
    page.click("button[value=reply]")
    page.wait_for_url(re.compile(r"/tickets/\d+#thread$"))
    assert page.locator(".msg-staff").last.inner_text().count("деньги вернём сегодня") == 1
    assert "Ответ отправлен абоненту" in page.locator(".flashes").inner_text()
    screenshot(page, "operator-ticket-page")
    assert page.console_errors == []


def test_a_subscriber_writes_in_from_a_phone_and_gets_the_number(live_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/login")
    page.click("text=напишите в поддержку")
    page.fill("input[name=name]", "Ольга")
    page.fill("input[name=email]", "olga@example.ru")
    page.fill("input[name=phone]", "+7 916 123-45-67")
    page.select_option("select[name=type]", "device_setup")
    page.fill("input[name=subject]", "Не работает интернет")
    page.fill("textarea[name=body]", "С утра нет мобильного интернета.")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.click("button[type=submit]")
    assert re.search(r"Номер обращения: #\d+", page.locator("main").inner_text())
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "subscriber-web-form-phone")
    assert page.console_errors == []

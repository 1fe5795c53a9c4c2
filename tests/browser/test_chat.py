"""Live chat in two real browsers: the subscriber on a phone-sized screen, the operator at the
console; a dropped connection loses no message and sends none twice."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_smoke import log_in

pytestmark = pytest.mark.browser


def test_a_subscriber_and_an_operator_chat_through_a_dropped_connection(live_server, browser):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    subscriber, operator = phone.new_page(), desk.new_page()
    errors = []
    for page in (subscriber, operator):
        page.on("pageerror", lambda e: errors.append(str(e)))
    log_in(subscriber, live_server, "subscriber")
    subscriber.click("nav >> text=Чат с оператором")
    subscriber.click("text=Начать чат")
    subscriber.fill("#chat-body", "Здравствуйте! Не работает роуминг в Турции")
    subscriber.press("#chat-body", "Enter")
    subscriber.wait_for_selector(".msg-subscriber[data-id]")
    assert "Вы в очереди" in subscriber.locator(".chat-status").inner_text()

    log_in(operator, live_server, "operator")
    operator.goto(f"{live_server}/chat/console")
    waiting = operator.locator(".chat-queue li", has_text="Не работает роуминг в Турции")
    waiting.locator("button:has-text('Взять')").click()
    operator.wait_for_url(re.compile(r"/chat/console\?chat=\d+$"))
    operator.wait_for_selector(".msg-subscriber:has-text('роуминг в Турции')")
    subscriber.wait_for_selector(".msg-system:has-text('на связи')")  # the subscriber sees who took it
    operator.fill("#canned-q", "роуминг")
    operator.click("form.canned button[type=submit]")
    operator.locator(".canned-results button:has-text('Вставить')").first.click()
    assert operator.input_value("#chat-body").strip()
    operator.fill("#chat-body", "Добрый день! Проверяю роуминг на вашем номере.")
    operator.press("#chat-body", "Enter")
    subscriber.wait_for_selector(".msg-operator:has-text('Проверяю роуминг')", timeout=5000)
    operator.wait_for_selector(".msg-operator .msg-read", timeout=5000)  # the subscriber has read it

    phone.set_offline(True)  # the phone loses its connection mid-conversation
    subscriber.fill("#chat-body", "Пока ждала, пропал интернет")
    subscriber.press("#chat-body", "Enter")
    subscriber.wait_for_selector(".msg-mark:has-text('не отправлено')")
    phone.set_offline(False)
    operator.wait_for_selector(".msg-subscriber:has-text('пропал интернет')", timeout=15000)
    subscriber.wait_for_selector(".msg-subscriber:has-text('пропал интернет') .msg-mark:has-text('✓')",
                                 timeout=15000)
    subscriber.set_input_files(".chat-file", files=[{"name": "скриншот.png", "mimeType": "image/png",
                                                     "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    operator.wait_for_selector(".msg-subscriber a:has-text('скриншот.png')", timeout=10000)
    operator.reload()
    assert operator.locator(".msg-subscriber:has-text('пропал интернет')").count() == 1  # stored once
    assert operator.locator(".msg-subscriber a:has-text('скриншот.png')").count() == 1
    assert subscriber.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(subscriber, "subscriber-chat-phone")
    screenshot(operator, "operator-chat-console")

    operator.select_option("#outcome", "resolved")
    operator.click("button:has-text('Завершить чат')")
    operator.wait_for_url(re.compile(r"/chat/console\?closed=1"))
    assert "Чат завершён" in operator.locator(".flash-success").inner_text()
    subscriber.wait_for_selector("text=Начать чат", timeout=10000)
    assert "Прошлый чат" in subscriber.locator("main").inner_text()
    assert errors == []
    phone.close()
    desk.close()

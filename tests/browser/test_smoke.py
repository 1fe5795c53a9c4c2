"""Each demo role logs in through the real browser and opens every page in its menu."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ROLES = ["operator", "qa", "manager", "admin", "subscriber"]


def log_in(page, base, login):
    page.goto(f"{base}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "ulybka-demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("login", ROLES)
def test_role_walks_its_menu(live_server, page, login):
    log_in(page, live_server, login)
    assert page.locator("h1").first.inner_text().startswith("Здравствуйте")
    links = page.locator("nav.nav a").evaluate_all("els => els.map(e => [e.textContent, e.href])")
    assert links, "every role has a menu"
    rows = page.locator("nav.nav a").evaluate_all("els => new Set(els.map(e => e.offsetTop)).size")
    assert rows == 1, f"{login}: the menu wraps to {rows} lines at 1280 px"
    for label, href in links:
        response = page.goto(href)
        assert response.status == 200, (login, label, response.status)
        assert page.locator("h1").count() >= 1
        path = href.split("://", 1)[1].partition("/")[2].strip("/").replace("/", "-")
        screenshot(page, f"{login}-{path or 'home'}")
    assert page.console_errors == [], page.console_errors
    page.click("text=Выйти")
    page.wait_for_url(f"{live_server}/login")


def test_wrong_password_shows_russian_error(live_server, page):
    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", "operator")
    page.fill("input[name=password]", "не-тот-пароль")
    page.click("button[type=submit]")
    assert "Неверный логин или пароль." in page.inner_text(".flashes")
    screenshot(page, "login-error")


def test_htmx_search_updates_the_user_list(live_server, page):
    log_in(page, live_server, "admin")
    page.goto(f"{live_server}/admin/users")
    page.fill("input[name=q]", "смирнова")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length < 5")
    assert "Анна Смирнова" in page.inner_text("#results")
    assert "q=" in page.url  # pushed into history
    assert page.console_errors == []
    screenshot(page, "admin-user-search")


def test_the_leaderboard_fits_a_phone(live_server, page):
    """Before: the board was wider than a 390 px phone and scrolled sideways."""
    log_in(page, live_server, "operator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/games/")
    board = page.locator("table.leaderboard")
    assert board.locator("tbody tr").count() > 0
    assert board.evaluate("t => t.getBoundingClientRect().right") <= 390
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(page, "operator-leaderboard-phone")


def test_the_tv_screen_shows_team_names_whole(live_server, page):
    """Before: long team names were cut with an ellipsis on the floor screen."""
    log_in(page, live_server, "manager")
    page.goto(f"{live_server}/tv")
    names = page.locator(".tv-teams .tv-name")
    assert names.count() > 0
    cut = names.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)")
    assert cut == [], cut

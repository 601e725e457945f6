"""Real-browser fixtures: Playwright (Python) driving Debian's /usr/bin/chromium.

We never use pytest-playwright's downloaded browsers; the fixtures here are named ``chromium_browser``
and ``browser_page`` so they do not clash with that plugin's ``browser``/``page``. When Chromium
cannot start the tests FAIL (``make test`` installs it from Debian), they are never skipped.

Every test gets the demo organisation (password ``MotCua@2025``), the working-day calendar and the
demo catalogue through ``demo_data``; the live server runs on the same (transactional) database.
"""
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEFAULT_TIMEOUT_MS = 10_000
DEMO_PASSWORD = "MotCua@2025"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def playwright_driver():
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def chromium_browser(playwright_driver):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (make test does it).", pytrace=False)
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def static_cache():
    """Static files fetched once per run and shared by every browser context (each context starts
    with an empty HTTP cache, and the live server serves Bootstrap slowly)."""
    return {}


def _serve_static(cache):
    def handle(route):
        path = route.request.url.split("/static/", 1)[1]
        if path not in cache:
            response = route.fetch()
            if response.status != 200:
                route.fulfill(response=response)
                return
            cache[path] = (response.body(), response.headers.get("content-type", "application/octet-stream"))
        body, content_type = cache[path]
        route.fulfill(status=200, body=body, content_type=content_type)
    return handle


@pytest.fixture
def new_page(chromium_browser, static_cache):
    """Factory: ``new_page(viewport=PHONE)`` opens a page in a fresh context (own cookies)."""
    contexts = []

    def make(viewport=DESKTOP):
        context = chromium_browser.new_context(viewport=viewport, locale="vi-VN",
                                               timezone_id="Asia/Ho_Chi_Minh")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route(re.compile(r"^https?://[^/]+/static/"), _serve_static(static_cache))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def browser_page(new_page):
    return new_page()


@pytest.fixture
def demo_data(transactional_db):
    """Demo province, staff, calendar 2025–2027 (plus today's year) and the demo catalogue."""
    import datetime

    from motcua.catalog import demo as catalog_demo
    from motcua.orgs import demo as orgs_demo
    from motcua.workcal.services import seed_calendar

    orgs_demo.load()
    this_year = datetime.date.today().year
    seed_calendar(min(2025, this_year - 1), max(2027, this_year + 1))
    catalog_demo.load()


def screenshot(page, name):
    """Full-page screenshot to test-results/<name>.png (gitignored) for a human to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_no_horizontal_overflow(page, width):
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width + 1, f"page is {scroll_width}px wide at a {width}px viewport ({page.url})"


def login(page, base_url, username, password=DEMO_PASSWORD):
    """Log in through the real login page and wait until the browser has left it."""
    page.goto(f"{base_url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    return page


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()


def text_of(page):
    """Visible text of the page body with whitespace collapsed (for 'what a person sees' checks)."""
    return re.sub(r"\s+", " ", page.inner_text("body"))

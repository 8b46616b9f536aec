"""Playwright against Debian's Chromium (never `playwright install`): launch flags, Vietnamese locale, screenshots."""

import os
import pathlib

import pytest

CHROMIUM = "/usr/bin/chromium"
# As root on a machine whose network is closed: no sandbox, and nothing that phones home at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=vi-VN",  # the browser's own widgets (date inputs) in Vietnamese order too
]
SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "mat-khau-thu-nghiem-2017"
# How many CSS pixels the page is wider than the phone's screen. Not against window.innerWidth: a mobile browser
# zooms a page that is too wide out until it fits, and innerWidth grows with it; the layout viewport
# (documentElement.clientWidth) stays the screen's width.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def page_overflow(page) -> int:
    return page.evaluate(OVERFLOW)


def assert_fits_phone(page, what: str = "") -> None:
    overflow = page_overflow(page)
    assert overflow <= 0, f"{what or page.url} is {overflow}px wider than the phone screen"


requires_chromium = pytest.mark.skipif(
    not os.path.exists(CHROMIUM),
    reason=f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests",
)
# The marks of every browser test module (its `pytestmark`). The live server reads committed rows; serialized_rollback
# puts back the rating schemes after the flush.
BROWSER_TEST = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}
# A test's browser contexts are a phone's: its screen, its touch and its mobile layout.
on_a_phone = pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True)


# pytest-playwright starts Playwright once per session; its event loop would then stay running for every test that
# comes after the browser tests, and the whole suite would need DJANGO_ALLOW_ASYNC_UNSAFE. Here Playwright lives for
# one module instead, and starts only after the test database and the live server exist.
@pytest.fixture(scope="module")
def playwright(django_db_setup, django_db_blocker, live_server):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The migrated rows (rating schemes) as serialized when the test database was created. Once Playwright's loop
    # runs, Django hands this thread new connection objects that lack them, so serialized_rollback would restore
    # nothing after the flush that ends each test: keep them on the class for this module.
    wrapper = type(connections["default"])
    saved = getattr(connections["default"], "_test_serialized_contents", None)
    # While Playwright's sync API runs, its event loop is "running" in the test's thread, which Django's async-safety
    # check mistakes for async code; the ORM calls here (setup, checks, the flush after each test) are synchronous.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if saved is not None:
            patch.setattr(wrapper, "_test_serialized_contents", saved, raising=False)
        with sync_playwright() as pw:
            yield pw
        if saved is not None:
            # Leave the database as migrated for the tests that come after this module.
            with django_db_blocker.unblock():
                connections["default"].creation.deserialize_db_from_string(saved)


@pytest.fixture(scope="module")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="module")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="module")
def browser(launch_browser):
    browser = launch_browser()
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="module")
def browser_context_args():
    # The browser says Vietnamese like the office computers; the app must answer in Vietnamese anyway.
    return {
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": {"width": 1366, "height": 900},
        "accept_downloads": True,
    }


@pytest.fixture
def screenshot():
    """Save a full-page screenshot of a page under artifacts/screenshots/ (git-ignored), named for what it shows."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> pathlib.Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

"""Issue 16 on a phone: the secretary records the self levels of the commune's standing board and its secretary on
the portal, the district officer appraises and decides them on the review page; both pages fit 390 px."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments.cycle import services as cycle_services
from assessments.models import CollectiveRating, LeaderRating, Title
from tests.browser.conftest import BROWSER_TEST, assert_fits_phone, login, on_a_phone
from tests.leadership.helpers import collective, leader

pytestmark = BROWSER_TEST

YEAR = 2025
PORTAL = f"/portal/BS-NHAT-TIEN/{YEAR}/"
REVIEW = f"/review/BS-NHAT-TIEN/{YEAR}/"


@pytest.fixture
def board(tree, officer, secretary_nhat_tien):
    cycle_services.year_open(organization=tree["BS"], year=YEAR, deadline=datetime.date(YEAR, 12, 15), actor=officer)
    group = collective(tree["BS-NHAT-TIEN"], name="Ban Thường vụ Đảng ủy xã Nhất Tiến")
    head = leader(group, Title.SECRETARY)
    return group, head


def _opened(new_context, base: str, username: str, path: str, shown: str):
    """A new phone page of `username` at `path`, once `shown` is visible; the page fits the screen."""
    page = new_context().new_page()
    login(page, base, username)
    page.goto(base + path)
    expect(page.locator(shown)).to_be_visible()
    assert_fits_phone(page)
    return page


@on_a_phone
def test_self_levels_on_the_portal_then_the_decision_on_the_review_page_on_a_phone(
    live_server, new_context, board, screenshot
):
    group, head = board
    base = live_server.url
    page = _opened(new_context, base, "rum", PORTAL, "#collectives-title")
    page.locator(f"select[name=c{group.pk}-self_level]").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.locator("#collectives-form button").click()
    expect(page.locator("#collectives-form")).to_be_visible()
    page.locator(f"select[name=l{head.pk}-{group.pk}-self_level]").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.locator("#leaders-form button").click()
    expect(page.locator("#checklist")).to_contain_text("Đã tự đánh giá 1/1 tập thể và 1/1 cá nhân.")
    assert_fits_phone(page)
    screenshot(page, "leadership-portal-phone")
    assert CollectiveRating.objects.get().self_level.code == "good"
    assert LeaderRating.objects.get().self_level.code == "good"

    officer_page = _opened(new_context, base, "binh", REVIEW, "#collectives-form")
    officer_page.locator(f"select[name=c{group.pk}-appraisal_level]").select_option(label="Hoàn thành tốt nhiệm vụ")
    officer_page.locator(f"select[name=c{group.pk}-level]").select_option(label="Hoàn thành tốt nhiệm vụ")
    officer_page.locator(f"input[name=c{group.pk}-score]").fill("85")  # 2025 is scored: a decided level needs one
    officer_page.locator("#collectives-form button").click()
    expect(officer_page.locator("#collectives-form")).to_be_visible()
    assert_fits_phone(officer_page)
    screenshot(officer_page, "leadership-review-phone")
    rating = CollectiveRating.objects.get()
    assert rating.appraisal_level.code == "good" and rating.level.code == "good"

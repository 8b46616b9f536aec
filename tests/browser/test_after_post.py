"""After a refused action the browser is back on the page it came from: the error shows there, and reloading it
neither posts again nor lands on the browser's "HTTP ERROR 405" (issue 18, item 5)."""

import pytest
from playwright.sync_api import expect

from assessments.cycle import services as cycle_services
from tests.browser.conftest import BROWSER_TEST, login
from tests.cycle_factories import members_rated, submission_ready, year_opened

pytestmark = BROWSER_TEST

REVIEW = "/review/BS-NHAT-TIEN/2025/"


@pytest.fixture
def submitted(officer, tree, secretary_nhat_tien, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    submission = year_opened(officer=officer, tree=tree)["BS-NHAT-TIEN"]
    members_rated(tree["BS-NHAT-TIEN-01"], 2025, "qd366-2025", ["good", "good"])
    submission_ready(
        submission=submission, secretary=secretary_nhat_tien, scheme="qd366-2025", self_level="good", cell_level="good"
    )
    cycle_services.submission_submit(submission=submission, actor=secretary_nhat_tien)
    return submission


def test_a_refused_return_shows_its_error_on_the_review_page_and_a_reload_is_harmless(
    live_server, new_context, submitted
):
    page = new_context().new_page()
    login(page, live_server.url, "binh")
    page.goto(live_server.url + REVIEW)
    # The comment is required in the browser too; sent empty anyway, as an old browser would.
    page.eval_on_selector("#return-form", "form => { form.noValidate = true; }")
    page.click("#return-form button")
    page.wait_for_load_state()
    assert page.url == live_server.url + REVIEW
    expect(page.locator(".alert-danger").first).to_contain_text("Chưa thực hiện được")
    expect(page.locator("#return-form")).to_contain_text("bắt buộc")
    response = page.reload()
    assert response.status == 200 and response.request.method == "GET"
    expect(page.locator(".alert-danger")).to_have_count(0)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

"""The commune secretary's whole journey on a phone, from login to a submitted file: the prefilled template filled
with the levels as the app displays them (any case, with or without diacritics) goes in at the first upload, and
every step leads back to the file (issue 18)."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from assessments.models import MemberAssessment, Submission, SubmissionStatus
from tests.browser.conftest import BROWSER_TEST, assert_fits_phone, login, on_a_phone
from tests.browser.portal import ratings_upload, review_report_upload, template_download, template_filled
from tests.cycle_factories import nhat_tien_members_year_opened

pytestmark = BROWSER_TEST

YEAR = 2019
PORTAL = f"/portal/BS-NHAT-TIEN/{YEAR}/"
# The levels typed as a secretary types them: the label as displayed, in capitals, without diacritics.
LEVELS = {
    "Dương Văn Rum": "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàng Thị Hoa": "HOÀN THÀNH TỐT NHIỆM VỤ",
    "Vi Văn Tài": "hoan thanh tot nhiem vu",
    "Lương Thị Mai": "Hoàn thành tốt nhiệm vụ",
    "Nông Văn Dũng": "Hoàn thành nhiệm vụ",
}


@pytest.fixture
def opened_year(tree, officer, secretary_nhat_tien):
    nhat_tien_members_year_opened(tree=tree, officer=officer, names=LEVELS, year=YEAR, card_prefix="0853")
    return tree


@on_a_phone
def test_the_secretary_goes_from_login_to_a_submitted_file_uploading_once(
    live_server, new_context, opened_year, tmp_path, screenshot
):
    base = live_server.url
    page = new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "send the file?"
    login(page, base, "rum")
    page.locator(".navbar-toggler").click()
    page.get_by_role("link", name="Hồ sơ đánh giá").click()
    page.wait_for_url(re.compile(rf"{PORTAL}$"))
    assert_fits_phone(page)

    # The review report.
    review_report_upload(page)

    # The prefilled template: drop-down lists of the Vietnamese labels on the level column.
    template = template_download(page, tmp_path)
    assert openpyxl.load_workbook(template).worksheets[0].data_validations.dataValidation

    # The portal's link opens the import page on member ratings.
    page.locator("#import-upload-link").click()
    expect(page.locator("select[name=data_type]")).to_have_value("member_ratings")
    assert_fits_phone(page)
    ratings_upload(page, "xep-loai-2019.xlsx", template_filled(template, LEVELS))
    changes = page.locator("#import-changes")
    expect(changes).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")  # the preview speaks Vietnamese
    expect(page.locator("main")).not_to_contain_text("level=")
    assert_fits_phone(page)
    screenshot(page, "journey-preview-phone")
    page.get_by_role("button", name="Xác nhận ghi dữ liệu").click()
    expect(page.locator("main")).to_contain_text("Đã ghi: 5 thêm mới")
    assert MemberAssessment.objects.filter(year=YEAR).count() == 5

    # The way back to the file, then its last steps.
    page.locator("#import-back").click()
    page.wait_for_url(re.compile(rf"{PORTAL}$"))
    page.locator("#self-level-form select[name=level]").select_option(label="Hoàn thành tốt nhiệm vụ")
    page.locator("#self-level-form button").click()
    for select in page.locator("#cells-form select").all():
        select.select_option(label="Hoàn thành tốt nhiệm vụ")
    page.locator("#cells-form button").click()
    expect(page.locator("#checklist li[data-done=false]")).to_have_count(0)
    page.locator("#submit-form button").click()
    expect(page.locator("#submission-status")).to_have_text("Đã gửi, chờ thẩm định")
    assert_fits_phone(page)
    screenshot(page, "journey-submitted-phone")
    submission = Submission.objects.get(organization__code="BS-NHAT-TIEN", cycle__year=YEAR)
    assert submission.status == SubmissionStatus.SUBMITTED

"""The yearly cycle in a real browser: Nhất Tiến's secretary prepares and submits the file, the district officer sees a
regulation check fail, records the decision and finalizes, and the district dashboard counts the new rating."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from assessments.models import MemberAssessment, Submission, SubmissionStatus, UnitAssessment
from assessments.summaries.recompute import summaries_reconcile
from tests.browser.conftest import BROWSER_TEST, login
from tests.browser.portal import ratings_upload, review_report_upload, template_download, template_filled
from tests.cycle_factories import nhat_tien_members_year_opened

pytestmark = BROWSER_TEST

YEAR = 2019  # qd132-2018, and the 20% cap on excellent members applies from 2019
MEMBERS = ["Dương Văn Rum", "Hoàng Thị Hoa", "Vi Văn Tài", "Lương Thị Mai"]


@pytest.fixture
def opened_year(tree, officer, secretary_nhat_tien):
    """Four members in Nhất Tiến's two cells, and the district's cycle for 2019 opened with a draft per unit."""
    nhat_tien_members_year_opened(
        tree=tree, officer=officer, names=MEMBERS, year=YEAR, card_prefix="0851", ethnicity="Tày"
    )
    return tree


def upload_ratings(page, base: str, content: bytes) -> None:
    page.goto(f"{base}/imports/")
    page.select_option("select[name=data_type]", "member_ratings")
    ratings_upload(page, "xep-loai-dang-vien-2019.xlsx", content)


def headline(page) -> str:
    return page.locator("#headline-top").inner_text()


def test_commune_submits_and_district_finalizes(live_server, new_context, opened_year, screenshot, tmp_path):
    base = live_server.url
    nhat_tien = opened_year["BS-NHAT-TIEN"]

    # --- the district's dashboard before: nothing finalized for 2019 ----------------------------------------------
    officer_page = new_context().new_page()
    officer_page.on("dialog", lambda dialog: dialog.accept())
    login(officer_page, base, "binh")
    officer_page.goto(f"{base}/?year={YEAR}")
    expect(officer_page.locator("html")).to_have_attribute("lang", "vi")
    assert headline(officer_page).startswith("0/2")
    pending = officer_page.locator("#pending-units")
    expect(pending).to_contain_text("Đảng bộ xã Nhất Tiến")
    screenshot(officer_page, "01-dashboard-before")

    # --- the secretary of Nhất Tiến -----------------------------------------------------------------------------------
    page = new_context().new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the "send the file?" confirmation
    login(page, base, "rum")
    page.get_by_role("link", name="Hồ sơ đánh giá").click()
    page.wait_for_url(re.compile(rf"/portal/BS-NHAT-TIEN/{YEAR}/$"))
    expect(page.locator("h1")).to_contain_text("Đảng bộ xã Nhất Tiến")
    screenshot(page, "02-portal-start")

    # 1. the review report
    review_report_upload(page)

    # 2. the member ratings: the prefilled template, a file with an error, then the corrected file
    template = template_download(page, tmp_path)
    names = [row[5] for row in openpyxl.load_workbook(template).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(MEMBERS)  # prefilled with the commune's members only

    # Three excellent for one good breaks the 20% cap; "xuat_sac" is not a level code.
    wrong = {
        "Dương Văn Rum": "excellent",
        "Hoàng Thị Hoa": "xuat_sac",
        "Vi Văn Tài": "excellent",
        "Lương Thị Mai": "good",
    }
    upload_ratings(page, base, template_filled(template, wrong))
    errors = page.locator("table").filter(has_text="xuat_sac")
    expect(errors).to_contain_text("xuat_sac")
    row = errors.locator("tr", has_text="xuat_sac")
    expect(row.locator("td").nth(1)).to_have_text(re.compile("level|Xếp loại"))  # the column is named
    assert re.fullmatch(r"\d+", row.locator("td").first.inner_text().strip())  # and the row
    expect(page.get_by_role("button", name="Xác nhận ghi dữ liệu")).to_have_count(0)
    screenshot(page, "03-import-error-named")
    assert not MemberAssessment.objects.filter(year=YEAR).exists()  # nothing written

    fixed = {**wrong, "Hoàng Thị Hoa": "excellent"}
    upload_ratings(page, base, template_filled(template, fixed))
    page.get_by_role("button", name="Xác nhận ghi dữ liệu").click()
    expect(page.locator("main")).to_contain_text("Đã ghi: 4 thêm mới")
    assert MemberAssessment.objects.filter(year=YEAR, organization__path__startswith=nhat_tien.path).count() == 4

    # 3. the unit's own proposal, 4. its cells' levels, then submit
    page.goto(f"{base}/portal/BS-NHAT-TIEN/{YEAR}/")
    page.locator("#self-level-form select[name=level]").select_option(label="Hoàn thành xuất sắc nhiệm vụ")
    page.locator("#self-level-form button").click()
    expect(page.locator("#self-level")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    for select in page.locator("#cells-form select").all():
        select.select_option(label="Hoàn thành tốt nhiệm vụ")
    page.locator("#cells-form button").click()
    expect(page.locator("#checklist li[data-done=false]")).to_have_count(0)
    screenshot(page, "04-portal-ready")
    page.locator("#submit-form button").click()
    expect(page.locator("#submission-status")).to_have_text("Đã gửi, chờ thẩm định")
    expect(page.locator("#submit-form")).to_have_count(0)  # nothing left to change

    # --- the district officer reviews and finalizes -------------------------------------------------------------
    officer_page.goto(f"{base}/review/BS-NHAT-TIEN/{YEAR}/")
    expect(officer_page.locator("#submission-status")).to_have_text("Đã gửi, chờ thẩm định")
    expect(officer_page.locator("body")).to_contain_text("Không đạt")  # the 20% cap: 3 excellent for 1 good
    screenshot(officer_page, "05-review-check-failed")

    form = officer_page.locator("#finalize-form")
    form.locator("select[name=level]").select_option(label="Hoàn thành xuất sắc nhiệm vụ")
    form.locator("input[name=decision_ref]").fill("125-QĐ/HU")
    form.locator("input[name=decided_on]").fill(f"{YEAR + 1}-01-10")
    form.get_by_role("button", name="Chốt kết quả").click()
    # A failed check blocks finalizing until the officer writes why.
    expect(officer_page.locator("body")).to_contain_text("Muốn vẫn chốt, ghi rõ lý do.")
    assert Submission.objects.get(organization=nhat_tien, cycle__year=YEAR).status == SubmissionStatus.SUBMITTED

    form = officer_page.locator("#finalize-form")
    form.locator("select[name=level]").select_option(label="Hoàn thành xuất sắc nhiệm vụ")
    form.locator("input[name=decision_ref]").fill("125-QĐ/HU")
    form.locator("input[name=decided_on]").fill(f"{YEAR + 1}-01-10")
    form.locator("textarea[name=override_reason]").fill("Ban Thường vụ xét thành tích đặc biệt của chi bộ thôn 1.")
    form.get_by_role("button", name="Chốt kết quả").click()
    expect(officer_page.locator("#submission-status")).to_have_text("Đã chốt kết quả")
    screenshot(officer_page, "06-review-finalized")
    rating = UnitAssessment.objects.get(organization=nhat_tien, year=YEAR)
    assert rating.level.code == "excellent" and rating.decision_ref == "125-QĐ/HU"

    # --- the dashboard now counts Nhất Tiến at the top level -------------------------------------------------------
    officer_page.goto(f"{base}/?year={YEAR}")
    if officer_page.locator("#summary-stale").count():
        # With a real broker and no worker in the test run, the recompute waits in the queue: the page says so and
        # still shows the last computed figures. Then run what the worker's periodic reconciliation runs.
        expect(officer_page.locator("#summary-stale")).to_contain_text("đang cập nhật")
        screenshot(officer_page, "07a-dashboard-updating")
        summaries_reconcile()
        officer_page.reload()
    expect(officer_page.locator("#summary-stale")).to_have_count(0)
    assert headline(officer_page).startswith("1/2")
    expect(officer_page.locator(".headline-percent").first).to_have_text("(50,0%)")
    expect(officer_page.locator("#pending-units")).not_to_contain_text("Đảng bộ xã Nhất Tiến")
    screenshot(officer_page, "07-dashboard-after")

    # The unit page shows the decision and who made the change.
    officer_page.goto(f"{base}/units/BS-NHAT-TIEN/")
    expect(officer_page.locator("#ratings-table")).to_contain_text("125-QĐ/HU")
    expect(officer_page.locator("#history-table")).to_contain_text("Nguyễn Hữu Bình")
    screenshot(officer_page, "08-unit-page")

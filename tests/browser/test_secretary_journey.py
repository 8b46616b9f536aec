"""The commune secretary's whole journey on a phone, from login to a submitted file: the prefilled template filled
with the levels as the app displays them (any case, with or without diacritics) goes in at the first upload, and
every step leads back to the file (issue 18)."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from assessments.models import MemberAssessment, Submission, SubmissionStatus
from tests.browser.conftest import login, page_overflow, requires_chromium
from tests.cycle_factories import nhat_tien_members_year_opened

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
YEAR = 2019
PORTAL = f"/portal/BS-NHAT-TIEN/{YEAR}/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
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


def fits(page) -> None:
    overflow = page_overflow(page)
    assert overflow <= 0, f"{page.url} is {overflow}px wider than the phone"


def filled(path) -> bytes:
    """The downloaded template, untouched but for the level typed against each member's name."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row=row, column=header.index("Họ và tên") + 1).value
        sheet.cell(row=row, column=header.index("Xếp loại") + 1).value = LEVELS[name]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.browser_context_args(viewport=PHONE, is_mobile=True, has_touch=True)
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
    fits(page)

    # The review report.
    page.set_input_files(
        "#upload-form input[type=file]",
        files=[{"name": "bao-cao-kiem-diem-2019.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("#upload-form button").click()
    expect(page.locator("#documents")).to_contain_text("bao-cao-kiem-diem-2019.pdf")

    # The prefilled template: drop-down lists of the Vietnamese labels on the level column.
    with page.expect_download() as download:
        page.locator("#import-template-link").click()
    template = tmp_path / "mau.xlsx"
    download.value.save_as(template)
    assert openpyxl.load_workbook(template).worksheets[0].data_validations.dataValidation

    # The portal's link opens the import page on member ratings.
    page.locator("#import-upload-link").click()
    expect(page.locator("select[name=data_type]")).to_have_value("member_ratings")
    fits(page)
    page.set_input_files(
        "input[type=file][name=file]",
        files=[
            {
                "name": "xep-loai-2019.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": filled(template),
            }
        ],
    )
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(re.compile(r"/imports/\d+/"))
    changes = page.locator("#import-changes")
    expect(changes).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")  # the preview speaks Vietnamese
    expect(page.locator("main")).not_to_contain_text("level=")
    fits(page)
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
    fits(page)
    screenshot(page, "journey-submitted-phone")
    submission = Submission.objects.get(organization__code="BS-NHAT-TIEN", cycle__year=YEAR)
    assert submission.status == SubmissionStatus.SUBMITTED

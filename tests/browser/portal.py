"""The steps of a commune's file in the browser: the review report, the prefilled ratings template, its upload."""

import io
import re

import openpyxl
from playwright.sync_api import expect

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def review_report_upload(page) -> None:
    """On the file's page: the review report of 2019 uploaded and listed among the documents."""
    page.set_input_files(
        "#upload-form input[type=file]",
        files=[{"name": "bao-cao-kiem-diem-2019.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.locator("#upload-form button").click()
    expect(page.locator("#documents")).to_contain_text("bao-cao-kiem-diem-2019.pdf")


def template_download(page, folder):
    """On the file's page: the prefilled template of member ratings, saved in the folder."""
    with page.expect_download() as download:
        page.locator("#import-template-link").click()
    template = folder / "mau.xlsx"
    download.value.save_as(template)
    return template


def template_filled(path, levels: dict[str, str]) -> bytes:
    """The downloaded template, untouched but for the level typed against each member's name found in levels."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        name = sheet.cell(row=row, column=header.index("Họ và tên") + 1).value
        if name in levels:
            sheet.cell(row=row, column=header.index("Xếp loại") + 1).value = levels[name]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def ratings_upload(page, name: str, content: bytes) -> None:
    """On the import page: the member ratings workbook sent, and the browser on its preview (with the way back to the
    file in the query when it came from there)."""
    page.set_input_files("input[type=file][name=file]", files=[{"name": name, "mimeType": XLSX, "buffer": content}])
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.wait_for_url(re.compile(r"/imports/\d+/(\?.*)?$"))

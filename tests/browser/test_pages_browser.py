"""The main pages in a real browser: no horizontal scrolling on a phone, the chart drawn, the English switch."""

import datetime

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Member, MemberAssessment, Subject, UnitAssessment
from assessments.summaries.recompute import summaries_recompute_year
from tests.browser.conftest import BROWSER_TEST, assert_fits_phone, login, on_a_phone
from tests.factories import level

pytestmark = BROWSER_TEST

PAGES = {
    "dashboard": "/?year=2017",
    "units": "/units/?parent=BS&year=2017",
    "unit": "/units/BS-DONG-Y/",
    "members": "/members/?year=2017",
}


@pytest.fixture
def rated(tree, officer):
    """Two years of ratings under BS with members, and the summaries computed."""
    for year, dong_y, nhat_tien in ((2016, "weak", "good"), (2017, "clean_strong", "completed")):
        for unit, code in ((tree["BS-DONG-Y"], dong_y), (tree["BS-NHAT-TIEN"], nhat_tien)):
            assessment = UnitAssessment(organization=unit, year=year, level=level("hd27-2014", Subject.UNIT, code))
            services.unit_assessment_save(assessment=assessment, actor=officer)
    names = ["Hoàng Văn Đức", "Nông Thị Ánh", "Lý Văn Bình", "Vi Thị Dung", "Dương Văn Rum", "Lương Thị Ân"]
    for i, name in enumerate(names):
        cell = tree["BS-DONG-Y-01"] if i % 2 else tree["BS-NHAT-TIEN-01"]
        member = Member(card_number=f"0852{i:04d}", full_name=name, status="official", organization=cell)
        services.member_save(member=member, actor=officer, joined_on=datetime.date(2010, 1, 1))
        for year in (2016, 2017):
            MemberAssessment.objects.create(
                member=member, organization=cell, year=year, level=level("hd27-2014", Subject.MEMBER, "good")
            )
    for year in (2016, 2017):
        summaries_recompute_year(year=year)
    return tree


@on_a_phone
def test_main_pages_fit_a_phone_screen(live_server, new_context, rated, screenshot):
    page = new_context().new_page()
    login(page, live_server.url, "binh")
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        # Wide tables scroll inside their own box; the page itself never scrolls sideways.
        assert_fits_phone(page, name)
        screenshot(page, f"phone-{name}")
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Mở menu").click()
    expect(page.get_by_role("link", name="Đảng viên", exact=True)).to_be_visible()  # the collapsed menu opens


def test_dashboard_chart_is_drawn_from_the_static_script(live_server, new_context, rated, screenshot):
    page = new_context().new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server.url, "binh")
    page.goto(live_server.url + "/?year=2017")
    expect(page.locator("#headline-top")).to_contain_text("1/2")
    # Chart.js draws on the canvas (its width is set by the library); the CSP reports nothing blocked.
    page.wait_for_function("document.getElementById('trend-chart').width > 0")
    assert page.evaluate("typeof window.Chart") == "function"
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    screenshot(page, "dashboard-desktop")
    # The user's own menu (Bootstrap's script): changing the password is one click away.
    page.get_by_role("button", name="Nguyễn Hữu Bình").click()
    page.get_by_role("link", name="Đổi mật khẩu").click()
    expect(page.get_by_role("heading", name="Đổi mật khẩu")).to_be_visible()


def test_english_switch_in_the_browser(live_server, new_context, rated, screenshot):
    page = new_context().new_page()
    login(page, live_server.url, "binh")
    page.goto(live_server.url + "/?year=2017")
    expect(page.locator("#headline-top")).to_contain_text("1/2")
    expect(page.locator(".headline-percent").first).to_have_text("(50,0%)")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Overview")).to_be_visible()
    expect(page.locator(".headline-percent").first).to_have_text("(50.0%)")
    expect(page.locator("main")).to_contain_text("Clean and strong")
    screenshot(page, "dashboard-english")
    page.goto(live_server.url + "/members/?year=2017")
    expect(page.locator("main")).to_contain_text("Full name")
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")


@on_a_phone
def test_report_page_with_issued_versions_fits_a_phone_and_links_their_files(
    live_server, new_context, rated, officer, settings, tmp_path, screenshot
):
    from django.core.files.base import ContentFile

    from assessments.models import IssuedDocument

    settings.MEDIA_ROOT = tmp_path
    for version in (1, 2):
        issued = IssuedDocument(
            organization=rated["BS"], year=2017, kind="decision", version=version, number=f"4{version}",
            issued_on=datetime.date(2018, 1, 12), signer_post="Phó Bí thư", signer_name="Nguyễn Hữu Bình",
            checksum="ab" * 32, docx_checksum="cd" * 32, created_by=officer,
        )  # fmt: skip
        issued.pdf_file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        issued.docx_file.save("a.docx", ContentFile(b"PK"), save=False)
        issued.save()
    page = new_context().new_page()
    login(page, live_server.url, "binh")
    page.goto(live_server.url + "/reports/BS/2017/")
    expect(page.locator("#issued-versions a.issued-docx")).to_have_count(2)
    expect(page.locator("#current-documents a#issue-decision-docx")).to_be_visible()
    assert_fits_phone(page, "the report page")
    screenshot(page, "phone-report-issued")

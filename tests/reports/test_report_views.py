"""The results report pages and downloads: within scope only, the figures shown, files of the right type."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import demo
from assessments.summaries import recompute as summaries
from tests.factories import UnitAssessmentFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(tree):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed"))
    for code, rank in (("BS-DONG-Y-01", "good"), ("BS-NHAT-TIEN-01", "weak")):
        UnitAssessmentFactory(organization=tree[code], year=2017, level=level("hd27-2014", "unit", rank))
    return tree


def test_officer_reads_the_district_report(client, officer, rated):
    client.force_login(officer)
    response = client.get(reverse("reports:detail", args=["BS", 2017]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trong sạch, vững mạnh: 1/2 tổ chức đảng (50,0% trên tổng số)" in html
    assert "(BS-NHAT-TIEN-01)" in html  # the weak cell, listed
    assert 'id="report-chart-data"' in html and "js/report-charts.js" in html
    assert "<script>" not in html  # data by json_script, code from static files (CSP)


def test_secretary_cannot_open_another_communes_report(client, secretary_dong_y, rated):
    client.force_login(secretary_dong_y)
    for name in ("reports:detail", "reports:xlsx", "reports:pdf"):
        assert client.get(reverse(name, args=["BS-NHAT-TIEN", 2017])).status_code == 404
        assert client.get(reverse(name, args=["BS", 2017])).status_code == 404
    assert client.get(reverse("reports:detail", args=["BS-DONG-Y", 2017])).status_code == 200


def test_secretary_picks_only_organizations_in_scope(client, secretary_dong_y, rated):
    client.force_login(secretary_dong_y)
    html = client.get(reverse("reports:index")).content.decode()
    assert "Đảng bộ xã Đồng Ý" in html
    assert "Nhất Tiến" not in html and "Đảng bộ huyện Bắc Sơn" not in html


def test_picker_redirects_to_the_chosen_report(client, officer, rated):
    client.force_login(officer)
    response = client.get(reverse("reports:index"), {"org": "BS", "year": "2017"})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=["BS", 2017])
    # A malformed code is not passed on to the URL (no 500 from reversing it).
    assert client.get(reverse("reports:index"), {"org": "../x", "year": "2017"}).status_code == 200


def test_year_without_a_scheme_is_not_found(client, officer, rated):
    client.force_login(officer)
    assert client.get(reverse("reports:detail", args=["BS", 2010])).status_code == 404


def test_anonymous_visitor_is_sent_to_login(client, rated):
    response = client.get(reverse("reports:pdf", args=["BS", 2017]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_xlsx_download_is_a_workbook_named_for_the_unit_and_year(client, officer, rated):
    client.force_login(officer)
    response = client.get(reverse("reports:xlsx", args=["BS", 2017]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bao-cao-xep-loai-BS-2017.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Tổ chức đảng"]["A1"].value.startswith("KẾT QUẢ XẾP LOẠI TỔ CHỨC ĐẢNG")


def test_pdf_download_is_a_pdf(client, officer, rated):
    client.force_login(officer)
    response = client.get(reverse("reports:pdf", args=["BS", 2017]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_dashboard_nav_links_to_the_report(client, officer, rated):
    client.force_login(officer)
    html = client.get(reverse("assessments:home")).content.decode()
    assert f'href="{reverse("reports:index")}"' in html


def test_report_page_of_the_demo_district_takes_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, settings
):
    demo.demo_load()
    for year in (2016, 2017, 2018):
        summaries.summaries_recompute_year(year=year)
    from assessments.models import User

    client.force_login(User.objects.get(username="binh"))
    # 30, and the year's lists (5 queries) with the issued versions (1), issue 17.
    with django_assert_max_num_queries(36):
        response = client.get(reverse("reports:detail", args=["BS", 2018]))
    html = response.content.decode()
    assert "7/55" in html
    assert "Trong sạch, vững mạnh" in html and "Hoàn thành xuất sắc nhiệm vụ" in html  # the comparison's levels
    assert "87,0%" in html


def test_report_page_follows_the_english_switch(client, officer, rated, settings):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("reports:detail", args=["BS", 2017])).content.decode()
    assert "Clean and strong" in html  # the level's English label, from the scheme data
    assert "50.0%" in html and "50,0%" not in html  # English number format

"""Printable plan and programme report: party-document layout in HTML and PDF, escaped text, static-only fetching."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consolidation.demo import demo_load
from consolidation.documents import static_fetch
from consolidation.models import Plan, PlanStatus, Programme
from tests.consolidation_factories import PlanFactory, ProgrammeFactory, SecondedCadreFactory, TaskFactory, rate


def _pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Collapse layout whitespace: the PDF breaks lines where the page does.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


@pytest.fixture
def plan_49(tree):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    rate(tree["BS-DONG-Y"], 2017, "hd27-2014", "clean_strong")
    plan = PlanFactory(
        organization=tree["BS-DONG-Y"],
        number="49-KH/HU",
        issued_on=datetime.date(2017, 5, 4),
        programme=ProgrammeFactory(),
    )
    SecondedCadreFactory(plan=plan, full_name="Lương Văn Hùng")
    TaskFactory(plan=plan, description="Kiện toàn Ban Chấp hành Đảng bộ")
    return plan


def test_printable_plan_is_laid_out_as_a_party_document(client, officer, plan_49):
    client.force_login(officer)

    html = client.get(reverse("consolidation:plan_print", args=[plan_49.pk])).content.decode()

    assert '<div class="doc-number">Số <span class="doc-no">49-KH/HU</span></div>' in html
    for text in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "HUYỆN ỦY BẮC SƠN",
        "Bắc Sơn, ngày 04 tháng 5 năm 2017",
        "KẾ HOẠCH",
        "Củng cố, kiện toàn Đảng bộ xã Đồng Ý",
        "T/M BAN THƯỜNG VỤ",
        "Nơi nhận:",
        "Lương Văn Hùng",
        "Yếu kém (2016) → Trong sạch, vững mạnh (2017)",
    ):
        assert text in html, text
    assert "36-HD/VPTW" not in html  # template comments stay out of the document
    assert "consolidation-document.css" in html and "<script>" not in html.replace(
        '<script src="/static/js/consolidation-print.js"></script>', ""
    )


def test_plan_pdf_contains_number_date_and_unit(client, officer, plan_49):
    client.force_login(officer)

    text = _pdf_text(client.get(reverse("consolidation:plan_pdf", args=[plan_49.pk])))

    assert "Số 49-KH/HU" in text
    assert "ngày 04 tháng 5 năm 2017" in text
    assert "Đảng bộ xã Đồng Ý" in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "HUYỆN ỦY BẮC SƠN" in text


def test_secretary_downloads_own_plan_pdf(client, secretary_dong_y, plan_49):
    client.force_login(secretary_dong_y)

    assert "Số 49-KH/HU" in _pdf_text(client.get(reverse("consolidation:plan_pdf", args=[plan_49.pk])))


def test_user_text_is_escaped_in_print_and_pdf(client, officer, plan_49):
    Plan.objects.filter(pk=plan_49.pk).update(goals='<img src="https://evil.example/x.png"><b>đậm</b>')
    client.force_login(officer)

    html = client.get(reverse("consolidation:plan_print", args=[plan_49.pk])).content.decode()
    text = _pdf_text(client.get(reverse("consolidation:plan_pdf", args=[plan_49.pk])))

    assert "<img src=" not in html and "&lt;img src=" in html
    # Shown as the characters the user typed, never interpreted as markup.
    assert '<img src="https://evil.example/x.png"><b>đậm</b>' in text


def test_programme_report_lists_results_in_html_and_pdf(client, tree, officer):
    demo_load(actor=officer)
    programme = Programme.objects.get()
    client.force_login(officer)

    html = client.get(reverse("consolidation:programme_print", args=[programme.pk])).content.decode()
    text = _pdf_text(client.get(reverse("consolidation:programme_pdf", args=[programme.pk])))

    assert "BÁO CÁO" in html and "ĐẢNG CỘNG SẢN VIỆT NAM" in html
    assert "Kế hoạch số 32-KH/HU, ngày 11 tháng 11 năm 2016" in html
    for source in (html, text):
        assert "Đảng bộ xã Đồng Ý" in source and "Đảng bộ xã Nhất Tiến" in source
        assert "49-KH/HU" in source and "82-KH/HU" in source
    assert "Có 2/2 đơn vị được xếp loại cao hơn" in text


def test_demo_plans_print_with_their_indicators(client, tree, officer):
    demo_load(actor=officer)
    plan = Plan.objects.get(number="82-KH/HU")
    client.force_login(officer)

    text = _pdf_text(client.get(reverse("consolidation:plan_pdf", args=[plan.pk])))

    assert "ngày 14 tháng 5 năm 2018" in text and "Đảng bộ xã Nhất Tiến" in text
    assert "Tỷ lệ hộ nghèo" in text and "21,5" in text
    assert plan.status == PlanStatus.COMPLETED


def test_document_fetcher_serves_only_static_files():
    css = static_fetch("https://document.invalid/static/css/consolidation-document.css")

    assert b"@page" in css["string"]
    for url in (
        "file:///etc/passwd",
        "https://evil.example/static/css/consolidation-document.css",
        "https://document.invalid/static/../../bacson/settings.py",
        "https://document.invalid/media-not-served/x.pdf",
    ):
        with pytest.raises(ValueError):
            static_fetch(url)

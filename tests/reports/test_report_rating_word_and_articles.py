"""The rating word ("phân loại" in the Hướng dẫn 27 years, "xếp loại" after) comes from the guidance period rows, set
by a reversible data migration; the decision's articles are written once, for the HTML/PDF and the Word file."""

import importlib
import io
import re

from django.apps import apps
from django.utils import translation
from docx import Document

from assessments.models import GuidancePeriod, Membership, RatingWord
from assessments.reports import build as reports
from assessments.reports import decision as report_decision
from assessments.reports import renderers as report_renderers
from assessments.reports import wordfiles
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level

MIGRATION = importlib.import_module("assessments.migrations.0016_issued_files_and_rating_word")


def _rated_2017(tree):
    UnitAssessmentFactory(
        organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"), exemplary=True
    )
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed"))
    cell = tree["BS-DONG-Y-01"]
    member = MemberFactory(organization=cell)
    Membership.objects.create(member=member, organization=cell, start="2010-01-01")
    MemberAssessmentFactory(member=member, organization=cell, year=2017, level=level("hd27-2014", "member", "good"))


def test_the_guidance_period_rows_say_which_word_each_period_uses(db):
    words = dict(GuidancePeriod.objects.values_list("code", "rating_word"))
    assert words["hd27-2014"] == RatingWord.CLASSIFICATION
    assert {code for code, word in words.items() if word == RatingWord.RANKING} == set(words) - {"hd27-2014"}


def test_the_report_follows_the_period_row_not_the_year(tree):
    _rated_2017(tree)
    # Were the 2014–2017 period entered as saying "xếp loại", the 2017 report would say so: the word is data.
    GuidancePeriod.objects.filter(code="hd27-2014").update(rating_word=RatingWord.RANKING)
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        html = report_renderers.report_html(report)
    assert report.rating_word == "xếp loại"
    assert "được đánh giá, xếp loại: 1" in html and "phân loại" not in html


def test_the_rating_word_costs_no_query_of_its_own(tree, django_assert_num_queries):
    _rated_2017(tree)
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
    assert report.rating_word == "phân loại"
    with django_assert_num_queries(0):
        assert report.rating_word == "phân loại"


def test_the_data_migration_sets_and_unsets_the_hd27_word(db):
    MIGRATION.classification_unset(apps, None)
    assert not GuidancePeriod.objects.filter(rating_word=RatingWord.CLASSIFICATION).exists()
    MIGRATION.classification_set(apps, None)
    assert GuidancePeriod.objects.get(code="hd27-2014").rating_word == RatingWord.CLASSIFICATION


def _html_articles(html: str) -> list[str]:
    found = re.findall(r'<p id="article-\d">(.*?)</p>', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in found]


def test_the_decisions_articles_are_the_same_in_the_html_and_the_word_file(tree):
    _rated_2017(tree)
    with translation.override("vi"):
        report = reports.report_build(organization=tree["BS"], year=2017)
        html = report_decision.decision_html(report, number="42")
        word = Document(io.BytesIO(wordfiles.decision_docx(report, number="42")))
    in_word = [p.text for p in word.paragraphs if p.text.startswith("Điều ")]
    assert _html_articles(html) == in_word
    assert len(in_word) == 3
    assert in_word[0] == (
        "Điều 1. Công nhận kết quả đánh giá, phân loại chất lượng năm 2017 của 2/2 tổ chức đảng trực thuộc (có danh "
        "sách kèm theo), trong đó: Trong sạch, vững mạnh: 1 (tiêu biểu 1); Hoàn thành tốt nhiệm vụ: 0; "
        "Hoàn thành nhiệm vụ: 1; Yếu kém: 0."
    )
    assert "Ban Tổ chức Huyện ủy Bắc Sơn" in in_word[2]

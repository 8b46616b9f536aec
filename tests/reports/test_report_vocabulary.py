"""The report speaks one vocabulary: level names in the active language everywhere, the lowest level and the cap's
share from the level rows."""

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import RatingLevel
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_2017(tree):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "weak"))
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "good"))
    for code in ("excellent", "good", "good", "completed"):
        member = MemberFactory(organization=tree["BS-DONG-Y-01"])
        MemberAssessmentFactory(
            member=member, organization=tree["BS-DONG-Y-01"], year=2017, level=level("hd27-2014", "member", code)
        )
    return tree


def test_an_english_report_names_its_weak_units_level_in_english_like_its_tables(rated_2017):
    with translation.override("en"):
        report = reports.report_build(organization=rated_2017["BS"], year=2017)
        workbook = load_workbook(io.BytesIO(report_renderers.report_xlsx(report)))
        html = report_renderers.report_html(report)
    assert [unit.name for unit in report.weak_units] == [rated_2017["BS-DONG-Y"].name]
    assert report.weak_units[0].level_label == "Weak" == report.weak_level.label
    listed = [row for row in workbook.worksheets[-1].iter_rows(values_only=True) if row[1] == "BS-DONG-Y"]
    assert listed[0][5] == "Weak"
    assert "Yếu kém" not in html


def test_the_weak_list_follows_the_lowest_flag_of_the_level_rows(rated_2017):
    # Were "good" marked lowest (a regulation entered that way), the list would follow the row, not the rank.
    RatingLevel.objects.filter(scheme__code="hd27-2014", subject="unit").update(is_lowest=False)
    RatingLevel.objects.filter(scheme__code="hd27-2014", subject="unit", code="good").update(is_lowest=True)
    report = reports.report_build(organization=rated_2017["BS"], year=2017)
    assert [unit.code for unit in report.weak_units] == ["BS-NHAT-TIEN"]


def test_members_excellent_of_good_is_counted_like_the_cap(rated_2017):
    report = reports.report_build(organization=rated_2017["BS"], year=2017)
    assert report.members_total.excellent_of_good == reports.Share(1, 2)

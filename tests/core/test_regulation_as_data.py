"""Regulation facts are data: a new scheme with its own level codes, and a guidance period with a member cap and
weak-unit shares, need no code."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from assessments.common.vocabulary import levels_of
from assessments.cycle import rules
from assessments.cycle import services as cycle_services
from assessments.models import GuidancePeriod, PeriodRule, RatingLevel, RatingScheme, Subject, UnitAssessment
from tests.cycle_factories import docx_bytes, members_rated, upload, year_opened
from tests.factories import level

pytestmark = pytest.mark.django_db

YEAR = 2041
LEVELS = [
    # (code, Vietnamese, English, top, good or better, lowest)
    ("xuat_sac", "Xuất sắc", "Outstanding", True, True, False),
    ("tot", "Tốt", "Good", False, True, False),
    ("dat", "Đạt", "Passed", False, False, False),
    ("chua_dat", "Chưa đạt", "Not passed", False, False, True),
]


@pytest.fixture
def scheme_2040():
    """A regulation from 2040, entered as rows only: a 25% cap from 2041 (a second guidance period), and 1/4
    (committees), 1/3 (cells) in both periods."""
    RatingScheme.objects.filter(code="qd366-2025").update(last_year=2039)
    GuidancePeriod.objects.filter(code="hd43-2025").update(last_year=2039)
    scheme = RatingScheme.objects.create(code="qd500-2040", name="Quy định 500-QĐ/TW (thử nghiệm)", first_year=2040)
    first = GuidancePeriod.objects.create(code="hd50-2040", name="Hướng dẫn 50 (thử nghiệm)", first_year=2040,
                                          last_year=2040)  # fmt: skip
    second = GuidancePeriod.objects.create(code="hd51-2041", name="Hướng dẫn 51 (thử nghiệm)", first_year=YEAR)
    for period in (first, second):
        PeriodRule.objects.create(period=period, rule="hd27_weak_committee", source="HD 50", parameters={"share": 4})
        PeriodRule.objects.create(period=period, rule="hd27_weak_cell", source="HD 50", parameters={"share": 3})
    PeriodRule.objects.create(period=second, rule="member_cap_20", source="HD 51", parameters={"percent": 25})
    PeriodRule.objects.create(period=first, rule="member_cap_20", source="HD 50", parameters={"percent": 25},
                              enabled=False)  # fmt: skip
    for subject in (Subject.UNIT, Subject.MEMBER):
        for rank, (code, vi, en, top, good, lowest) in enumerate(LEVELS, start=1):
            RatingLevel.objects.create(
                scheme=scheme,
                subject=subject,
                code=code,
                rank=rank,
                label_vi=vi,
                label_en=en,
                is_top=top,
                is_good_or_better=good,
                is_lowest=lowest,
            )
    return scheme


def test_the_guidance_periods_carry_the_facts_the_schemes_carried_before():
    """The member cap (20%, from 2019) and the HD 27 shares (1/3, 1/2), once fields of the schemes (migration 0008),
    are rules of the periods now (migrations 0011 and 0012), with the same numbers in the same years."""
    on = {
        (row.period.code, row.rule): row.parameters
        for row in PeriodRule.objects.filter(
            enabled=True, rule__in=["member_cap_20", "hd27_weak_committee", "hd27_weak_cell"]
        ).select_related("period")
    }
    assert on == {
        ("hd27-2014", "hd27_weak_committee"): {"share": 3},
        ("hd27-2014", "hd27_weak_cell"): {"share": 2},
        ("hd21-2019", "member_cap_20"): {"percent": 20},
        ("hd25-2023", "member_cap_20"): {"percent": 20},
    }
    # HD 43's cap keeps its numbers but is off (migration 0015): DOMAIN.md does not confirm it for that period.
    hd43 = PeriodRule.objects.get(period__code="hd43-2025", rule="member_cap_20")
    assert (hd43.enabled, hd43.parameters) == (False, {"percent": 20}) and hd43.note.startswith("Chưa xác nhận")
    assert [(p.code, p.first_year, p.last_year) for p in GuidancePeriod.objects.order_by("first_year")] == [
        ("hd27-2014", 2014, 2017),
        ("hd16-2018", 2018, 2018),
        ("hd21-2019", 2019, 2022),
        ("hd25-2023", 2023, 2024),
        ("hd43-2025", 2025, None),
    ]
    lowest = RatingLevel.objects.filter(is_lowest=True).values_list("scheme__code", "subject", "code")
    assert set(lowest) == {
        ("hd27-2014", "unit", "weak"),
        ("hd27-2014", "member", "not_completed"),
        *((code, subject, "not_completed") for code in ("qd132-2018", "qd124-2023", "qd366-2025")
          for subject in ("unit", "member")),
    }  # fmt: skip


def test_the_vocabulary_reads_top_lowest_and_good_or_better_from_the_rows(scheme_2040):
    levels = levels_of(scheme_2040)
    assert [lv.code for lv in levels.top(Subject.UNIT)] == ["xuat_sac"]
    assert [lv.code for lv in levels.good_or_better(Subject.MEMBER)] == ["xuat_sac", "tot"]
    assert [lv.code for lv in levels.lowest(Subject.UNIT)] == ["chua_dat"]
    assert [lv.code for lv in levels.cap_base(Subject.MEMBER)] == ["tot"]


def test_a_new_schemes_cap_binds_from_its_stated_year_with_its_own_percentage(scheme_2040, tree):
    assert not rules.cap_applies(scheme_2040, 2040)
    assert rules.cap_applies(scheme_2040, YEAR)
    members_rated(tree["BS-DONG-Y-01"], YEAR, "qd500-2040", ["xuat_sac", "tot", "tot", "tot"])
    members_rated(tree["BS-NHAT-TIEN-01"], YEAR, "qd500-2040", ["xuat_sac", "xuat_sac", "tot", "tot"])
    results = rules.excellent_cap_checks(
        organizations=[tree["BS-DONG-Y"], tree["BS-NHAT-TIEN"]], year=YEAR, scheme=scheme_2040
    )
    dong_y, nhat_tien = results[tree["BS-DONG-Y"].pk], results[tree["BS-NHAT-TIEN"].pk]
    # 1 of 3 is 33.3%: over 25%, though it would pass a 20%-of-good rule written for codes "excellent"/"good".
    assert dong_y.failed and dong_y.numbers == {"excellent": 1, "good": 3, "allowed": 0, "percent": "33,3%"}
    assert "vượt mức tối đa 25%" in dong_y.message and "xuất sắc" in dong_y.message
    assert nhat_tien.failed and nhat_tien.numbers["excellent"] == 2
    assert rules.excellent_cap_checks(organizations=[tree["BS-DONG-Y"]], year=2040, scheme=scheme_2040) == {}


def test_a_new_schemes_committee_share_refuses_a_level_above_the_lowest(scheme_2040, officer, tree):
    submission = year_opened(officer=officer, tree=tree, year=YEAR)["BS-DONG-Y"]
    assert submission.cycle.scheme == scheme_2040
    # One of two cells at the lowest level: more than 1/4.
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y-01"], year=YEAR, level=level("qd500-2040", "unit", "chua_dat")
    )
    UnitAssessment.objects.create(
        organization=tree["BS-DONG-Y-02"], year=YEAR, level=level("qd500-2040", "unit", "tot")
    )
    tot, chua_dat = level("qd500-2040", "unit", "tot"), level("qd500-2040", "unit", "chua_dat")
    check = next(
        c for c in rules.submission_checks(submission=submission, level=tot) if c.code == "hd27_weak_committee"
    )
    assert check.failed
    assert check.numbers == {"weak": 1, "total": 2, "percent": "50,0%", "level": "Tốt"}
    assert "quá 1/4: không được xếp “Tốt”, chỉ được xếp Chưa đạt" in check.message
    passed = next(
        c for c in rules.submission_checks(submission=submission, level=chua_dat) if c.code == "hd27_weak_committee"
    )
    assert passed.passed


def test_a_new_schemes_cell_share_applies_to_the_cells_a_committee_rates(scheme_2040, officer, tree):
    submission = year_opened(officer=officer, tree=tree, year=YEAR)["BS-NHAT-TIEN"]
    # 2 of 5 at the lowest level is more than 1/3; 1 of 3 is not.
    members_rated(tree["BS-NHAT-TIEN-01"], YEAR, "qd500-2040", ["chua_dat", "chua_dat", "tot", "tot", "dat"])
    members_rated(tree["BS-NHAT-TIEN-02"], YEAR, "qd500-2040", ["chua_dat", "tot", "tot"])
    for code in ("BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02"):
        UnitAssessment.objects.create(organization=tree[code], year=YEAR, level=level("qd500-2040", "unit", "dat"))
    cells = {
        c.organization.code: c
        for c in rules.submission_checks(submission=submission, level=None)
        if c.code == "hd27_weak_cell"
    }
    assert cells["BS-NHAT-TIEN-01"].failed
    assert "2/5 đảng viên chưa đạt (40,0%), quá 1/3" in cells["BS-NHAT-TIEN-01"].message
    assert cells["BS-NHAT-TIEN-02"].passed


def test_finalizing_under_a_new_scheme_applies_its_rules(scheme_2040, officer, tree, secretary_dong_y):
    submission = year_opened(officer=officer, tree=tree, year=YEAR)["BS-DONG-Y"]
    members_rated(tree["BS-DONG-Y-01"], YEAR, "qd500-2040", ["tot", "dat"])
    members_rated(tree["BS-DONG-Y-02"], YEAR, "qd500-2040", ["tot", "tot"])
    cycle_services.document_upload(submission=submission, file=upload("bc.docx", docx_bytes()), actor=secretary_dong_y)
    tot, chua_dat = level("qd500-2040", "unit", "tot"), level("qd500-2040", "unit", "chua_dat")
    cycle_services.unit_self_level_propose(submission=submission, level=tot, actor=secretary_dong_y)
    for code, cell_level in (("BS-DONG-Y-01", chua_dat), ("BS-DONG-Y-02", tot)):
        cycle_services.cell_level_decide(
            submission=submission, cell=tree[code], level=cell_level, actor=secretary_dong_y
        )
    cycle_services.submission_submit(submission=submission, actor=secretary_dong_y)
    with pytest.raises(ValidationError) as error:
        cycle_services.rating_finalize(
            submission=submission, level=tot, decision_ref="1-QĐ/HU", decided_on=datetime.date(YEAR + 1, 1, 5),
            actor=officer,
        )  # fmt: skip
    assert "1/2 đơn vị trực thuộc chưa đạt (50,0%), quá 1/4" in " ".join(error.value.messages)
    cycle_services.rating_finalize(
        submission=submission, level=chua_dat, decision_ref="1-QĐ/HU", decided_on=datetime.date(YEAR + 1, 1, 5),
        actor=officer,
    )  # fmt: skip
    assert UnitAssessment.objects.get(organization=tree["BS-DONG-Y"], year=YEAR).level == chua_dat

"""The rules of a period bind in its years only, a district can switch one off, and each unit rule is tested on both
sides of its threshold with the numbers in its message."""

import datetime

import pytest

from assessments.common.vocabulary import levels_of
from assessments.models import Kind, PeriodRule, RatingScheme, Sector
from assessments.regulation.periods import rules_in_force
from assessments.regulation.units import unit_cap_checks
from tests.factories import OrganizationFactory
from tests.regulation.helpers import checks, disciplined, member_rated, unit_rated

pytestmark = pytest.mark.django_db


def test_each_year_has_the_rules_of_its_guidance_period():
    assert set(rules_in_force(2017)) == {"hd27_weak_committee", "hd27_weak_cell", "admitted_recently",
                                         "founded_recently"}  # fmt: skip
    assert "member_cap_20" not in rules_in_force(2018)
    in_2019 = rules_in_force(2019)
    assert in_2019["unit_excellent_thresholds"].parameters["good_percent"] == 80
    assert in_2019["unit_excellent_thresholds"].source.startswith("Hướng dẫn 21-HD/BTCTW")
    assert in_2019["sick_leave"]["months"] == 3
    assert "unit_excellent_thresholds" not in rules_in_force(2023)
    assert rules_in_force(2023)["collective_disciplined"]["subordinate_percent"] == 20
    assert rules_in_force(2030)["collective_disciplined"]["best_level"] == "below_top"


def _cell_members(cell, year, scheme, codes):
    for code in codes:
        member_rated(cell, year, scheme, code)


def test_excellent_cell_needs_80_percent_good_or_better_and_all_completed(tree):
    cell = tree["BS-DONG-Y-01"]
    _cell_members(cell, 2019, "qd132-2018", ["excellent", "good", "good", "good", "completed"])
    (result,) = checks(cell, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")
    assert result.passed
    assert result.numbers["good"] == 4 and result.numbers["good_percent"] == "80,0%"
    other = tree["BS-DONG-Y-02"]
    _cell_members(other, 2019, "qd132-2018", ["excellent", "good", "good", "completed", "completed"])
    (result,) = checks(other, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")
    assert result.failed
    assert "3/5 đảng viên hoàn thành tốt trở lên (60,0%, cần 80%)" in result.message
    assert result.source.startswith("Hướng dẫn 21-HD/BTCTW")


def test_excellent_cell_fails_with_one_member_not_completed(tree):
    cell = tree["BS-DONG-Y-01"]
    _cell_members(cell, 2019, "qd132-2018", ["excellent"] + ["good"] * 8 + ["not_completed"])
    (result,) = checks(cell, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")
    assert result.failed
    assert "9/10 đảng viên hoàn thành nhiệm vụ trở lên (90,0%, cần 100%)" in result.message


def test_good_cell_needs_half_good_or_better(tree):
    cell, other = tree["BS-DONG-Y-01"], tree["BS-DONG-Y-02"]
    _cell_members(cell, 2019, "qd132-2018", ["good", "good", "completed", "completed"])
    _cell_members(other, 2019, "qd132-2018", ["good", "completed", "completed"])
    assert checks(cell, 2019, "qd132-2018", "good", "unit_good_thresholds")[0].passed
    (result,) = checks(other, 2019, "qd132-2018", "good", "unit_good_thresholds")
    assert result.failed and "1/3 đảng viên hoàn thành tốt trở lên (33,3%, cần 50%)" in result.message
    # The excellent rule says nothing of a unit judged good, and neither says anything of a unit judged completed.
    assert checks(cell, 2019, "qd132-2018", "good", "unit_excellent_thresholds") == []
    assert checks(other, 2019, "qd132-2018", "completed", "unit_good_thresholds") == []


def test_excellent_commune_counts_its_cells_and_needs_its_mass_organizations_good(tree):
    commune = tree["BS-DONG-Y"]
    for code in ("BS-DONG-Y-01", "BS-DONG-Y-02"):
        unit_rated(tree[code], 2019, "qd132-2018", "good")
    own = unit_rated(commune, 2019, "qd132-2018", "excellent")
    (result,) = checks(commune, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")
    assert result.failed and "2/2 đơn vị trực thuộc hoàn thành tốt trở lên" in result.message
    assert "Chưa ghi chính quyền, MTTQ" in result.message
    own.mass_organizations_good = False
    own.save()
    assert checks(commune, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")[0].failed
    own.mass_organizations_good = True
    own.save()
    assert checks(commune, 2019, "qd132-2018", "excellent", "unit_excellent_thresholds")[0].passed


def test_2017_ignores_the_hd21_thresholds_and_a_switched_off_rule_is_not_applied(tree):
    cell = tree["BS-DONG-Y-01"]
    _cell_members(cell, 2017, "hd27-2014", ["good", "completed", "completed"])
    assert checks(cell, 2017, "hd27-2014", "clean_strong", "unit_excellent_thresholds") == []
    _cell_members(cell, 2019, "qd132-2018", ["good", "completed", "completed"])
    assert checks(cell, 2019, "qd132-2018", "good", "unit_good_thresholds")[0].failed
    PeriodRule.objects.filter(period__code="hd21-2019", rule="unit_good_thresholds").update(enabled=False)
    assert checks(cell, 2019, "qd132-2018", "good", "unit_good_thresholds") == []


def test_collective_disciplined_hd21_counts_members_warned_or_above(tree, members):
    cell = tree["BS-DONG-Y-01"]
    rated = member_rated(cell, 2019, "qd132-2018", "completed")
    disciplined(rated.member, "reprimand", datetime.date(2019, 5, 1))
    assert checks(cell, 2019, "qd132-2018", "good", "collective_disciplined") == []
    disciplined(rated.member, "warning", datetime.date(2019, 9, 1))
    (result,) = checks(cell, 2019, "qd132-2018", "good", "collective_disciplined")
    assert result.failed
    assert "1 quyết định kỷ luật đảng viên của đơn vị từ mức cảnh cáo trở lên" in result.message
    assert checks(cell, 2019, "qd132-2018", "not_completed", "collective_disciplined") == []
    # A warning decided the year before does not count in 2019... and counts in its own year.
    assert checks(cell, 2020, "qd132-2018", "good", "collective_disciplined") == []


def test_collective_disciplined_qd124_more_than_a_fifth_of_subordinate_units(tree):
    commune = tree["BS-DONG-Y"]
    # 1 of 2 cells disciplined: 50%, more than 20%.
    disciplined(tree["BS-DONG-Y-01"], "reprimand", datetime.date(2023, 3, 1))
    (result,) = checks(commune, 2023, "qd124-2023", "good", "collective_disciplined")
    assert result.failed and "1/2 đơn vị trực thuộc bị kỷ luật (50,0%, quá 20%)" in result.message
    for i in range(3, 6):
        OrganizationFactory(code=f"BS-DONG-Y-0{i}", name=f"Chi bộ {i}", kind=Kind.CELL, sector=Sector.COMMUNE,
                            parent=commune)  # fmt: skip
    # 1 of 5: exactly 20%, not more.
    assert checks(commune, 2023, "qd124-2023", "good", "collective_disciplined") == []
    disciplined(commune, "warning", datetime.date(2023, 6, 1))
    (result,) = checks(commune, 2023, "qd124-2023", "good", "collective_disciplined")
    assert result.failed and "Đơn vị bị kỷ luật 1 lần trong năm" in result.message


def test_collective_disciplined_qd366_bars_only_the_top_level(tree):
    commune = tree["BS-DONG-Y"]
    disciplined(tree["BS-DONG-Y-02"], "reprimand", datetime.date(2025, 3, 1))
    (result,) = checks(commune, 2025, "qd366-2025", "excellent", "collective_disciplined")
    assert result.failed and "“Hoàn thành tốt nhiệm vụ” trở xuống" in result.message
    assert checks(commune, 2025, "qd366-2025", "good", "collective_disciplined") == []


def test_founded_recently_on_both_sides_of_six_months(tree):
    cell = tree["BS-DONG-Y-01"]
    cell.valid_from = datetime.date(2019, 6, 30)
    cell.save()
    assert checks(cell, 2019, "qd132-2018", "good", "founded_recently") == []
    cell.valid_from = datetime.date(2019, 7, 1)
    cell.save()
    (result,) = checks(cell, 2019, "qd132-2018", "good", "founded_recently")
    assert result.failed and "Thành lập ngày 01/07/2019, chưa đủ 6 tháng" in result.message
    assert checks(cell, 2019, "qd132-2018", None, "founded_recently")[0].passed


def test_a_unit_formed_by_a_merger_is_not_newly_founded(tree):
    """The communes and cells of 1 July 2025 took over their predecessors' work: rated for the year, not refused as
    founded less than six months before 31 December."""
    cell = tree["BS-DONG-Y-01"]
    cell.valid_from = datetime.date(2019, 7, 1)
    cell.save()
    assert checks(cell, 2019, "qd132-2018", "good", "founded_recently")[0].failed
    OrganizationFactory(
        code="BS-DONG-Y-CU", kind=Kind.CELL, parent=tree["BS-DONG-Y"], valid_to=datetime.date(2019, 6, 30)
    ).successors.add(cell)
    assert checks(cell, 2019, "qd132-2018", "good", "founded_recently") == []


def test_unit_cap_counts_a_fifth_of_each_sector_under_the_same_committee(tree):
    district = tree["BS"]
    for i in range(3, 6):
        OrganizationFactory(code=f"BS-XA-{i}", name=f"Đảng bộ xã {i}", kind=Kind.GRASSROOTS_COMMITTEE,
                            sector=Sector.COMMUNE, parent=district)  # fmt: skip
    school = OrganizationFactory(code="BS-TRUONG", name="Chi bộ Trường THPT", kind=Kind.GRASSROOTS_CELL,
                                 sector=Sector.PUBLIC_SERVICE, parent=district)  # fmt: skip
    unit_rated(tree["BS-DONG-Y"], 2019, "qd132-2018", "excellent")
    unit_rated(school, 2019, "qd132-2018", "excellent")
    rule = rules_in_force(2019)["unit_cap_20"]
    levels = levels_of(RatingScheme.objects.get(code="qd132-2018"))
    results = unit_cap_checks(rule=rule, committee=district, year=2019, levels=levels)
    # 1 of 5 communes: 20%, allowed; the school alone in its sector: 1 of 1, over 20%.
    assert results["commune"].passed and results["commune"].numbers["allowed"] == 1
    assert results["public_service"].failed
    assert (
        "Nhóm Đơn vị sự nghiệp: 1/1 đơn vị “Hoàn thành xuất sắc nhiệm vụ” (100,0%)" in results["public_service"].message
    )
    unit_rated(tree["BS-NHAT-TIEN"], 2019, "qd132-2018", "excellent")
    assert unit_cap_checks(rule=rule, committee=district, year=2019, levels=levels)["commune"].failed
    assert "unit_cap_20" not in rules_in_force(2025)

"""check_ratings: text and JSON output of what fails or was overridden, exit codes 0/1/2; an override with a reason
unblocks a decision, is kept with who and when, and is listed."""

import datetime
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.cycle import services as cycle_services
from assessments.models import Kind, Organization, RuleOverride, Sector
from assessments.regulation.overrides import overrides_record
from assessments.regulation.run import subtree_checks
from tests.cycle_factories import year_opened
from tests.factories import OrganizationFactory, level
from tests.regulation.helpers import member_rated, unit_rated

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    try:
        call_command("check_ratings", *args, stdout=out)
    except SystemExit as stop:
        return stop.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def violations_2019(tree):
    """2019 in Đồng Ý: a cell rated excellent with only 3 of 5 members good or better, a member on long sick leave."""
    cell = tree["BS-DONG-Y-01"]
    for code in ("excellent", "good", "good", "completed", "completed"):
        member_rated(cell, 2019, "qd132-2018", code)
    member_rated(tree["BS-DONG-Y-02"], 2019, "qd132-2018", "good", sick_leave_months=4)
    unit_rated(cell, 2019, "qd132-2018", "excellent")
    return cell


def test_check_ratings_lists_each_failure_on_a_line_and_exits_1(violations_2019):
    code, out = _run("BS", "2019")
    assert code == 1
    lines = out.strip().splitlines()
    assert any(line.startswith("BS-DONG-Y-01 2019 unit_excellent_thresholds: ") and "3/5" in line for line in lines)
    assert any(line.startswith("BS-DONG-Y-02 2019 sick_leave: ") for line in lines)
    # The member cap: 1 excellent over 4 good counts 25% in Đồng Ý, more than 20%.
    assert any(line.startswith("BS-DONG-Y 2019 member_cap_20: ") for line in lines)


def test_check_ratings_json_has_the_fields_of_each_result(violations_2019):
    code, out = _run("BS-DONG-Y", "2019", "--format", "json")
    assert code == 1
    rows = json.loads(out)
    row = next(r for r in rows if r["rule"] == "unit_excellent_thresholds")
    assert set(row) == {"organization", "year", "rule", "source", "overridden", "reason", "numbers", "message"}
    assert row["organization"] == "BS-DONG-Y-01" and row["year"] == 2019 and row["overridden"] is False
    assert row["numbers"]["good"] == 3 and row["source"].startswith("Hướng dẫn 21-HD/BTCTW")


def test_an_overridden_check_is_listed_with_its_reason_and_does_not_fail(violations_2019, officer):
    # The cell rated excellent is also 1 of the 2 cells Đồng Ý decides: 50%, over the unit cap of 20%.
    for rule in ("unit_excellent_thresholds", "sick_leave", "member_cap_20", "unit_cap_20"):
        org = {"sick_leave": "BS-DONG-Y-02", "member_cap_20": "BS-DONG-Y", "unit_cap_20": "BS-DONG-Y"}.get(
            rule, "BS-DONG-Y-01"
        )
        RuleOverride.objects.create(organization=Organization.objects.get(code=org), year=2019, rule=rule,
                                    reason="Thành tích đột xuất", decided_by=officer)  # fmt: skip
    code, out = _run("BS", "2019", "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert rows and all(r["overridden"] and r["reason"] == "Thành tích đột xuất" for r in rows)
    code, out = _run("BS", "2019")
    assert code == 0 and "[Đã quyết định vượt kiểm tra: Thành tích đột xuất]" in out


def test_nothing_to_report_exits_0_and_2017_ignores_the_hd21_rules(tree):
    cell = tree["BS-DONG-Y-01"]
    for code in ("good", "completed", "completed"):
        member_rated(cell, 2017, "hd27-2014", code)
    unit_rated(cell, 2017, "hd27-2014", "clean_strong")
    assert _run("BS", "2017") == (0, "")
    assert _run("BS", "2017", "--format", "json") == (0, "[]\n")


def test_usage_errors_exit_2(tree):
    with pytest.raises(CommandError) as error:
        call_command("check_ratings", "KHONG-CO", "2019")
    assert error.value.returncode == 2 and "KHONG-CO" in str(error.value)
    with pytest.raises(CommandError) as error:
        call_command("check_ratings", "BS", "năm")
    assert error.value.returncode == 2


def test_a_bad_format_on_the_command_line_exits_2():
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check_ratings", "BS", "2019", "--format", "xml"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "xml" in done.stderr


def test_a_committee_deciding_a_failing_cell_needs_a_reason_kept_as_an_override(officer, tree, secretary_dong_y):
    submission = year_opened(officer=officer, tree=tree, year=2019)["BS-DONG-Y"]
    cell = tree["BS-DONG-Y-01"]
    for code in ("good", "completed", "completed"):
        member_rated(cell, 2019, "qd132-2018", code)
    good = level("qd132-2018", "unit", "good")
    with pytest.raises(ValidationError) as error:
        cycle_services.cell_level_decide(submission=submission, cell=cell, level=good, actor=secretary_dong_y)
    text = " ".join(error.value.messages)
    assert "1/3 đảng viên hoàn thành tốt trở lên (33,3%, cần 50%)" in text and "Muốn vẫn quyết định" in text
    cycle_services.cell_level_decide(
        submission=submission, cell=cell, level=good, actor=secretary_dong_y, override_reason="Chi bộ mới sáp nhập"
    )
    override = RuleOverride.objects.get(organization=cell, year=2019, rule="unit_good_thresholds")
    assert override.reason == "Chi bộ mới sáp nhập" and override.decided_by == secretary_dong_y
    assert override.decided_at.date() == datetime.date.today() or override.decided_at is not None
    code, out = _run("BS-DONG-Y", "2019")
    assert "BS-DONG-Y-01 2019 unit_good_thresholds: " in out and "Chi bộ mới sáp nhập" in out


def test_finalizing_over_a_failed_check_records_the_override_and_the_report_lists_it(
    officer, tree, secretary_dong_y, client
):
    from django.urls import reverse

    from tests.cycle_factories import docx_bytes, upload

    submission = year_opened(officer=officer, tree=tree, year=2019)["BS-DONG-Y"]
    for cell_code in ("BS-DONG-Y-01", "BS-DONG-Y-02"):
        for code in ("good", "completed", "completed"):
            member_rated(tree[cell_code], 2019, "qd132-2018", code)
    cycle_services.document_upload(submission=submission, file=upload("bc.docx", docx_bytes()), actor=secretary_dong_y)
    completed = level("qd132-2018", "unit", "completed")
    cycle_services.unit_self_level_propose(submission=submission, level=completed, actor=secretary_dong_y)
    for cell_code in ("BS-DONG-Y-01", "BS-DONG-Y-02"):
        cycle_services.cell_level_decide(submission=submission, cell=tree[cell_code], level=completed,
                                         actor=secretary_dong_y)  # fmt: skip
    cycle_services.submission_submit(submission=submission, actor=secretary_dong_y)
    good = level("qd132-2018", "unit", "good")
    # Both cells only "completed": 0 of 2 subordinate units good or better, under the 50% "good" needs.
    with pytest.raises(ValidationError) as error:
        cycle_services.rating_finalize(submission=submission, level=good, decision_ref="5-QĐ/HU",
                                       decided_on=datetime.date(2020, 1, 5), actor=officer)  # fmt: skip
    assert "0/2 đơn vị trực thuộc hoàn thành tốt trở lên (0,0%, cần 50%)" in " ".join(error.value.messages)
    cycle_services.rating_finalize(submission=submission, level=good, decision_ref="5-QĐ/HU",
                                   decided_on=datetime.date(2020, 1, 5), actor=officer,
                                   override_reason="Hoàn thành xuất sắc nhiệm vụ chính trị đột xuất")  # fmt: skip
    override = RuleOverride.objects.get(organization=tree["BS-DONG-Y"], year=2019, rule="unit_good_thresholds")
    assert override.decided_by == officer and override.decided_at is not None
    client.force_login(officer)
    page = client.get(reverse("reports:detail", args=["BS", 2019])).content.decode()
    section = page[page.index('id="overrides"') :]
    assert 'data-rule="unit_good_thresholds"' in section and "nhiệm vụ chính trị đột xuất" in section


def _two_groups_over_the_cap(tree, school_sector: str) -> None:
    """Two groups over the cap under the district in 2019: 2 of 5 communes, and a school alone in its group."""
    for i in range(3, 6):
        OrganizationFactory(
            code=f"BS-XA-{i}",
            name=f"Đảng bộ xã {i}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            sector=Sector.COMMUNE,
            parent=tree["BS"],
        )
    school = OrganizationFactory(
        code="BS-TRUONG",
        name="Chi bộ Trường THPT",
        kind=Kind.GRASSROOTS_CELL,
        sector=school_sector,
        parent=tree["BS"],
    )
    for unit in (tree["BS-DONG-Y"], tree["BS-NHAT-TIEN"], school):
        unit_rated(unit, 2019, "qd132-2018", "excellent")


def _district_caps(key: str = "overridden") -> tuple[int, dict]:
    """The exit code of check_ratings BS 2019 and the district's unit_cap_20 rows by group name."""
    code, out = _run("BS", "2019", "--format", "json")
    rows = [row for row in json.loads(out) if row["rule"] == "unit_cap_20" and row["organization"] == "BS"]
    return code, {row["numbers"]["group"]: row[key] for row in rows}


def _override_group(tree, officer, group_name: str) -> RuleOverride:
    results = subtree_checks(organization=tree["BS"], year=2019)
    caps_of_bs = [r for r in results if r.code == "unit_cap_20" and r.organization == tree["BS"]]
    [group] = [r for r in caps_of_bs if r.numbers["group"] == group_name]
    [override] = overrides_record(failed=[group], year=2019, reason="Hai xã về đích nông thôn mới", actor=officer)
    return override


def test_an_override_of_the_unit_cap_covers_its_group_only(tree, officer):
    """A reason for the communes leaves the school's group reported; the report names the group."""
    _two_groups_over_the_cap(tree, Sector.PUBLIC_SERVICE)
    assert _district_caps() == (1, {"Xã": False, "Đơn vị sự nghiệp": False})
    override = _override_group(tree, officer, "Xã")
    assert (override.organization, override.group, override.subject_name) == (
        tree["BS"],
        "commune",
        "Đảng bộ huyện Bắc Sơn – nhóm Xã",
    )
    assert _district_caps() == (1, {"Xã": True, "Đơn vị sự nghiệp": False})


def test_the_units_with_no_sector_are_a_group_of_their_own_for_an_override(tree, officer):
    """An override for the units with no sector recorded used to be the committee's whole override (their group had
    a blank code) and covered the communes too."""
    _two_groups_over_the_cap(tree, "")
    override = _override_group(tree, officer, "chưa ghi loại hình")
    assert (override.group, override.subject_name) == ("no_sector", "Đảng bộ huyện Bắc Sơn – nhóm chưa ghi loại hình")
    assert _district_caps() == (1, {"Xã": False, "chưa ghi loại hình": True})

"""The demo's 2019 (HD 21) carries the regulation's records and violations for the checks to find; 2017's checks
use HD 27's rules only."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments import demo
from assessments.models import Discipline, MemberAssessment

pytestmark = pytest.mark.django_db


def _checks(year: int) -> tuple[int, list[dict]]:
    out = StringIO()
    try:
        call_command("check_ratings", "BS", str(year), "--format", "json", stdout=out)
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, json.loads(out.getvalue())


def test_demo_2019_has_discipline_sick_leave_and_violations_the_checks_find(db):
    demo.demo_load()
    assert Discipline.objects.filter(decided_on__year=2019).count() == 7
    assert MemberAssessment.objects.filter(year=2019, sick_leave_months__gte=3).count() == 4
    code, rows = _checks(2019)
    assert code == 1
    rules = {row["rule"] for row in rows}
    assert {"member_disciplined", "admitted_recently", "unit_excellent_thresholds"} <= rules
    assert all(row["source"] for row in rows)
    code, rows_2017 = _checks(2017)
    assert not {row["rule"] for row in rows_2017} & {"unit_excellent_thresholds", "member_disciplined", "sick_leave"}

"""Small builders for the regulation tests: members rated with dates, discipline records, the checks of one unit."""

import datetime

from assessments.cycle.regulation import unit_checks
from assessments.models import Discipline, MemberAssessment, Membership, RatingScheme, UnitAssessment
from tests.factories import MemberFactory, level


def member_rated(cell, year, scheme, code, **fields):
    """One member of the cell rated at `code`; `admitted_on` and the rating's fields may be given."""
    admitted_on = fields.pop("admitted_on", datetime.date(2000, 1, 1))
    member = MemberFactory(organization=cell, admitted_on=admitted_on)
    Membership.objects.create(member=member, organization=cell, start=datetime.date(2000, 1, 1))
    return MemberAssessment.objects.create(
        member=member, organization=cell, year=year, level=level(scheme, "member", code), **fields
    )


def unit_rated(org, year, scheme, code, **fields):
    return UnitAssessment.objects.create(organization=org, year=year, level=level(scheme, "unit", code), **fields)


def disciplined(subject, form, day, **fields):
    key = "member" if subject.__class__.__name__ == "Member" else "organization"
    return Discipline.objects.create(
        **{key: subject}, form=form, decided_on=day, decision_ref=fields.get("ref", "12-QĐ/UBKT"),
        deciding_body=fields.get("body", "Ủy ban Kiểm tra Huyện ủy"),
    )  # fmt: skip


def checks(org, year, scheme_code, level_code, rule=None):
    """The checks of one unit judged at a level (None: no level), optionally only one rule's."""
    scheme = RatingScheme.objects.get(code=scheme_code)
    judged = level(scheme_code, "unit", level_code) if level_code else None
    results = unit_checks(organization=org, year=year, scheme=scheme, level=judged)
    return [r for r in results if rule is None or r.code == rule]

"""Criteria sets for tests: a complete 100-point set under QĐ 366's frame (30 common, 70 tasks), written directly."""

from decimal import Decimal

from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, FramePart, Organization, SubjectGroup

# (group code, part, maximum, [(item code, maximum), ...]): 30 + 70 = 100.
FULL = [
    ("I", "common", 30, [("1.1", 15), ("1.2", 15)]),
    ("II", "tasks", 70, [("2.1", 40), ("2.2", 30)]),
]


def criteria_set_make(
    issuer: Organization,
    *,
    code: str = "TC-2025",
    subject_group: str = SubjectGroup.ORGANIZATIONS,
    first_year: int = 2025,
    groups=FULL,
) -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(
        code=code, name=f"Bộ tiêu chí {code}", issuer=issuer, subject_group=subject_group, first_year=first_year
    )
    parts = {part.code: part for part in FramePart.objects.filter(scheme__code="qd366-2025")}
    for order, (group_code, part, maximum, items) in enumerate(groups, start=1):
        group = CriteriaGroup.objects.create(
            criteria_set=criteria_set,
            code=group_code,
            name=f"Nhóm {group_code}",
            max_points=Decimal(maximum),
            part=parts.get(part),
            order=order,
        )
        for item_order, (item_code, item_max) in enumerate(items, start=1):
            CriteriaItem.objects.create(
                group=group,
                code=item_code,
                name=f"Tiêu chí {item_code}",
                max_points=Decimal(item_max),
                order=item_order,
            )
    return criteria_set

"""The criteria tests' shared fixture: a set locked by a decided rating."""

import pytest

from assessments.models import ItemScore, MemberAssessment
from tests.criteria_factories import criteria_set_make
from tests.factories import level


@pytest.fixture
def used_set(tree, members):
    """A members' set whose item 1.1 scored a member whose 2025 rating is decided."""
    criteria_set = criteria_set_make(tree["BS"], subject_group="members_outside")
    member = members[0]
    ItemScore.objects.create(item=criteria_set.items.get(code="1.1"), member=member, year=2025, score=10)
    MemberAssessment.objects.create(
        member=member,
        year=2025,
        organization=member.organization,
        level=level("qd366-2025", "member", "good"),
        score=10,
    )
    return criteria_set

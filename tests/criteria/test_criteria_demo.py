"""The demo's Lạng Sơn criteria sets for 2025: complete under QĐ 366's frame, issued by the province, loaded once."""

import pytest

from assessments.criteria.demo import criteria_demo_load
from assessments.models import CriteriaItem, CriteriaSet
from assessments.rules.criteria import criteria_totals_errors

pytestmark = pytest.mark.django_db


def test_the_demo_sets_are_complete_and_a_rerun_changes_nothing(tree):
    sets = criteria_demo_load()
    assert sorted((s.code, s.subject_group, s.issuer.code) for s in sets) == [
        ("LS-DV-2025", "members_in_system", "LS"),
        ("LS-TCD-2025", "organizations", "LS"),
    ]
    assert all(criteria_totals_errors(s) == [] for s in sets)
    items = CriteriaItem.objects.count()
    criteria_demo_load()
    assert CriteriaSet.objects.count() == 2 and CriteriaItem.objects.count() == items

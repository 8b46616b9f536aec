"""Fixtures shared by the consolidation tests."""

import pytest

from tests.consolidation_factories import IndicatorFactory, PlanFactory, TaskFactory


@pytest.fixture
def plans(tree):
    """An active plan for each commune, each with a task and an indicator."""
    result = {}
    for code, number in (("BS-DONG-Y", "49-KH/HU"), ("BS-NHAT-TIEN", "82-KH/HU")):
        plan = PlanFactory(organization=tree[code], number=number)
        TaskFactory(plan=plan)
        IndicatorFactory(plan=plan, name="Tỷ lệ hộ nghèo", unit_of_measure="%")
        result[code] = plan
    return result

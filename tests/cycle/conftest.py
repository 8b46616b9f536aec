"""Fixtures of the yearly cycle's tests."""

import pytest

from tests.cycle_factories import year_opened


@pytest.fixture
def submissions(officer, tree):
    """The officer opens 2025 for BS: the file of each unit, by its code."""
    return year_opened(officer=officer, tree=tree)

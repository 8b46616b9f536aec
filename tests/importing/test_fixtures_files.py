"""The sample files in fixtures/ load into an empty database, in order, with the import commands."""

from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Member, MemberAssessment, Organization, UnitAssessment

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_sample_files_load_into_an_empty_database():
    for data_type, name in [
        ("organizations", "bac-son-organizations.csv"),
        ("members", "dong-y-members.csv"),
        ("unit_ratings", "dong-y-unit_ratings.csv"),
        ("member_ratings", "dong-y-member_ratings.csv"),
    ]:
        call_command("import_data", data_type, str(FIXTURES / name))
    assert Organization.objects.filter(parent__code="BS").for_year(2017).count() == 55
    assert Member.objects.filter(organization__code__startswith="BS-DONG-Y").count() == 160
    assert UnitAssessment.objects.get(organization__code="BS-DONG-Y", year=2017).level.code == "clean_strong"
    assert MemberAssessment.objects.filter(year=2017).count() == 160

"""Quarter ratings (issue 15) through every write path: the service, the importer, the admin's form and the demo
loader's rule call give the same answers (a quarter is never exemplary; the year's cycle does not lock quarters)."""

import pytest
from django.core.exceptions import ValidationError

from assessments import demo, services
from assessments.models import RatingScheme, Submission, SubmissionStatus, UnitAssessment
from tests.cycle_factories import year_opened
from tests.factories import level
from tests.rules.paths import admin_errors, import_messages, import_rows

pytestmark = pytest.mark.django_db

UR = ["organization_code", "year", "level", "exemplary", "period"]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _admin_form(organization, year: int, rating_level, period: str, exemplary: bool = False) -> dict:
    data = {"organization": organization.pk, "year": year, "period": period, "level": rating_level.pk, "note": ""}
    if exemplary:
        data["exemplary"] = "on"
    return data


def test_a_quarter_marked_exemplary_is_refused_by_every_path(tree, officer, admin_client, tmp_path):
    expected = "Chỉ xếp loại cả năm mới được công nhận tiêu biểu, không xét theo quý."
    top = level("hd27-2014", "unit", "clean_strong")

    def rating():
        return UnitAssessment(organization=tree["BS-DONG-Y"], year=2017, period="Q2", level=top, exemplary=True)

    with pytest.raises(ValidationError) as refused:
        services.unit_assessment_save(assessment=rating(), actor=officer)
    assert refused.value.message_dict == {"exemplary": [expected]}

    result = import_rows(tmp_path, "unit_ratings", [UR, ["BS-DONG-Y", 2017, "clean_strong", "có", "Q2"]], user=officer)
    assert import_messages(result) == [expected]

    response = admin_client.post(
        "/admin/assessments/unitassessment/add/", _admin_form(tree["BS-DONG-Y"], 2017, top, "Q2", exemplary=True)
    )
    assert response.status_code == 200 and expected in admin_errors(response)

    with pytest.raises(ValidationError) as refused:
        demo.ratings_check([rating()])
    assert refused.value.message_dict == {"exemplary": [expected]}
    assert not UnitAssessment.objects.exists()


def test_a_finalized_year_still_takes_its_quarters_in_every_path(tree, officer, admin_client, tmp_path):
    submissions = year_opened(officer=officer, tree=tree, year=2024)
    good = RatingScheme.for_year(2024).levels.get(subject="unit", code="good")
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2024, level=good)
    Submission.objects.filter(pk=submissions["BS-DONG-Y"].pk).update(status=SubmissionStatus.FINALIZED)

    with pytest.raises(ValidationError, match="đã chốt"):  # the year itself is closed ...
        services.unit_assessment_save(
            assessment=UnitAssessment(organization=tree["BS-DONG-Y-01"], year=2024, level=good), actor=officer
        )
    # ... its quarters are not: one through each path.
    services.unit_assessment_save(
        assessment=UnitAssessment(organization=tree["BS-DONG-Y"], year=2024, period="Q1", level=good), actor=officer
    )
    result = import_rows(tmp_path, "unit_ratings", [UR, ["BS-DONG-Y", 2024, "good", "", "Q2"]], user=officer)
    assert result.ok, import_messages(result)
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/", _admin_form(tree["BS-DONG-Y"], 2024, good, "Q3")
    )
    assert response.status_code == 302, admin_errors(response)
    periods = UnitAssessment.objects.filter(organization=tree["BS-DONG-Y"], year=2024).values_list("period", flat=True)
    assert sorted(periods) == ["", "Q1", "Q2", "Q3"]


def test_the_admin_refuses_a_second_rating_of_the_same_quarter(tree, admin_client):
    good = level("hd27-2014", "unit", "good")
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2017, period="Q1", level=good)
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/", _admin_form(tree["BS-DONG-Y"], 2017, good, "Q1")
    )
    assert response.status_code == 200
    assert "Tổ chức này đã có bản xếp loại của kỳ đó." in admin_errors(response)
    response = admin_client.post(
        "/admin/assessments/unitassessment/add/", _admin_form(tree["BS-DONG-Y"], 2017, good, "")
    )
    assert response.status_code == 302  # the year is another rating

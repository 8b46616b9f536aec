"""Final results (issue 13, item 4): once a year's results are final, finalized in a cycle or imported as final by
an officer, nobody changes them (secretaries included, whatever the path) until an officer reopens with a reason."""

import pytest
from django.core.exceptions import ValidationError

from assessments import demo, services
from assessments.cycle import services as cycle_services
from assessments.importing import FileRejected, data_import
from assessments.models import MemberAssessment, Submission, SubmissionStatus, UnitAssessment, User
from tests.factories import MemberFactory, level
from tests.importfiles import csv_bytes
from tests.rules.paths import import_messages

pytestmark = pytest.mark.django_db

LOCKED_2016 = "Kết quả năm 2016 của Đảng bộ xã Đồng Ý đã chốt: muốn sửa, cấp trên phải mở lại kèm lý do."


def _import(tmp_path, data_type, rows, *, user, final=False):
    path = tmp_path / f"{data_type}.csv"
    path.write_bytes(csv_bytes(rows))
    with open(path, "rb") as handle:
        return data_import(data_type=data_type, handle=handle, name=path.name, actor=user, scope_user=user, final=final)


def _final_2016(tmp_path, officer, member):
    """Member ratings first, then the unit ratings marked final: the last file of the year closes it."""
    header = ["card_number", "year", "organization_code", "level"]
    assert _import(
        tmp_path, "member_ratings", [header, [member.card_number, 2016, "BS-DONG-Y-01", "good"]], user=officer
    ).ok
    units = [["organization_code", "year", "level"], ["BS-DONG-Y", 2016, "good"], ["BS-DONG-Y-01", 2016, "good"]]
    assert _import(tmp_path, "unit_ratings", units, user=officer, final=True).ok


def test_results_imported_as_final_are_closed_to_the_secretary_by_every_path(tree, officer, secretary_dong_y, tmp_path):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    _final_2016(tmp_path, officer, member)
    assert Submission.objects.get(organization=tree["BS-DONG-Y"], cycle__year=2016).status == SubmissionStatus.FINALIZED

    rating = MemberAssessment.objects.get(member=member, year=2016)
    rating.level = level("hd27-2014", "member", "excellent")
    with pytest.raises(ValidationError) as refused:
        services.member_assessment_save(assessment=rating, actor=secretary_dong_y)
    assert refused.value.messages == [LOCKED_2016]

    rows = [
        ["card_number", "year", "organization_code", "level"],
        [member.card_number, 2016, "BS-DONG-Y-01", "not_completed"],
    ]
    assert import_messages(_import(tmp_path, "member_ratings", rows, user=secretary_dong_y)) == [LOCKED_2016]
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "weak"]]
    assert import_messages(_import(tmp_path, "unit_ratings", rows, user=secretary_dong_y)) == [LOCKED_2016]
    assert MemberAssessment.objects.get(member=member, year=2016).level.code == "good"


def test_final_results_change_only_after_an_officer_reopens_them_with_a_reason(
    tree, officer, secretary_dong_y, tmp_path
):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    _final_2016(tmp_path, officer, member)
    cell = UnitAssessment.objects.get(organization=tree["BS-DONG-Y-01"], year=2016)
    cell.level = level("hd27-2014", "unit", "clean_strong")
    with pytest.raises(ValidationError):
        services.unit_assessment_save(assessment=cell, actor=officer)  # the officer too, until reopened

    submission = Submission.objects.get(organization=tree["BS-DONG-Y"], cycle__year=2016)
    with pytest.raises(ValidationError):
        cycle_services.rating_reopen(submission=submission, reason="", actor=officer)
    with pytest.raises(Exception):  # noqa: B017 — a secretary may not reopen (403 or 404 by the permissions policy)
        cycle_services.rating_reopen(submission=submission, reason="Sai sót", actor=secretary_dong_y)
    cycle_services.rating_reopen(submission=submission, reason="Sửa theo quyết định 12-QĐ/HU", actor=officer)

    cell.refresh_from_db()
    cell.level = level("hd27-2014", "unit", "clean_strong")
    services.unit_assessment_save(assessment=cell, actor=officer)
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "weak"]]
    assert import_messages(_import(tmp_path, "unit_ratings", rows, user=secretary_dong_y))  # still closed to them
    assert UnitAssessment.objects.get(pk=cell.pk).level.code == "clean_strong"


def test_only_an_officer_imports_results_as_final(tree, secretary_dong_y, tmp_path):
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "good"]]
    with pytest.raises(FileRejected):
        _import(tmp_path, "unit_ratings", rows, user=secretary_dong_y, final=True)
    assert not UnitAssessment.objects.exists()


def test_an_import_not_marked_final_leaves_the_year_open(tree, officer, secretary_dong_y, tmp_path):
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "good"]]
    assert _import(tmp_path, "unit_ratings", rows, user=officer).ok
    rows[1][2] = "completed"
    assert _import(tmp_path, "unit_ratings", rows, user=secretary_dong_y).ok


def test_the_demo_published_years_are_closed_to_the_communes_secretary(db):
    demo.demo_load()
    dongy = User.objects.get(username="dongy")
    cell_rating = UnitAssessment.objects.filter(organization__code__startswith="BS-DONG-Y-", year=2016).first()
    cell_rating.level = level("hd27-2014", "unit", "weak")
    with pytest.raises(ValidationError, match="đã chốt"):
        services.unit_assessment_save(assessment=cell_rating, actor=dongy)
    member_rating = MemberAssessment.objects.filter(organization__path__startswith="LS/BS/BS-DONG-Y/", year=2016)[0]
    member_rating.level = level("hd27-2014", "member", "not_completed")
    member_rating.not_rated_reason = ""
    with pytest.raises(ValidationError, match="đã chốt"):
        services.member_assessment_save(assessment=member_rating, actor=dongy)


# --- deleting follows the rule of editing (issue 13, item 10) -------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_cannot_delete_a_finalized_rating_one_by_one_or_in_bulk(tree, officer, admin_client, tmp_path):
    member = MemberFactory(organization=tree["BS-DONG-Y-01"])
    _final_2016(tmp_path, officer, member)
    unit = UnitAssessment.objects.get(organization=tree["BS-DONG-Y-01"], year=2016)
    rating = MemberAssessment.objects.get(member=member, year=2016)

    for url in (
        f"/admin/assessments/unitassessment/{unit.pk}/delete/",
        f"/admin/assessments/memberassessment/{rating.pk}/delete/",
    ):
        assert admin_client.get(url).status_code == 403
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
    response = admin_client.post(
        "/admin/assessments/unitassessment/",
        {"action": "delete_selected", "_selected_action": [unit.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)
    assert UnitAssessment.objects.filter(pk=unit.pk).exists()
    assert MemberAssessment.objects.filter(pk=rating.pk).exists()
    with pytest.raises(ValidationError, match="đã chốt"):
        services.rating_delete(assessment=rating, actor=officer)


def test_the_admin_deletes_a_rating_that_is_not_final(tree, officer, admin_client, tmp_path):
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "good"]]
    assert _import(tmp_path, "unit_ratings", rows, user=officer).ok
    unit = UnitAssessment.objects.get()
    response = admin_client.post(f"/admin/assessments/unitassessment/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not UnitAssessment.objects.exists()


def test_a_secretary_cannot_delete_their_own_units_decided_rating(tree, officer, secretary_dong_y, tmp_path):
    rows = [["organization_code", "year", "level"], ["BS-DONG-Y", 2016, "good"]]
    assert _import(tmp_path, "unit_ratings", rows, user=officer).ok
    with pytest.raises(ValidationError):
        services.rating_delete(assessment=UnitAssessment.objects.get(), actor=secretary_dong_y)
    assert UnitAssessment.objects.exists()


# --- the upload pages: the officer ticks "final" when confirming ---------------------------------------------------


def _upload(client, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from assessments.models import ImportRecord

    client.post(
        reverse("assessments:import_upload"),
        {"data_type": "unit_ratings", "file": SimpleUploadedFile("xep-loai.csv", csv_bytes(rows), "text/csv")},
    )
    return ImportRecord.objects.latest("pk")


def test_an_officer_confirms_an_upload_as_final_and_a_secretary_may_not(
    client, tree, officer, secretary_dong_y, settings, tmp_path
):
    from django.urls import reverse

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(secretary_dong_y)
    record = _upload(client, [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "good"]])
    preview = client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()
    assert 'name="final"' not in preview
    assert client.post(reverse("assessments:import_confirm", args=[record.pk]), {"final": "on"}).status_code == 403
    assert not UnitAssessment.objects.exists()

    client.force_login(officer)
    record = _upload(client, [["organization_code", "year", "level"], ["BS-DONG-Y-01", 2016, "good"]])
    assert 'name="final"' in client.get(reverse("assessments:import_preview", args=[record.pk])).content.decode()
    client.post(reverse("assessments:import_confirm", args=[record.pk]), {"final": "on"})
    assert UnitAssessment.objects.get().level.code == "good"
    assert Submission.objects.get(organization=tree["BS-DONG-Y"], cycle__year=2016).status == SubmissionStatus.FINALIZED

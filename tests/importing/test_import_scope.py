"""An import belongs to the unit it was made for (migration 0028): its maker's organization at upload, kept when the
maker moves; the upload page lists only the imports made for the user's unit now."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import ImportRecord
from tests.importing.test_import_views import dong_y_rows, upload

pytestmark = pytest.mark.usefixtures("media")

MIGRATION = importlib.import_module("assessments.migrations.0028_import_record_organization")


def test_an_upload_is_recorded_for_the_uploaders_organization(client, members, secretary_dong_y, admin_user):
    client.force_login(secretary_dong_y)
    upload(client, "member_ratings", dong_y_rows(members))
    assert ImportRecord.objects.get().organization == secretary_dong_y.organization
    client.force_login(admin_user)  # tied to no organization: the record is tied to none either
    upload(client, "member_ratings", dong_y_rows(members), name="admin.csv")
    assert ImportRecord.objects.get(file_name="admin.csv").organization is None


def test_an_import_made_for_no_organization_is_seen_only_by_those_who_see_everything(
    client, members, admin_user, officer
):
    client.force_login(admin_user)
    upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    assert client.get(reverse("assessments:import_preview", args=[record.pk])).status_code == 200
    client.force_login(officer)
    assert client.get(reverse("assessments:import_preview", args=[record.pk])).status_code == 404


def test_after_a_move_the_upload_page_lists_only_the_imports_made_for_the_new_unit(
    client, tree, members, secretary_dong_y, django_assert_max_num_queries
):
    client.force_login(secretary_dong_y)
    for number in range(3):
        upload(client, "member_ratings", dong_y_rows(members), name=f"dong-y-{number}.csv")
    page = client.get(reverse("assessments:import_upload")).content.decode()
    assert page.count("dong-y-") == 3
    secretary_dong_y.organization = tree["BS-NHAT-TIEN-01"]
    secretary_dong_y.save()
    rows = [["card_number", "full_name", "organization_code", "status"], ["88", "Hoàng Văn Tám", "BS-NHAT-TIEN-01", ""]]
    upload(client, "members", rows, name="nhat-tien.csv")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("assessments:import_upload")).content.decode()
    assert "dong-y-" not in page and page.count("nhat-tien.csv") == 1
    assert ImportRecord.objects.filter(organization=tree["BS-DONG-Y"]).count() == 3  # kept with Đồng Ý


def test_the_upload_pages_list_costs_the_same_with_many_imports(
    client, members, secretary_dong_y, django_assert_max_num_queries
):
    client.force_login(secretary_dong_y)
    upload(client, "member_ratings", dong_y_rows(members))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("assessments:import_upload"))
    with_one = len(one)  # now: the next request empties the connection's log of queries
    for number in range(12):
        upload(client, "member_ratings", dong_y_rows(members), name=f"lan-{number}.csv")
    with django_assert_max_num_queries(with_one):
        page = client.get(reverse("assessments:import_upload")).content.decode()
    assert page.count("lan-") == 10  # the ten latest


def test_an_organization_with_imports_is_not_deleted(members, secretary_dong_y):
    record = ImportRecord.objects.create(
        user=secretary_dong_y, organization=secretary_dong_y.organization, data_type="members", file_name="a.csv"
    )
    with pytest.raises(ProtectedError):
        record.organization.delete()


# --- the data migration: existing records take their maker's organization ----------------------------------------


def test_the_migration_gives_each_record_its_makers_organization_in_one_update(
    tree, secretary_dong_y, secretary_nhat_tien, admin_user
):
    def made_by(user, name):
        return ImportRecord.objects.create(user=user, data_type="members", file_name=name)

    dong_y, nhat_tien = made_by(secretary_dong_y, "a.csv"), made_by(secretary_nhat_tien, "b.csv")
    by_admin, by_command = made_by(admin_user, "c.csv"), made_by(None, "d.csv")
    kept = ImportRecord.objects.create(
        user=secretary_dong_y, organization=tree["BS"], data_type="members", file_name="e.csv"
    )
    with CaptureQueriesContext(connection) as queries:
        MIGRATION.organizations_fill(apps, None)
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    organizations = dict(ImportRecord.objects.values_list("pk", "organization__code"))
    assert organizations == {
        dong_y.pk: "BS-DONG-Y",
        nhat_tien.pk: "BS-NHAT-TIEN",
        by_admin.pk: None,  # a superuser tied to no organization: seen by those who see everything
        by_command.pk: None,
        kept.pk: "BS",  # a record that has its organization keeps it
    }


def test_the_admin_deletes_imports_saying_cac_once(admin_client):
    ImportRecord.objects.create(data_type="members", file_name="a.csv")  # the actions show with a row to act on
    page = admin_client.get(reverse("admin:assessments_importrecord_changelist")).content.decode()
    assert "Xóa các lần nhập dữ liệu đã chọn" in page and "các các" not in page


def test_a_queued_import_whose_maker_moved_is_refused_and_writes_nothing(client, tree, members, secretary_dong_y):
    """The worker runs a queued file later: by then its maker may sit in another unit, whose scope it must not use."""
    from assessments.importing.tasks import import_record_task
    from assessments.models import MemberAssessment

    client.force_login(secretary_dong_y)
    upload(client, "member_ratings", dong_y_rows(members))
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.VALIDATED
    secretary_dong_y.organization = tree["BS-NHAT-TIEN-01"]
    secretary_dong_y.save()
    ImportRecord.objects.filter(pk=record.pk).update(status=ImportRecord.Status.IMPORTING)
    import_record_task(record.pk, dry_run=False)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.REJECTED
    assert "đã chuyển sang đơn vị khác" in record.message
    assert not MemberAssessment.objects.exists()


def test_the_upload_page_offers_the_year_the_unit_is_working_on(client, tree, officer, secretary_dong_y):
    """The member-ratings template was offered for last year by the calendar, 2025 to a commune merged away on 30 June
    2025: it is the latest year open for the unit, else the latest with results, never a year the unit did not end."""
    from tests.cycle_factories import year_opened
    from tests.regulation.helpers import unit_rated

    def offered() -> str:
        page = client.get(reverse("assessments:import_upload")).content.decode()
        return page.split("danh sách đảng viên, năm ", 1)[1][:4]

    client.force_login(secretary_dong_y)
    unit_rated(tree["BS-DONG-Y"], 2019, "qd132-2018", "good")
    assert offered() == "2019"
    year_opened(officer=officer, tree=tree, year=2024)
    assert offered() == "2024"
    dong_y = tree["BS-DONG-Y"]
    dong_y.valid_to = datetime.date(2024, 6, 30)
    dong_y.save()
    assert offered() == "2019"

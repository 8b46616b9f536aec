"""An import whose worker or web process was killed mid-run does not stay "running" forever: past the longest a run
may last it is recorded as failed with the reason, and it can be tried again."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from assessments.importing import records
from assessments.importing.tasks import import_record_task
from assessments.models import ImportRecord, MemberAssessment
from tests.importfiles import csv_bytes

pytestmark = pytest.mark.usefixtures("media")

MR = ["card_number", "year", "organization_code", "level", "not_rated_reason", "full_name"]


class WorkerKilled(BaseException):
    """A process killed mid-write: no exception handler of the import runs (as with SIGKILL or the OOM killer)."""


@pytest.fixture
def checked(client, members, secretary_dong_y):
    """An upload of Đồng Ý's ratings, checked and waiting for confirmation."""
    client.force_login(secretary_dong_y)
    mine = [m for m in members if m.organization.code.startswith("BS-DONG-Y")]
    rows = [MR] + [[m.card_number, 2017, m.organization.code, "good", "", m.full_name] for m in mine]
    client.post(
        reverse("assessments:import_upload"),
        {"data_type": "member_ratings", "file": SimpleUploadedFile("tep.csv", csv_bytes(rows), "text/csv")},
    )
    record = ImportRecord.objects.get()
    assert record.status == ImportRecord.Status.VALIDATED
    return record


def kill_during_write(client, record, monkeypatch) -> None:
    def killed(**kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(records, "data_import", killed)
        with pytest.raises(WorkerKilled):
            client.post(reverse("assessments:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.IMPORTING  # what the killed process left behind


def later(settings, seconds: int = 1):
    return freeze_time(timezone.now() + datetime.timedelta(seconds=settings.IMPORT_STALE_SECONDS + seconds))


def test_a_write_killed_midway_is_marked_failed_and_can_be_confirmed_again(client, checked, monkeypatch, settings):
    kill_during_write(client, checked, monkeypatch)
    # Within the longest a run may last, it may still be running somewhere: it is left alone.
    page = client.get(reverse("assessments:import_preview", args=[checked.pk])).content.decode()
    assert 'id="import-progress"' in page
    with later(settings):
        page = client.get(reverse("assessments:import_preview", args=[checked.pk])).content.decode()
        checked.refresh_from_db()
        assert checked.status == ImportRecord.Status.FAILED and checked.finished_at is not None
        assert "dừng giữa chừng" in checked.message and "dừng giữa chừng" in page
        assert "Xác nhận ghi dữ liệu" in page and MemberAssessment.objects.count() == 0
        client.post(reverse("assessments:import_confirm", args=[checked.pk]))
    checked.refresh_from_db()
    assert checked.status == ImportRecord.Status.SUCCEEDED and checked.message == ""
    assert MemberAssessment.objects.count() == 6


def test_the_progress_poll_also_ends_a_stopped_run(client, checked, monkeypatch, settings):
    kill_during_write(client, checked, monkeypatch)
    url = reverse("assessments:import_progress", args=[checked.pk])
    assert "HX-Refresh" not in client.get(url)
    with later(settings):
        assert client.get(url)["HX-Refresh"] == "true"  # the page reloads and shows the failure


def test_a_redelivered_task_after_the_failure_does_nothing(client, checked, monkeypatch, settings):
    kill_during_write(client, checked, monkeypatch)
    with later(settings):
        client.get(reverse("assessments:import_preview", args=[checked.pk]))
        import_record_task(checked.pk, False)
    checked.refresh_from_db()
    assert checked.status == ImportRecord.Status.FAILED and MemberAssessment.objects.count() == 0


def test_a_check_killed_midway_fails_with_the_reason_and_the_file_can_be_sent_again(client, checked, settings):
    # An old record from before started_at existed: its upload time stands in.
    ImportRecord.objects.filter(pk=checked.pk).update(status=ImportRecord.Status.VALIDATING, started_at=None)
    ImportRecord.objects.filter(pk=checked.pk).update(created=0, updated=0)
    with later(settings):
        page = client.get(reverse("assessments:import_preview", args=[checked.pk])).content.decode()
    checked.refresh_from_db()
    assert checked.status == ImportRecord.Status.FAILED and "dừng giữa chừng" in page
    assert "Xác nhận ghi dữ liệu" not in page and "Tải lên tệp khác" in page


def test_every_run_records_when_it_started(client, checked):
    assert checked.started_at is not None and checked.started_at >= checked.created_at

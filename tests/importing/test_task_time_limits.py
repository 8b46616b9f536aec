"""Import and summary tasks run under soft and hard time limits; an import stopped by its limit says so."""

import io

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from assessments.importing import records
from assessments.importing.tasks import import_record_task
from assessments.models import ImportRecord
from assessments.summaries.tasks import (
    summaries_recompute_task,
    summaries_recompute_year_task,
    summaries_reconcile_task,
)
from tests.importfiles import csv_bytes


@pytest.mark.parametrize(
    ("task", "soft", "hard"),
    [
        (import_record_task, "IMPORT_TASK_SOFT_TIME_LIMIT", "IMPORT_TASK_TIME_LIMIT"),
        (summaries_recompute_task, "SUMMARIES_TASK_SOFT_TIME_LIMIT", "SUMMARIES_TASK_TIME_LIMIT"),
        (summaries_recompute_year_task, "SUMMARIES_TASK_SOFT_TIME_LIMIT", "SUMMARIES_TASK_TIME_LIMIT"),
        (summaries_reconcile_task, "SUMMARIES_TASK_SOFT_TIME_LIMIT", "SUMMARIES_TASK_TIME_LIMIT"),
    ],
)
def test_tasks_have_soft_and_hard_time_limits_from_settings(db, task, soft, hard):
    assert task.soft_time_limit == getattr(settings, soft) > 0
    assert task.time_limit == getattr(settings, hard) > task.soft_time_limit
    # A task killed at its hard limit must not be handed to another worker while it still runs.
    assert task.time_limit < settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


def test_an_import_stopped_at_its_soft_limit_is_marked_failed_with_the_reason(tree, tmp_path, settings, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    handle = io.BytesIO(csv_bytes([["card_number", "full_name", "organization_code", "status"]]))
    record = records.import_record_create(handle=handle, name="m.csv", data_type="members", actor=None)
    record.status = ImportRecord.Status.IMPORTING
    record.save()

    def slow(**kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(records, "data_import", slow)
    with pytest.raises(SoftTimeLimitExceeded):
        import_record_task(record.pk, False)
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.FAILED
    assert "Quá thời gian cho phép" in record.message and "không ghi gì" in record.message
    assert record.finished_at is not None

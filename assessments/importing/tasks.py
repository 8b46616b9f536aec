"""Celery task for large imports: checks or writes a recorded file, reporting progress through the cache."""

import contextlib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from assessments.importing import FileRejected, import_record_run
from assessments.models import ImportRecord

PROGRESS_TIMEOUT = 6 * 60 * 60


def progress_key(record_id: int) -> str:
    return f"import-progress:{record_id}"


# At the soft limit the import stops inside its transaction (nothing kept) and its record says why.
@shared_task(
    name="assessments.import_tasks.import_record_task",
    acks_late=True,
    soft_time_limit=settings.IMPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.IMPORT_TASK_TIME_LIMIT,
)
def import_record_task(record_id: int, dry_run: bool, final: bool = False) -> None:
    """Run one recorded import; a duplicate delivery after it ended does nothing, a retry starts again cleanly."""
    record = ImportRecord.objects.select_related("user__organization").filter(pk=record_id).first()
    expected = ImportRecord.Status.VALIDATING if dry_run else ImportRecord.Status.IMPORTING
    if record is None or record.status != expected:
        return
    cache.set(progress_key(record_id), 0, PROGRESS_TIMEOUT)
    # A rejected file is recorded with its message by import_record_run.
    with contextlib.suppress(FileRejected):
        import_record_run(
            record=record,
            dry_run=dry_run,
            scope_user=record.user,
            final=final,
            # The import's own transaction hides its writes until commit, so progress goes through the cache.
            on_progress=lambda rows: cache.set(progress_key(record_id), rows, PROGRESS_TIMEOUT),
        )

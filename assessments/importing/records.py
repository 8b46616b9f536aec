"""Imports as recorded events: the file kept under a random name, its checksum, who, counts and outcome."""

import datetime
import hashlib
from collections.abc import Callable
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.importing.engine import ImportResult, RowError, data_import
from assessments.importing.readers import CSV, FileRejected, Table, file_check
from assessments.models import ImportRecord


def _checksum(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    while chunk := handle.read(1024 * 1024):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def rows_estimate(handle: IO[bytes], name: str) -> int:
    """Rough number of data rows, to decide between importing now and in a background task."""
    try:
        kind = file_check(handle, name)
    except FileRejected:
        return 0
    if kind == CSV:
        lines = 0
        while chunk := handle.read(1024 * 1024):
            lines += chunk.count(b"\n")
        handle.seek(0)
        return max(lines - 1, 0)
    try:
        with Table(handle, kind) as table:
            rows = table.xlsx_rows_estimate()
    except FileRejected:
        rows = 0
    handle.seek(0)
    return rows


def import_record_create(
    *, handle: IO[bytes], name: str, data_type: str, actor, source: str = "web", dry_run: bool = False
) -> ImportRecord:
    """Keep the uploaded file (random name under MEDIA_ROOT) and open a record of the import, for the unit the
    import is scoped by: the actor's organization now, kept with the record if the actor later moves."""
    checksum, size = _checksum(handle)
    maker = actor if getattr(actor, "pk", None) else None
    record = ImportRecord(
        user=maker,
        organization_id=getattr(maker, "organization_id", None),
        data_type=data_type,
        file_name=name[:255],
        checksum=checksum,
        size=size,
        source=source,
        dry_run=dry_run,
    )
    record.rows_estimated = rows_estimate(handle, name)
    record.file.save(name, File(handle, name=name), save=False)
    record.save()
    return record


def import_record_start(*, record: ImportRecord, dry_run: bool) -> None:
    """Mark the record as being checked or written (or queued for it) from now on."""
    record.status = ImportRecord.Status.VALIDATING if dry_run else ImportRecord.Status.IMPORTING
    record.started_at = timezone.now()
    record.finished_at = None
    record.message = ""  # a new attempt after a stop: the old reason no longer applies
    record.save(update_fields=["status", "started_at", "finished_at", "message"])


def import_record_may_write(record: ImportRecord) -> bool:
    """Whether the checked file may be written (again): checked without errors and with something to write, and
    either waiting for confirmation or stopped while writing, which wrote nothing (one transaction)."""
    checked = record.error_count == 0 and record.created + record.updated > 0
    return checked and record.status in (ImportRecord.Status.VALIDATED, ImportRecord.Status.FAILED)


def import_record_expire_if_stale(record: ImportRecord) -> bool:
    """Record as failed a check or write that has run longer than any run can (IMPORT_STALE_SECONDS, beyond the
    task's hard time limit): its worker or web process was killed and nothing will ever finish it. True if so."""
    if not record.is_running:
        return False
    started = record.started_at or record.created_at
    if started > timezone.now() - datetime.timedelta(seconds=settings.IMPORT_STALE_SECONDS):
        return False
    message = _(
        "Lần nhập đã dừng giữa chừng (tiến trình xử lý bị tắt) và không ghi gì. Có thể thử lại: xác nhận ghi lại "
        "nếu tệp đã kiểm tra xong, hoặc tải tệp lên lần nữa."
    )
    # Only if nothing restarted it meanwhile (a redelivered task sets a new started_at).
    changed = ImportRecord.objects.filter(pk=record.pk, status=record.status, started_at=record.started_at).update(
        status=ImportRecord.Status.FAILED, message=message, finished_at=timezone.now()
    )
    record.refresh_from_db()
    return bool(changed)


def import_record_run(
    *,
    record: ImportRecord,
    dry_run: bool,
    scope_user=None,
    on_error: Callable[[RowError], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
    final: bool = False,
) -> ImportResult | None:
    """Run the import of a recorded file (checking only, or writing) and store how it ended."""
    import_record_start(record=record, dry_run=dry_run)
    result = None
    try:
        if scope_user is not None and scope_user.organization_id != record.organization_id:
            # The maker moved after uploading: the file is the old unit's and is never applied in the new one's scope.
            raise FileRejected(
                _(
                    "Người tải tệp đã chuyển sang đơn vị khác sau khi tải lên: tệp của đơn vị cũ không được nhập. "
                    "Hãy tải tệp lên lại từ đơn vị hiện tại."
                )
            )
        with record.file.open("rb") as handle:
            result = data_import(
                data_type=record.data_type,
                handle=handle,
                name=record.file_name,
                actor=record.user,
                scope_user=scope_user,
                dry_run=dry_run,
                on_error=on_error,
                on_progress=on_progress,
                reason=_("Nhập tệp %(name)s (lần nhập %(id)s)") % {"name": record.file_name[:60], "id": record.pk},
                final=final,
            )
    except FileRejected as rejected:
        record.status = ImportRecord.Status.REJECTED
        record.message = rejected.message
        record.finished_at = timezone.now()
        record.save()
        raise
    except Exception as error:
        # Nothing was kept (one transaction); say so, rather than leave the progress page waiting forever.
        record.status = ImportRecord.Status.FAILED
        if isinstance(error, SoftTimeLimitExceeded):
            record.message = _(
                "Quá thời gian cho phép (%(seconds)s giây): việc nhập đã dừng, không ghi gì. Hãy chia tệp nhỏ hơn."
            ) % {"seconds": settings.IMPORT_TASK_SOFT_TIME_LIMIT}
        else:
            record.message = _("Lỗi không mong đợi, không ghi gì: %(error)s") % {"error": type(error).__name__}
        record.finished_at = timezone.now()
        record.save()
        raise
    for name in ("rows", "created", "updated", "unchanged", "error_count"):
        setattr(record, name, getattr(result, name))
    record.errors = [[e.row, e.column, e.message] for e in result.errors]
    record.changes = result.changes
    record.message = " ".join(result.notes)  # the columns dropped, shown with the outcome
    if result.error_count:
        record.status = ImportRecord.Status.FAILED
    elif dry_run:
        record.status = ImportRecord.Status.VALIDATED
    else:
        record.status = ImportRecord.Status.SUCCEEDED
    record.finished_at = timezone.now()
    # Outside the import's transaction: the record survives a rolled-back import.
    with transaction.atomic():
        record.save()
    return result

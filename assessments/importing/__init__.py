"""Bulk import of organizations, members and ratings from CSV and XLSX files (see docs/import-formats.md)."""

from assessments.importing.columns import COLUMNS, DATA_TYPE_LABELS, DATA_TYPES, wide_title
from assessments.importing.engine import ImportResult, RowError, data_import, final_import_allowed, import_allowed
from assessments.importing.readers import FileRejected, Table, file_check
from assessments.importing.records import import_record_create, import_record_run

__all__ = [
    "COLUMNS",
    "DATA_TYPES",
    "DATA_TYPE_LABELS",
    "FileRejected",
    "ImportResult",
    "RowError",
    "Table",
    "data_import",
    "file_check",
    "final_import_allowed",
    "import_allowed",
    "import_record_create",
    "import_record_run",
    "wide_title",
]

"""Write the yearly results report of an organization to a file: .html, .xlsx, .pdf or .docx (for scheduled runs)."""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import Organization
from assessments.reports import build as reports
from assessments.reports import renderers as report_renderers

FORMATS = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".pdf": "pdf", ".docx": "docx"}


class Command(BaseCommand):
    help = _("Xuất báo cáo kết quả đánh giá, xếp loại của một tổ chức trong một năm ra tệp .html, .xlsx hoặc .pdf.")

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("mã tổ chức, ví dụ BS"))
        parser.add_argument("year", help=_("năm đánh giá, ví dụ 2017"))
        parser.add_argument("file", help=_("tệp kết quả; định dạng theo phần mở rộng: .html, .xlsx, .pdf"))
        parser.add_argument("--number", default="…", help=_("số văn bản trong “Số …-BC/HU” (mặc định để trống)"))
        parser.add_argument("--signer-post", default="", help=_("chức vụ người ký, ví dụ “Phó Bí thư”"))
        parser.add_argument("--signer-name", default="", help=_("họ tên người ký"))
        parser.add_argument("--language", default="vi", choices=["vi", "en"], help=_("ngôn ngữ (mặc định vi)"))

    def handle(self, *args, language: str, **options):
        # Messages, like the report, in the chosen language (whatever the calling thread had active).
        with translation.override(language):
            self._handle(**options)

    def _handle(self, *, code: str, year: str, file: str, number: str, signer_post: str, signer_name: str, **options):
        target = Path(file)
        kind = FORMATS.get(target.suffix.lower())
        if kind is None:
            raise CommandError(
                _("Không hỗ trợ định dạng “%(ext)s” của tệp %(file)s: dùng .html, .xlsx hoặc .pdf.")
                % {"ext": target.suffix or _("(không có phần mở rộng)"), "file": file},
                returncode=2,
            )
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức đảng mã “%(code)s”.") % {"code": code}, returncode=1)
        if not (year.isdigit() and len(year) == 4):
            raise CommandError(_("Năm “%(year)s” không hợp lệ: ghi 4 chữ số, ví dụ 2017.") % {"year": year})
        try:
            report = reports.report_build(organization=organization, year=int(year))
        except reports.ReportError as error:
            raise CommandError(str(error), returncode=1) from error
        if not (report.units_total.rated or report.cells_total.rated or report.members_total.total):
            raise CommandError(
                _("%(name)s chưa có kết quả xếp loại nào của năm %(year)s.")
                % {"name": organization.name, "year": year},
                returncode=1,
            )
        document = {"number": number, "signer_post": signer_post, "signer_name": signer_name}
        if kind == "html":
            content = report_renderers.report_html(report, **document).encode("utf-8")
        elif kind == "xlsx":
            content = report_renderers.report_xlsx(report)
        elif kind == "docx":
            content = report_renderers.report_docx(report, **document)
        else:
            content = report_renderers.report_pdf(report, **document)
        self._write(target, content)
        self.stdout.write(
            _("Đã ghi %(file)s (%(size)s byte): %(name)s, năm %(year)s.")
            % {"file": file, "size": len(content), "name": organization.name, "year": year}
        )

    def _write(self, target: Path, content: bytes) -> None:
        """Write through a temporary file in the same folder, so a failure never leaves half a report behind."""
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(_("Thư mục %(folder)s không tồn tại.") % {"folder": folder}, returncode=1)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".results_report-", suffix=target.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

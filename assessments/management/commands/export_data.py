"""export_data TYPE FILE [--year YEAR] [--organization CODE]: CSV or XLSX by extension, re-importable as is."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.importing import DATA_TYPES
from assessments.importing.exporting import ExportError, data_export
from assessments.models import Organization


class Command(BaseCommand):
    help = _("Xuất tổ chức, đảng viên hoặc kết quả xếp loại ra tệp CSV/XLSX theo đúng định dạng nhập.")

    def add_arguments(self, parser):
        parser.add_argument("type", help=", ".join(DATA_TYPES))
        parser.add_argument("file")
        parser.add_argument("--year", type=int)
        parser.add_argument("--organization", help=_("Mã tổ chức: chỉ xuất tổ chức này và cấp dưới."))

    def handle(self, *args, **options):
        data_type, path = options["type"], options["file"]
        if data_type not in DATA_TYPES:
            raise CommandError(
                _("Loại dữ liệu không hợp lệ: %(type)s (dùng: %(types)s).")
                % {"type": data_type, "types": ", ".join(DATA_TYPES)},
                returncode=2,
            )
        if not path.lower().endswith((".csv", ".xlsx")):
            raise CommandError(_("Tên tệp phải có đuôi .csv hoặc .xlsx."), returncode=2)
        organization = None
        if options["organization"]:
            organization = Organization.objects.filter(code=options["organization"]).first()
            if organization is None:
                raise CommandError(_("Không có tổ chức mã %(code)s.") % {"code": options["organization"]}, returncode=2)
        try:
            count = data_export(data_type, path, organization=organization, year=options["year"])
        except (ExportError, OSError) as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(_("Đã xuất %(n)s dòng vào %(file)s.") % {"n": count, "file": path})

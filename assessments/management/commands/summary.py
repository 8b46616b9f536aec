"""Print the stored summary of an organization for a year: the same JSON as the API."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.models import Organization
from assessments.selectors import summary_read


class Command(BaseCommand):
    help = _("In số liệu tổng hợp của một tổ chức trong một năm (JSON như API).")

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("mã tổ chức, ví dụ BS"))
        parser.add_argument("year", type=int, help=_("năm đánh giá, ví dụ 2017"))

    def handle(self, *args, code: str, year: int, **options):
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức đảng mã “%(code)s”.") % {"code": code})
        data = summary_read(organization=organization, year=year)
        if data is None:
            raise CommandError(_("Năm %(year)s chưa có quy định xếp loại.") % {"year": year})
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

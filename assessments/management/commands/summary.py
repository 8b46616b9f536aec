"""Print the stored summary of an organization for a year or a quarter: the same JSON as the API.

Exit codes: 0 printed; 1 no such organization, or no scheme for the year; 2 a bad argument (a period other than
Q1–Q4)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.models import Organization, period_parse
from assessments.rules.ratings import no_scheme_message
from assessments.selectors import summary_read


class Command(BaseCommand):
    help = _("In số liệu tổng hợp của một tổ chức trong một năm (JSON như API).")

    def add_arguments(self, parser):
        parser.add_argument("code", help=_("mã tổ chức, ví dụ BS"))
        parser.add_argument("year", type=int, help=_("năm đánh giá, ví dụ 2017"))
        parser.add_argument("--period", default="", help=_("một quý: Q1, Q2, Q3 hoặc Q4; bỏ trống là cả năm"))

    def handle(self, *args, code: str, year: int, period: str, **options):
        period_code = period_parse(period) if period else ""
        if period_code is None:
            # The same exit as a bad argument to the parser: 2.
            self.stderr.write(
                _("Kỳ “%(period)s” không hợp lệ: ghi Q1, Q2, Q3 hoặc Q4 (bỏ trống là cả năm).") % {"period": period}
            )
            sys.exit(2)
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise CommandError(_("Không có tổ chức đảng mã “%(code)s”.") % {"code": code})
        data = summary_read(organization=organization, year=year, period=period_code)
        if data is None:
            raise CommandError(no_scheme_message(year))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

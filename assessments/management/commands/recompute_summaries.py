"""Recompute stored summaries from scratch, for every year or one (with its quarters), for every organization or one
subtree."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.models import Organization, Period, period_label
from assessments.summaries import recompute as summaries


class Command(BaseCommand):
    help = _("Tính lại số liệu tổng hợp từ dữ liệu gốc.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help=_("chỉ tính năm này"))
        parser.add_argument(
            "--organization",
            metavar="CODE",
            help=_("chỉ tính tổ chức này, các đơn vị cấp dưới và cấp trên của nó"),
        )

    def handle(self, *args, year: int | None, organization: str | None, **options):
        keys = summaries.keys_to_summarize()
        if year is not None:
            keys = sorted({(year, Period.YEAR), *((y, p) for y, p in keys if y == year)})
        ids = None
        if organization is not None:
            root = Organization.objects.filter(code=organization).first()
            if root is None:
                raise CommandError(_("Không có tổ chức đảng mã “%(code)s”.") % {"code": organization})
            ids = list(Organization.objects.subtree(root).values_list("pk", flat=True))
        for y, period in keys:
            if ids is None:
                n = summaries.summaries_recompute_year(year=y, period=period)
            else:
                n = summaries.summaries_recompute(organization_ids=ids, year=y, period=period)
            if period:
                self.stdout.write(
                    _("%(period)s: đã tính lại %(n)s bản tổng hợp.") % {"period": period_label(y, period), "n": n}
                )
            else:
                self.stdout.write(_("Năm %(year)s: đã tính lại %(n)s bản tổng hợp.") % {"year": y, "n": n})

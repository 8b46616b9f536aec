"""Discipline records of members and organizations, and the dated statuses (exempt, suspended) of a member."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.constraints import one_of_constraint, range_constraint
from assessments.models.members import Member
from assessments.models.organizations import Organization
from assessments.models.ratings import NotRatedReason


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


# The forms each subject may receive, mildest first (the order the "warning or above" rules compare by).
MEMBER_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISMISSAL, DisciplineForm.EXPULSION)
ORGANIZATION_FORMS = (DisciplineForm.REPRIMAND, DisciplineForm.WARNING, DisciplineForm.DISSOLUTION)


def form_severity(form: str) -> int:
    """0 for a reprimand, 1 for a warning, 2 and more above it (dismissal, expulsion; dissolution for a unit)."""
    order = MEMBER_FORMS if form in MEMBER_FORMS else ORGANIZATION_FORMS
    return list(order).index(form)


class Discipline(models.Model):
    """One disciplinary decision against a member or an organization (exactly one of them)."""

    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), null=True, blank=True, on_delete=models.PROTECT, related_name="disciplines"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức đảng"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disciplines",
    )
    form = models.CharField(_("hình thức"), max_length=12, choices=DisciplineForm.choices)
    decided_on = models.DateField(_("ngày quyết định"))
    decision_ref = models.CharField(_("số quyết định"), max_length=60)
    deciding_body = models.CharField(_("cơ quan quyết định"), max_length=200)
    corruption = models.BooleanField(
        _("vụ việc tham nhũng"),
        default=False,
        help_text=_("Kỷ luật do vụ việc tham nhũng (Quy định 124-QĐ/TW xét tập thể cấp trên)."),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["-decided_on", "pk"]
        constraints = [
            one_of_constraint(
                "member",
                "organization",
                name="discipline_member_xor_organization",
                message=_("Ghi đảng viên hoặc tổ chức đảng bị kỷ luật, chỉ một trong hai."),
            ),
            models.CheckConstraint(
                condition=(Q(member__isnull=True) | Q(form__in=[f.value for f in MEMBER_FORMS]))
                & (Q(organization__isnull=True) | Q(form__in=[f.value for f in ORGANIZATION_FORMS])),
                name="discipline_form_fits_subject",
                violation_error_message=_(
                    "Hình thức kỷ luật không hợp: đảng viên (khiển trách, cảnh cáo, cách chức, khai trừ), tổ chức "
                    "đảng (khiển trách, cảnh cáo, giải tán)."
                ),
            ),
        ]
        indexes = [models.Index(fields=["decided_on"], name="discipline_decided_on")]

    def __str__(self) -> str:
        subject = self.member or self.organization
        return f"{subject}: {self.get_form_display()} ({self.decision_ref})"


class MemberStatusKind(models.TextChoices):
    """The dated statuses that keep a member out of the year's rating: each is the not-rated reason of the same code
    and name, which regulation.members suggests from the status."""

    EXEMPT = NotRatedReason.EXEMPT.value, NotRatedReason.EXEMPT.label
    SUSPENDED = NotRatedReason.SUSPENDED.value, NotRatedReason.SUSPENDED.label


class MemberStatusSpan(models.Model):
    """A time a member was exempt from party work or suspended: outside the rated total in the years it covers."""

    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.CASCADE, related_name="status_spans"
    )
    kind = models.CharField(_("tình trạng"), max_length=12, choices=MemberStatusKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("miễn, đình chỉ sinh hoạt")
        verbose_name_plural = _("miễn, đình chỉ sinh hoạt")
        ordering = ["member", "start"]
        constraints = [
            range_constraint(
                "start",
                "end",
                name="member_status_span_range",
                message=_("Ngày kết thúc phải từ ngày bắt đầu trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.start}–{self.end or ''}"

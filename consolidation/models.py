"""Consolidation of weak units: programmes, plans, seconded cadres, working groups, tasks and indicators."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Organization
from assessments.models.constraints import range_constraint
from assessments.models.fields import acting_user_field, optional_level_field, year_field

DEFAULT_PARENT_BODY = "Đảng bộ tỉnh Lạng Sơn"
DEFAULT_ISSUING_BODY = "Huyện ủy Bắc Sơn"
DEFAULT_PLACE = "Bắc Sơn"


def letterhead_fields() -> tuple[models.CharField, ...]:
    """The letterhead of a document the district issues, in this order: the body above the issuer, the issuer, the
    place it is dated at (the district's own by default)."""
    return (
        models.CharField(_("cấp trên của cơ quan ban hành"), max_length=120, default=DEFAULT_PARENT_BODY),
        models.CharField(_("cơ quan ban hành"), max_length=120, default=DEFAULT_ISSUING_BODY),
        models.CharField(_("địa danh"), max_length=60, default=DEFAULT_PLACE),
    )


def signature_fields() -> tuple[models.Field, ...]:
    """The foot of a document the district issues, in this order: the signer's post, the signer, the recipients."""
    return (
        models.CharField(_("chức vụ người ký"), max_length=120, blank=True),
        models.CharField(_("người ký"), max_length=120, blank=True),
        models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận")),
    )


class RecipientLinesMixin:
    """The recipients of a document with a signature foot as its templates list them."""

    @property
    def recipient_lines(self) -> list[str]:
        """One a line, without blank lines."""
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


class Programme(RecipientLinesMixin, models.Model):
    """A multi-year programme (đề án) and the district plan that implements it."""

    name = models.CharField(_("tên đề án"), max_length=300)
    # The party committee that issued the programme: its scope is who reads it (404 for everybody else).
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("cấp ủy ban hành"),
        on_delete=models.PROTECT,
        related_name="consolidation_programmes",
    )
    first_year = year_field(_("từ năm"))
    last_year = year_field(_("đến năm"))
    plan_number = models.CharField(
        _("số kế hoạch thực hiện"), max_length=40, blank=True, help_text=_("Ví dụ: 32-KH/HU")
    )
    plan_issued_on = models.DateField(_("ngày ban hành kế hoạch"), null=True, blank=True)
    parent_body, issuing_body, place = letterhead_fields()
    description = models.TextField(_("nội dung chính"), blank=True)
    report_number = models.CharField(
        _("số báo cáo kết quả"), max_length=40, blank=True, help_text=_("Ví dụ: 120-BC/HU; để trống khi chưa vào sổ")
    )
    signer_post, signer_name, recipients = signature_fields()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đề án")
        verbose_name_plural = _("đề án")
        ordering = ["-first_year", "name"]
        constraints = [
            range_constraint(
                "first_year",
                "last_year",
                end_optional=False,
                name="programme_year_range",
                message=_("Năm kết thúc phải từ năm bắt đầu trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.period in self.name else f"{self.name} ({self.period})"

    @property
    def period(self) -> str:
        return f"{self.first_year}–{self.last_year}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Đã hủy")


# The only status changes a plan may go through; services.plan_transition enforces them.
PLAN_TRANSITIONS: dict[str, tuple[str, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.ACTIVE, PlanStatus.CANCELLED),
    PlanStatus.ACTIVE: (PlanStatus.COMPLETED, PlanStatus.CANCELLED),
    PlanStatus.COMPLETED: (),
    PlanStatus.CANCELLED: (),
}


class PlanQuerySet(models.QuerySet):
    def active(self) -> "PlanQuerySet":
        return self.filter(status=PlanStatus.ACTIVE)

    def carried_out(self) -> "PlanQuerySet":
        """Plans that were put into effect (active or completed), as opposed to drafts and cancelled ones."""
        return self.filter(status__in=(PlanStatus.ACTIVE, PlanStatus.COMPLETED))


class Plan(RecipientLinesMixin, models.Model):
    """The Standing Board's plan to consolidate one weak unit (e.g. Kế hoạch số 49-KH/HU)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("đề án"), null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField(_("số, ký hiệu"), max_length=40, help_text=_("Ghi như trên văn bản, ví dụ: 49-KH/HU"))
    issued_on = models.DateField(_("ngày ban hành"))
    parent_body, issuing_body, place = letterhead_fields()
    title = models.CharField(
        _("trích yếu"), max_length=300, blank=True, help_text=_("Để trống để dùng “Củng cố, kiện toàn” và tên đơn vị")
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("đơn vị được củng cố"),
        on_delete=models.PROTECT,
        related_name="consolidation_plans",
    )
    baseline_year = year_field(_("năm xếp loại làm căn cứ"))
    baseline_level = optional_level_field(_("mức xếp loại làm căn cứ"))
    goals = models.TextField(_("mục đích, yêu cầu"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    closing_assessment = models.TextField(_("đánh giá kết thúc"), blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    signer_post, signer_name, recipients = signature_fields()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch củng cố")
        verbose_name_plural = _("kế hoạch củng cố")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "number"],
                name="plan_number_unique_per_body",
                violation_error_message=_("Cơ quan này đã có kế hoạch mang số đó."),
            ),
            # A unit is consolidated by one plan at a time; candidates are units without an active plan.
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="active"),
                name="plan_one_active_per_unit",
                violation_error_message=_("Đơn vị này đang có một kế hoạch củng cố khác."),
            ),
        ]
        indexes = [models.Index(fields=["status", "organization"], name="plan_status_org")]

    def __str__(self) -> str:
        return f"{self.number} – {self.organization}"

    @property
    def display_title(self) -> str:
        return self.title or _("Củng cố, kiện toàn %(unit)s") % {"unit": self.organization.name}

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return PLAN_TRANSITIONS[self.status]


class SecondedCadre(models.Model):
    """A district cadre sent into a post of the unit for the plan (tăng cường cán bộ)."""

    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch củng cố"), on_delete=models.CASCADE, related_name="cadres")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    home_post = models.CharField(
        _("chức vụ nơi công tác"), max_length=200, help_text=_("Ví dụ: Phó Trưởng phòng Nông nghiệp huyện")
    )
    unit_post = models.CharField(
        _("chức vụ được tăng cường"), max_length=200, help_text=_("Ví dụ: Phó Bí thư Đảng ủy, Chủ tịch UBND xã")
    )
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cán bộ tăng cường")
        verbose_name_plural = _("cán bộ tăng cường")
        ordering = ["plan", "start", "id"]
        constraints = [
            range_constraint(
                "start", "end", name="seconded_cadre_valid_range", message=_("Ngày kết thúc phải sau ngày bắt đầu.")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} – {self.unit_post}"


class GroupRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class WorkingGroupMember(models.Model):
    """A member of the district working group (tổ công tác) that follows the plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch củng cố"), on_delete=models.CASCADE, related_name="group_members"
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    post = models.CharField(_("chức vụ, đơn vị"), max_length=200, blank=True)
    role = models.CharField(_("nhiệm vụ trong tổ"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên tổ công tác")
        verbose_name_plural = _("thành viên tổ công tác")
        ordering = ["plan", "role", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class ContentArea(models.TextChoices):
    POLITICAL = "political", _("Công tác chính trị, tư tưởng trong cán bộ, đảng viên và nhân dân")
    LEADERSHIP = "leadership", _("Năng lực lãnh đạo của cấp ủy")
    ADMINISTRATION = "administration", _("Quản lý, điều hành của Ủy ban nhân dân")
    DISCIPLINE = "discipline", _("Kỷ luật, kỷ cương, tác phong của cán bộ")
    SOCIO_ECONOMIC = "socio_economic", _("Chỉ tiêu kinh tế - xã hội")
    OTHER = "other", _("Nội dung khác")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("kế hoạch củng cố"), on_delete=models.CASCADE, related_name="tasks")
    area = models.CharField(_("nội dung"), max_length=16, choices=ContentArea.choices)
    description = models.TextField(_("nhiệm vụ"))
    owner = models.CharField(_("người, nơi chủ trì"), max_length=200, blank=True)
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    status = models.CharField(_("tiến độ"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "area", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Past its due date and not done."""
        today = today or datetime.date.today()
        return self.status != TaskStatus.DONE and self.due_on is not None and self.due_on < today


class TaskProgress(models.Model):
    """A dated progress note on a task, recorded by the unit or the working group."""

    task = models.ForeignKey(Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="progress_notes")
    noted_on = models.DateField(_("ngày"))
    note = models.TextField(_("kết quả thực hiện"))
    recorded_by = acting_user_field(_("người ghi"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiến độ nhiệm vụ")
        verbose_name_plural = _("tiến độ nhiệm vụ")
        ordering = ["task", "noted_on", "id"]

    def __str__(self) -> str:
        return f"{self.noted_on}: {self.note[:60]}"


class Indicator(models.Model):
    """A local indicator followed during the plan (poor households, income per person, new-rural criteria…)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("kế hoạch củng cố"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("chỉ tiêu"), max_length=200)
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=40)
    baseline_value = models.DecimalField(_("giá trị ban đầu"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = year_field(_("năm ban đầu"), null=True, blank=True)
    target_value = models.DecimalField(_("mục tiêu"), max_digits=14, decimal_places=2, null=True, blank=True)
    higher_is_better = models.BooleanField(
        _("càng cao càng tốt"), default=True, help_text=_("Bỏ chọn với chỉ tiêu cần giảm, như số hộ nghèo")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu theo dõi")
        verbose_name_plural = _("chỉ tiêu theo dõi")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit_of_measure})"

    @property
    def latest_measurement(self) -> "Measurement | None":
        """The most recent value; reads prefetched measurements when the page prefetched them."""
        measurements = sorted(self.measurements.all(), key=lambda m: (m.measured_on, m.pk))
        return measurements[-1] if measurements else None


class Measurement(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="measurements"
    )
    measured_on = models.DateField(_("ngày số liệu"))
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = acting_user_field(_("người ghi"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        ordering = ["indicator", "measured_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="measurement_one_per_day",
                violation_error_message=_("Chỉ tiêu này đã có số liệu của ngày đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.measured_on}: {self.value}"

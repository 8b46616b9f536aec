"""Organizations as a dated tree, members, rating schemes as data, and the yearly assessments."""

import datetime
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Concat
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.common.text import fold

MIN_YEAR, MAX_YEAR = 1930, 2100
CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$", _("Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch nối.")
)
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]


def year_end(year: int) -> datetime.date:
    """A unit counts in year Y when it exists on 31 December of Y."""
    return datetime.date(year, 12, 31)


class Kind(models.TextChoices):
    PROVINCE = "province", _("Đảng bộ tỉnh")
    DISTRICT = "district", _("Đảng bộ huyện")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Đảng bộ cơ sở")
    GRASSROOTS_CELL = "grassroots_cell", _("Chi bộ cơ sở")
    SUBCOMMITTEE = "subcommittee", _("Đảng ủy bộ phận")
    CELL = "cell", _("Chi bộ trực thuộc đảng ủy cơ sở")


GRASSROOTS_KINDS = (Kind.GRASSROOTS_COMMITTEE, Kind.GRASSROOTS_CELL)
# Kinds a member may belong to directly.
MEMBER_KINDS = (Kind.GRASSROOTS_CELL, Kind.CELL)


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    TOWN = "town", _("Thị trấn")
    AGENCY = "agency", _("Cơ quan hành chính, Đảng, đoàn thể")
    PUBLIC_SERVICE = "public_service", _("Đơn vị sự nghiệp")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    MILITARY = "military", _("Quân đội")
    POLICE = "police", _("Công an")


class OrganizationQuerySet(models.QuerySet):
    def existing_on(self, day: datetime.date) -> "OrganizationQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def for_year(self, year: int) -> "OrganizationQuerySet":
        """Units as the tree stood on 31 December of the year."""
        return self.existing_on(year_end(year))

    def subtree(self, organization: "Organization") -> "OrganizationQuerySet":
        return self.filter(path__startswith=organization.path)

    def grassroots(self) -> "OrganizationQuerySet":
        return self.filter(kind__in=GRASSROOTS_KINDS)


class Organization(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("loại tổ chức"), max_length=24, choices=Kind.choices)
    sector = models.CharField(_("loại hình"), max_length=16, choices=Sector.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialized path of codes ("LS/BS/BS-DONG-Y/"): a subtree is one indexed prefix match at any scale.
    path = models.CharField(max_length=400, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("thành lập từ"), null=True, blank=True)
    valid_to = models.DateField(_("tồn tại đến"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", verbose_name=_("đơn vị kế thừa"), symmetrical=False, blank=True, related_name="predecessors"
    )
    history = HistoricalRecords(excluded_fields=["name_folded", "path", "depth"], m2m_fields=[successors])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ chức đảng")
        verbose_name_plural = _("tổ chức đảng")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="organization_valid_range",
                violation_error_message=_("Ngày kết thúc phải sau ngày thành lập."),
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="organization_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Derived columns only; the subtree's paths are kept right by services.organization_save.
        self.name_folded = fold(self.name)
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        self.depth = self.path.count("/") - 1
        super().save(*args, **kwargs)

    def exists_in(self, year: int) -> bool:
        day = year_end(year)
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_grassroots(self) -> bool:
        return self.kind in GRASSROOTS_KINDS


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    OFFICIAL = "official", _("Chính thức")
    PROBATIONARY = "probationary", _("Dự bị")


class Member(models.Model):
    card_number = models.CharField(_("số thẻ đảng viên"), max_length=20, unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    admitted_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    official_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=MemberStatus.choices)
    # The current cell; the dated history is in Membership (services.member_transfer keeps both in step).
    organization = models.ForeignKey(
        Organization, verbose_name=_("chi bộ"), on_delete=models.PROTECT, related_name="members"
    )
    history = HistoricalRecords(excluded_fields=["name_folded"])

    class Meta:
        verbose_name = _("đảng viên")
        verbose_name_plural = _("đảng viên")
        ordering = ["name_folded", "card_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official_on__isnull=True)
                | Q(admitted_on__isnull=True)
                | Q(official_on__gte=models.F("admitted_on")),
                name="member_official_after_admission",
                violation_error_message=_("Ngày chính thức phải sau ngày vào Đảng."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.card_number})"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A member's time in one cell; a transfer closes one membership and opens the next."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("sinh hoạt đảng")
        verbose_name_plural = _("quá trình sinh hoạt đảng")
        ordering = ["member", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(end__isnull=True),
                name="membership_one_open_per_member",
                violation_error_message=_("Đảng viên chỉ sinh hoạt ở một chi bộ tại một thời điểm."),
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="membership_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organization.code} {self.start}–{self.end or ''}"


class Subject(models.TextChoices):
    UNIT = "unit", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")


class RatingSchemeQuerySet(models.QuerySet):
    def for_year(self, year: int) -> "RatingSchemeQuerySet":
        return self.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))


# Per-context memo of RatingScheme.for_year, set only inside RatingScheme.memoized() (a bulk import).
_SCHEMES_BY_YEAR: ContextVar[dict | None] = ContextVar("schemes_by_year", default=None)


class RatingScheme(models.Model):
    """A regulation's rating scale and the years it is in force; data, so a new one needs no code."""

    code = models.CharField(_("mã"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("văn bản"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(
        _("áp dụng đến năm"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    history = HistoricalRecords()

    objects = RatingSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định xếp loại")
        verbose_name_plural = _("quy định xếp loại")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=models.F("first_year")),
                name="scheme_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def for_year(cls, year: int) -> "RatingScheme | None":
        """The scheme in force for a year; overlapping schemes are refused by services, newest wins anyway."""
        memo = _SCHEMES_BY_YEAR.get()
        if memo is not None and year in memo:
            return memo[year]
        scheme = cls.objects.for_year(year).order_by("-first_year").first()
        if memo is not None:
            memo[year] = scheme
        return scheme

    @classmethod
    @contextmanager
    def memoized(cls):
        """Within the block each year's scheme is looked up once: bulk imports check the rules on every row."""
        token = _SCHEMES_BY_YEAR.set({})
        try:
            yield
        finally:
            _SCHEMES_BY_YEAR.reset(token)

    def covers(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class RatingLevel(models.Model):
    scheme = models.ForeignKey(RatingScheme, on_delete=models.CASCADE, related_name="levels")
    subject = models.CharField(_("đối tượng"), max_length=8, choices=Subject.choices)
    code = models.CharField(_("mã"), max_length=24)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("1 là mức cao nhất"))
    label_vi = models.CharField(_("tên tiếng Việt"), max_length=120)
    label_en = models.CharField(_("tên tiếng Anh"), max_length=120, blank=True)
    is_top = models.BooleanField(_("mức cao nhất"), default=False)
    is_good_or_better = models.BooleanField(_("tốt trở lên"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mức xếp loại")
        verbose_name_plural = _("mức xếp loại")
        ordering = ["scheme__first_year", "subject", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "subject", "code"], name="level_code_unique_in_scheme"),
            models.UniqueConstraint(fields=["scheme", "subject", "rank"], name="level_rank_unique_in_scheme"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "vi").startswith("en") and self.label_en:
            return self.label_en
        return self.label_vi


class NotRatedReason(models.TextChoices):
    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
    ADMITTED_RECENTLY = "admitted_recently", _("Vào Đảng chưa đủ 6 tháng")
    FOUNDED_RECENTLY = "founded_recently", _("Thành lập chưa đủ 6 tháng")
    OTHER = "other", _("Lý do khác")


MEMBER_REASONS = (
    NotRatedReason.EXEMPT,
    NotRatedReason.SUSPENDED,
    NotRatedReason.ADMITTED_RECENTLY,
    NotRatedReason.OTHER,
)
UNIT_REASONS = (NotRatedReason.FOUNDED_RECENTLY, NotRatedReason.OTHER)


class AssessmentQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def rated(self):
        return self.filter(level__isnull=False)


class UnitAssessment(models.Model):
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    self_level = models.ForeignKey(
        RatingLevel,
        verbose_name=_("tự đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.ForeignKey(
        RatingLevel,
        verbose_name=_("xếp loại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exemplary = models.BooleanField(_("tiêu biểu"), default=False)
    not_rated_reason = models.CharField(
        _("lý do không xếp loại"), max_length=20, choices=NotRatedReason.choices, blank=True
    )
    decision_ref = models.CharField(_("số quyết định"), max_length=60, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("xếp loại tổ chức đảng")
        verbose_name_plural = _("xếp loại tổ chức đảng")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="unit_assessment_one_per_year",
                violation_error_message=_("Tổ chức này đã có bản xếp loại của năm đó."),
            ),
            models.CheckConstraint(
                condition=Q(exemplary=False) | Q(level__isnull=False),
                name="unit_exemplary_needs_level",
                violation_error_message=_("Chỉ đơn vị đã xếp loại mới có thể là tiêu biểu."),
            ),
            models.CheckConstraint(
                condition=Q(not_rated_reason="") | Q(level__isnull=True),
                name="unit_rated_has_no_reason",
                violation_error_message=_("Đơn vị đã xếp loại thì không ghi lý do không xếp loại."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="unit_assessment_year_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "level"], name="unit_assessment_year_level")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"

    @property
    def is_weak(self) -> bool:
        """Rated at the lowest level of its scheme (weak before 2018, not completed after)."""
        return self.level_id is not None and self.level.rank == 4


class MemberAssessment(models.Model):
    member = models.ForeignKey(
        Member, verbose_name=_("đảng viên"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("nơi đánh giá"),
        on_delete=models.PROTECT,
        related_name="member_assessments",
    )
    level = models.ForeignKey(
        RatingLevel,
        verbose_name=_("xếp loại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    not_rated_reason = models.CharField(
        _("lý do không xếp loại"), max_length=20, choices=NotRatedReason.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("xếp loại đảng viên")
        verbose_name_plural = _("xếp loại đảng viên")
        ordering = ["-year", "member__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="member_assessment_one_per_year",
                violation_error_message=_("Đảng viên này đã có bản xếp loại của năm đó."),
            ),
            models.CheckConstraint(
                condition=(Q(level__isnull=False) & Q(not_rated_reason=""))
                | (Q(level__isnull=True) & ~Q(not_rated_reason="")),
                name="member_rated_xor_reason",
                violation_error_message=_("Ghi mức xếp loại, hoặc lý do không xếp loại, không ghi cả hai."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="member_assessment_year_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "organization", "level"], name="member_assessment_year_org")]

    def __str__(self) -> str:
        return f"{self.member} – {self.year}"


class Role(models.TextChoices):
    OFFICER = "officer", _("Cán bộ Ban Tổ chức")
    LEADER = "leader", _("Lãnh đạo (Ban Thường vụ)")
    SECRETARY = "secretary", _("Bí thư cơ sở")
    ADMIN = "admin", _("Quản trị hệ thống")


class User(AbstractUser):
    """A person who logs in; their role and organization decide what they may see and do."""

    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices, default=Role.SECRETARY)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(is_superuser=True) | Q(organization__isnull=False),
                name="user_scoped_unless_admin",
                violation_error_message=_("Tài khoản không phải quản trị phải gắn với một tổ chức."),
            ),
        ]


class Summary(models.Model):
    """Stored yearly counts of one organization (the summary JSON), recomputed by Celery; read in one query."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.CASCADE, related_name="summaries"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    scheme_code = models.CharField(_("quy định"), max_length=20, blank=True)
    units_total = models.PositiveIntegerField(_("số đơn vị trực thuộc"), default=0)
    units_rated = models.PositiveIntegerField(_("số đơn vị đã xếp loại"), default=0)
    units_exemplary = models.PositiveIntegerField(_("số đơn vị tiêu biểu"), default=0)
    # [[level code, count], ...] best first: a list keeps rank order, which jsonb would lose for object keys.
    unit_levels = models.JSONField(_("đơn vị theo mức"), default=list)
    members_total = models.PositiveIntegerField(_("số đảng viên"), default=0)
    members_rated = models.PositiveIntegerField(_("số đảng viên đã xếp loại"), default=0)
    members_good_or_better = models.PositiveIntegerField(_("số đảng viên tốt trở lên"), default=0)
    member_levels = models.JSONField(_("đảng viên theo mức"), default=list)
    computed_at = models.DateTimeField(_("tính lúc"), null=True, blank=True)
    # Both level lists as the database prints them, kept by the database: the full recompute compares the lists it
    # builds as text with this instead of printing every stored row's jsonb (summaries._recompute_statement).
    levels_text = models.GeneratedField(
        expression=Concat(Cast("unit_levels", models.TextField()), Cast("member_levels", models.TextField())),
        output_field=models.TextField(),
        db_persist=True,
    )
    # Bumped in the writer's own transaction by every change; the counts include changes up to computed_version.
    version = models.PositiveBigIntegerField(default=1)
    computed_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="summary_one_per_organization_year"),
        ]
        indexes = [models.Index(fields=["year", "organization"], name="summary_year_org")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"

    @property
    def stale(self) -> bool:
        """True while a committed change has not yet been absorbed into the counts."""
        return self.version != self.computed_version


def _import_upload_to(instance: "ImportRecord", filename: str) -> str:
    # A random name: the uploader's file name is kept only as data, never as a path.
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportRecord(models.Model):
    """One upload or command import of a file: who, when, what, how it ended; the file itself is kept."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Đang kiểm tra")
        VALIDATED = "validated", _("Đã kiểm tra, chờ xác nhận")
        IMPORTING = "importing", _("Đang ghi dữ liệu")
        SUCCEEDED = "succeeded", _("Đã nhập")
        FAILED = "failed", _("Có lỗi, không ghi gì")
        REJECTED = "rejected", _("Tệp bị từ chối")

    user = models.ForeignKey(
        "User",
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
    )
    created_at = models.DateTimeField(_("lúc tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)
    data_type = models.CharField(_("loại dữ liệu"), max_length=16)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # Stored under MEDIA_ROOT with a random name; served only by a scope-checked view, as an attachment.
    file = models.FileField(_("tệp"), upload_to=_import_upload_to, max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("kích thước"), default=0)
    source = models.CharField(_("nguồn"), max_length=8, default="web")
    dry_run = models.BooleanField(_("chạy thử"), default=False)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.VALIDATING)
    rows_estimated = models.PositiveIntegerField(_("số dòng ước tính"), default=0)
    rows = models.PositiveIntegerField(_("số dòng"), default=0)
    created = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    # The first errors ([row, column, message]) and a sample of changes, for the preview page.
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        verbose_name = _("lần nhập dữ liệu")
        verbose_name_plural = _("các lần nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.data_type}, {self.created_at:%d/%m/%Y %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.VALIDATING, self.Status.IMPORTING)


# --- the yearly cycle: opening a year, submissions, review documents ----------------------------------------------


class YearCycle(models.Model):
    """A year's assessment opened by an organization for the units directly under it (those existing at year end)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức mở đợt"), on_delete=models.PROTECT, related_name="cycles"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    scheme = models.ForeignKey(
        RatingScheme, verbose_name=_("quy định xếp loại"), on_delete=models.PROTECT, related_name="cycles"
    )
    deadline = models.DateField(_("hạn nộp"))
    opened_by = models.ForeignKey(
        "User", verbose_name=_("người mở"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("mở lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt đánh giá năm")
        verbose_name_plural = _("đợt đánh giá năm")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="year_cycle_one_per_organization_year",
                violation_error_message=_("Tổ chức này đã mở đợt đánh giá của năm đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} – {self.year}"

    def units(self) -> OrganizationQuerySet:
        """The units to rate: directly subordinate, existing on 31 December of the year."""
        return Organization.objects.filter(parent=self.organization).for_year(self.year)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    SUBMITTED = "submitted", _("Đã gửi, chờ thẩm định")
    RETURNED = "returned", _("Bị trả lại để sửa")
    FINALIZED = "finalized", _("Đã chốt kết quả")


# While a submission is in these states its unit (the secretary) may still change things.
EDITABLE_STATUSES = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Submission(models.Model):
    """One unit's file for one year: what it sends up, its state, and the district's answer."""

    cycle = models.ForeignKey(
        YearCycle, verbose_name=_("đợt đánh giá"), on_delete=models.PROTECT, related_name="submissions"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    # The district Organization Board's appraisal, before the Standing Board's decision is recorded.
    proposed_level = models.ForeignKey(
        RatingLevel,
        verbose_name=_("Ban Tổ chức đề xuất"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "User", verbose_name=_("người gửi"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_by = models.ForeignKey(
        "User", verbose_name=_("người trả lại"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("ý kiến khi trả lại"), blank=True)
    finalized_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    finalized_by = models.ForeignKey(
        "User", verbose_name=_("người chốt"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(_("lý do vượt kiểm tra quy định"), blank=True)
    reopen_reason = models.TextField(_("lý do mở lại"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # Reasons (return comments, overrides, reopenings) are kept whole in the history, not cut at 100 characters.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("hồ sơ đánh giá")
        verbose_name_plural = _("hồ sơ đánh giá")
        ordering = ["-cycle__year", "organization__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                name="submission_one_per_unit_cycle",
                violation_error_message=_("Đơn vị này đã có hồ sơ trong đợt đánh giá đó."),
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="submission_org_status")]

    def __str__(self) -> str:
        return f"{self.organization} – {self.cycle.year}"

    @property
    def year(self) -> int:
        return self.cycle.year

    @property
    def is_editable(self) -> bool:
        """The unit may still change its file: not yet sent, or sent back by the district."""
        return self.status in EDITABLE_STATUSES


def _review_upload_to(instance: "ReviewDocument", filename: str) -> str:
    import uuid

    # A random name: the uploader's file name is kept only as data, never as a path.
    return f"reviews/{uuid.uuid4().hex}.{instance.kind}"


class ReviewDocument(models.Model):
    """One version of a unit's review report (báo cáo kiểm điểm); every upload is a new version, none is replaced."""

    class FileKind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    submission = models.ForeignKey(
        Submission, verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="documents"
    )
    version = models.PositiveIntegerField(_("lần nộp"))
    file = models.FileField(_("tệp"), upload_to=_review_upload_to, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("định dạng"), max_length=4, choices=FileKind.choices)
    size = models.PositiveBigIntegerField(_("kích thước (byte)"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        "User", verbose_name=_("người tải lên"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo kiểm điểm")
        verbose_name_plural = _("báo cáo kiểm điểm")
        ordering = ["submission", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "version"], name="review_document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.version})"

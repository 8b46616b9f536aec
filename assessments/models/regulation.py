"""The regulation by period as data: the guidance periods (years each guidance text is in force), the rules of each
period with their source and parameters, and the overrides a competent body records when it decides against a rule."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models.collectives import Title
from assessments.models.constraints import range_constraint
from assessments.models.fields import acting_user_field, year_field
from assessments.models.organizations import CODE_VALIDATOR, Kind, Organization, Sector
from assessments.models.spans import InForce, InForceQuerySet, in_force_fields


class Rule(models.TextChoices):
    """The checks the app knows how to run; which of them bind in a year, and with which numbers, is data."""

    MEMBER_CAP_20 = "member_cap_20", _("Đảng viên xuất sắc không quá tỷ lệ của số hoàn thành tốt")
    UNIT_CAP_20 = "unit_cap_20", _("Tổ chức đảng xuất sắc không quá tỷ lệ của nhóm đơn vị tương đồng")
    UNIT_EXCELLENT_THRESHOLDS = "unit_excellent_thresholds", _("Điều kiện để tổ chức đảng hoàn thành xuất sắc")
    UNIT_GOOD_THRESHOLDS = "unit_good_thresholds", _("Điều kiện để tổ chức đảng hoàn thành tốt")
    HD27_WEAK_COMMITTEE = "hd27_weak_committee", _("Đảng bộ có quá tỷ lệ đơn vị trực thuộc yếu kém")
    HD27_WEAK_CELL = "hd27_weak_cell", _("Chi bộ có quá tỷ lệ đảng viên không hoàn thành nhiệm vụ")
    MEMBER_DISCIPLINED = "member_disciplined", _("Đảng viên bị kỷ luật trong năm")
    COLLECTIVE_DISCIPLINED = "collective_disciplined", _("Tập thể bị kỷ luật hoặc có đơn vị, đảng viên bị kỷ luật")
    SICK_LEAVE = "sick_leave", _("Đảng viên nghỉ ốm dài ngày")
    CIVIL_SERVANT_LEVEL = "civil_servant_level", _("Không cao hơn mức xếp loại công chức")
    ADMITTED_RECENTLY = "admitted_recently", _("Đảng viên vào Đảng chưa đủ thời gian")
    FOUNDED_RECENTLY = "founded_recently", _("Tổ chức đảng thành lập chưa đủ thời gian")
    LEADER_ABOVE_COLLECTIVE = "leader_above_collective", _("Người đứng đầu xếp cao hơn tập thể mình đứng đầu")
    LEADER_BEFORE_COLLECTIVE = "leader_before_collective", _("Người đứng đầu xếp loại trước tập thể")
    LEADER_CAP_20 = "leader_cap_20", _("Cá nhân lãnh đạo xuất sắc không quá tỷ lệ trong nhóm chức danh tương đương")
    LEADERSHIP_DISCIPLINED = "leadership_disciplined", _("Tập thể lãnh đạo có thành viên hoặc tổ chức bị kỷ luật")


class RatingWord(models.TextChoices):
    """The word a period's guidance text uses for rating: Hướng dẫn 27 "phân loại", later texts "xếp loại"."""

    CLASSIFICATION = "classification", _("phân loại")
    RANKING = "ranking", _("xếp loại")


class GuidancePeriodQuerySet(InForceQuerySet):
    def for_year(self, year: int) -> "GuidancePeriodQuerySet":
        """The periods covering a year, the latest first (it wins if a district entered overlapping periods)."""
        return super().for_year(year).order_by("-first_year")


class GuidancePeriod(InForce, models.Model):
    """The years one guidance text governs the assessment (Hướng dẫn 27 for 2014–2017, 21 for 2019–2022, ...)."""

    code = models.CharField(_("mã"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("văn bản hướng dẫn"), max_length=200)
    first_year, last_year = in_force_fields()
    rating_word = models.CharField(
        _("từ dùng trong văn bản"),
        max_length=14,
        choices=RatingWord.choices,
        default=RatingWord.RANKING,
        help_text=_("Văn bản của giai đoạn nói “đánh giá, phân loại” hay “đánh giá, xếp loại”."),
    )
    history = HistoricalRecords()

    objects = GuidancePeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("giai đoạn hướng dẫn")
        verbose_name_plural = _("giai đoạn hướng dẫn")
        ordering = ["first_year"]
        constraints = [
            range_constraint(
                "first_year",
                "last_year",
                name="guidance_period_year_range",
                message=_("Năm cuối phải từ năm đầu trở đi."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodRule(models.Model):
    """One rule of one period: on or off, where it is written, and its numbers (percentages, months) as data."""

    period = models.ForeignKey(
        GuidancePeriod, verbose_name=_("giai đoạn"), on_delete=models.CASCADE, related_name="rules"
    )
    rule = models.CharField(_("quy tắc"), max_length=40, choices=Rule.choices)
    enabled = models.BooleanField(
        _("áp dụng"),
        default=True,
        help_text=_("Bỏ chọn để không kiểm tra quy tắc này trong giai đoạn (ví dụ khi văn bản không quy định)."),
    )
    source = models.CharField(
        _("căn cứ"), max_length=200, help_text=_("Văn bản và mục quy định, hiển thị cho người dùng.")
    )
    parameters = models.JSONField(_("tham số"), default=dict, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc của giai đoạn")
        verbose_name_plural = _("quy tắc của giai đoạn")
        ordering = ["period__first_year", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "rule"],
                name="period_rule_once",
                violation_error_message=_("Giai đoạn này đã có quy tắc đó."),
            ),
        ]

    def __str__(self) -> str:
        # Named as a person picks it (a rule setting's choices): the period's name and the rule's label, not codes.
        return f"{self.period.name}: {self.get_rule_display()}"


# The units with no sector recorded, a group of unit_cap_20 of their own: a blank group is the committee's whole.
NO_SECTOR_GROUP = "no_sector"


def cap_group_label(rule: str, code: str) -> str:
    """The name of a group a cap counts apart, from its code: a title's for leader_cap_20, a sector's or a kind's for
    unit_cap_20 (the codes of the two never meet); an unknown code as it is."""
    if rule == Rule.UNIT_CAP_20 and code == NO_SECTOR_GROUP:
        return str(_("chưa ghi loại hình"))
    for choices in (Title,) if rule == Rule.LEADER_CAP_20 else (Sector, Kind):
        if code in choices.values:
            return str(choices(code).label)
    return code


class RuleOverride(models.Model):
    """A competent body's decision to keep a level a rule refuses, with its written reason, who and when: for the
    unit, or for the one subject the rule judged: a leader (member and collective set), a collective (collective
    set: its discipline), or a group a cap counts apart (group set: the leaders of a title, the units of a sector or
    kind that the unit's committee decides)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("tổ chức đảng"), on_delete=models.PROTECT, related_name="rule_overrides"
    )
    # The leader a rule on one leader was overridden for: the member in the collective (a leader is rated per
    # collective). Blank for a rule on the unit, and for the leaders' overrides recorded before they were kept per
    # leader, which still cover every leader of the unit (regulation.overrides.overrides_apply).
    member = models.ForeignKey(
        "assessments.Member",
        verbose_name=_("cá nhân lãnh đạo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_overrides",
    )
    # The collective: the leader's, or, with no member, the collective whose own rating a rule was overridden for
    # (its discipline). Blank for the collectives' overrides recorded before they were kept per collective.
    collective = models.ForeignKey(
        "assessments.Collective",
        verbose_name=_("tập thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rule_overrides",
    )
    # The group a cap was overridden for, by its code: a title (leader_cap_20), a sector or kind (unit_cap_20). Blank
    # for every other subject, for a cap over all together, and for the overrides recorded before they were kept per
    # group, which still cover every group of the committee.
    group = models.CharField(_("nhóm"), max_length=40, blank=True)
    year = year_field(_("năm"))
    rule = models.CharField(_("quy tắc"), max_length=40, choices=Rule.choices)
    reason = models.TextField(_("lý do"))
    message = models.TextField(_("kết quả kiểm tra khi quyết định"), blank=True)
    decided_by = acting_user_field(_("người ghi"))
    decided_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định vượt kiểm tra quy định")
        verbose_name_plural = _("quyết định vượt kiểm tra quy định")
        ordering = ["-year", "organization__path", "rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "rule"],
                condition=Q(member__isnull=True, collective__isnull=True, group=""),
                name="rule_override_once",
                violation_error_message=_("Đơn vị này đã có quyết định vượt quy tắc đó trong năm."),
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "rule", "collective"],
                condition=Q(member__isnull=True, collective__isnull=False),
                name="rule_override_once_per_collective",
                violation_error_message=_("Tập thể này đã có quyết định vượt quy tắc đó trong năm."),
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "rule", "group"],
                condition=Q(member__isnull=True, collective__isnull=True) & ~Q(group=""),
                name="rule_override_once_per_group",
                violation_error_message=_("Nhóm này đã có quyết định vượt quy tắc đó trong năm."),
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "rule", "member", "collective"],
                condition=Q(member__isnull=False),
                name="rule_override_once_per_leader",
                violation_error_message=_("Cá nhân lãnh đạo này đã có quyết định vượt quy tắc đó trong năm."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=True) | Q(collective__isnull=False),
                name="rule_override_leader_whole",
                violation_error_message=_("Ghi cá nhân lãnh đạo cùng tập thể nơi người đó giữ chức danh."),
            ),
            models.CheckConstraint(
                condition=Q(group="") | Q(member__isnull=True, collective__isnull=True),
                name="rule_override_group_alone",
                violation_error_message=_("Nhóm ghi riêng, không cùng tập thể hay cá nhân lãnh đạo."),
            ),
        ]

    def __str__(self) -> str:
        subject = "/".join(
            part
            for part in (
                self.member.card_number if self.member_id else "",
                self.collective.code if self.collective_id else "",
                self.group,
            )
            if part
        )
        return f"{self.organization.code} {self.year} {self.rule}" + (f" {subject}" if subject else "")

    @property
    def subject_name(self) -> str:
        """The unit's name and the one subject the override covers, if any: a leader, a collective, a group."""
        if self.member_id:
            subject = self.member.full_name
        elif self.collective_id:
            subject = self.collective.name
        elif self.group:
            subject = _("nhóm %(group)s") % {"group": self.group_name}
        else:
            return self.organization.name
        return f"{self.organization.name} – {subject}"

    @property
    def group_name(self) -> str:
        return cap_group_label(self.rule, self.group)


class RuleSetting(models.Model):
    """A committee's switch of one period rule for its subtree (on or off, with the reason, who and when): the
    nearest setting up the tree wins over the period's default."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("cấp ủy quyết định"), on_delete=models.PROTECT, related_name="rule_settings"
    )
    period_rule = models.ForeignKey(
        PeriodRule, verbose_name=_("quy tắc của giai đoạn"), on_delete=models.CASCADE, related_name="settings"
    )
    enabled = models.BooleanField(_("áp dụng"))
    reason = models.TextField(_("lý do"))
    set_by = acting_user_field(_("người ghi"))
    set_at = models.DateTimeField(_("ghi lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("áp dụng quy tắc tại đơn vị")
        verbose_name_plural = _("áp dụng quy tắc tại đơn vị")
        ordering = ["organization__path", "period_rule__rule"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_rule"],
                name="rule_setting_once",
                violation_error_message=_("Đơn vị này đã có cài đặt cho quy tắc đó."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} {self.period_rule}"

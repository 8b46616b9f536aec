"""Leadership collectives, their positions, the ratings of collectives and leaders (issue 16), and the four rules
about them in every guidance period, on or off, with source and parameters."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

# Written here, not imported, so that this migration loads the same rows forever. A rule DOMAIN.md does not confirm
# for a period is loaded off with a note (as in 0011): a district that finds it in the text switches it on.
PERIODS = ("hd27-2014", "hd16-2018", "hd21-2019", "hd25-2023", "hd43-2025")
DEFAULTS = {
    "leader_above_collective": {},
    "leader_before_collective": {},
    "leader_cap_20": {"percent": 20, "group_by": "title"},
    "leadership_disciplined": {"own": False, "member_form": "warning", "best_level": "lowest"},
}
NOT_CONFIRMED = "Chưa xác nhận văn bản của giai đoạn này có quy tắc này: tắt; bật lại nếu văn bản có."
IN_FORCE = {
    ("hd43-2025", "leader_above_collective"): (
        "Quy định 366-QĐ/TW: người đứng đầu không xếp cao hơn tập thể do mình đứng đầu", {}),
    ("hd43-2025", "leader_before_collective"): (
        "Quy định 366-QĐ/TW: xếp loại người đứng đầu sau khi xếp loại tập thể", {}),
    ("hd21-2019", "leader_cap_20"): (
        "Hướng dẫn 21-HD/BTCTW: tỷ lệ cá nhân hoàn thành xuất sắc trong nhóm chức danh tương đương", {}),
    ("hd25-2023", "leader_cap_20"): (
        "Quy định 124-QĐ/TW: tỷ lệ cá nhân hoàn thành xuất sắc trong nhóm chức danh tương đương", {}),
    ("hd21-2019", "leadership_disciplined"): (
        "Hướng dẫn 21-HD/BTCTW: tập thể lãnh đạo có thành viên bị kỷ luật từ cảnh cáo trở lên", {}),
    ("hd25-2023", "leadership_disciplined"): (
        "Quy định 124-QĐ/TW: tập thể lãnh đạo bị kỷ luật", {"own": True, "member_form": None}),
    ("hd43-2025", "leadership_disciplined"): (
        "Quy định 366-QĐ/TW: hoàn thành xuất sắc khi không có thành viên của tập thể bị kỷ luật",
        {"own": True, "member_form": "reprimand", "best_level": "below_top"}),
}  # fmt: skip


def rules_load(apps, schema_editor):
    GuidancePeriod = apps.get_model("assessments", "GuidancePeriod")
    PeriodRule = apps.get_model("assessments", "PeriodRule")
    for period in GuidancePeriod.objects.filter(code__in=PERIODS):
        for rule, defaults in DEFAULTS.items():
            source, overrides = IN_FORCE.get((period.code, rule), (period.name, None))
            PeriodRule.objects.update_or_create(
                period=period,
                rule=rule,
                defaults={
                    "enabled": overrides is not None,
                    "source": source,
                    "parameters": {**defaults, **(overrides or {})},
                    "note": "" if overrides is not None else NOT_CONFIRMED,
                },
            )


def rules_unload(apps, schema_editor):
    apps.get_model("assessments", "PeriodRule").objects.filter(rule__in=list(DEFAULTS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0020_criteria_sets"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalperiodrule",
            name="rule",
            field=models.CharField(
                choices=[
                    ("member_cap_20", "Đảng viên xuất sắc không quá tỉ lệ của số hoàn thành tốt"),
                    ("unit_cap_20", "Tổ chức đảng xuất sắc không quá tỉ lệ của nhóm đơn vị tương đồng"),
                    ("unit_excellent_thresholds", "Điều kiện để tổ chức đảng hoàn thành xuất sắc"),
                    ("unit_good_thresholds", "Điều kiện để tổ chức đảng hoàn thành tốt"),
                    ("hd27_weak_committee", "Đảng bộ có quá tỉ lệ đơn vị trực thuộc yếu kém"),
                    ("hd27_weak_cell", "Chi bộ có quá tỉ lệ đảng viên không hoàn thành nhiệm vụ"),
                    ("member_disciplined", "Đảng viên bị kỷ luật trong năm"),
                    ("collective_disciplined", "Tập thể bị kỷ luật hoặc có đơn vị, đảng viên bị kỷ luật"),
                    ("sick_leave", "Đảng viên nghỉ ốm dài ngày"),
                    ("civil_servant_level", "Không cao hơn mức xếp loại công chức"),
                    ("admitted_recently", "Đảng viên vào Đảng chưa đủ thời gian"),
                    ("founded_recently", "Tổ chức đảng thành lập chưa đủ thời gian"),
                    ("leader_above_collective", "Người đứng đầu xếp cao hơn tập thể mình đứng đầu"),
                    ("leader_before_collective", "Người đứng đầu xếp loại trước tập thể"),
                    ("leader_cap_20", "Cá nhân lãnh đạo xuất sắc không quá tỉ lệ trong nhóm chức danh tương đương"),
                    ("leadership_disciplined", "Tập thể lãnh đạo có thành viên hoặc tổ chức bị kỷ luật"),
                ],
                max_length=40,
                verbose_name="quy tắc",
            ),
        ),
        migrations.AlterField(
            model_name="historicalruleoverride",
            name="rule",
            field=models.CharField(
                choices=[
                    ("member_cap_20", "Đảng viên xuất sắc không quá tỉ lệ của số hoàn thành tốt"),
                    ("unit_cap_20", "Tổ chức đảng xuất sắc không quá tỉ lệ của nhóm đơn vị tương đồng"),
                    ("unit_excellent_thresholds", "Điều kiện để tổ chức đảng hoàn thành xuất sắc"),
                    ("unit_good_thresholds", "Điều kiện để tổ chức đảng hoàn thành tốt"),
                    ("hd27_weak_committee", "Đảng bộ có quá tỉ lệ đơn vị trực thuộc yếu kém"),
                    ("hd27_weak_cell", "Chi bộ có quá tỉ lệ đảng viên không hoàn thành nhiệm vụ"),
                    ("member_disciplined", "Đảng viên bị kỷ luật trong năm"),
                    ("collective_disciplined", "Tập thể bị kỷ luật hoặc có đơn vị, đảng viên bị kỷ luật"),
                    ("sick_leave", "Đảng viên nghỉ ốm dài ngày"),
                    ("civil_servant_level", "Không cao hơn mức xếp loại công chức"),
                    ("admitted_recently", "Đảng viên vào Đảng chưa đủ thời gian"),
                    ("founded_recently", "Tổ chức đảng thành lập chưa đủ thời gian"),
                    ("leader_above_collective", "Người đứng đầu xếp cao hơn tập thể mình đứng đầu"),
                    ("leader_before_collective", "Người đứng đầu xếp loại trước tập thể"),
                    ("leader_cap_20", "Cá nhân lãnh đạo xuất sắc không quá tỉ lệ trong nhóm chức danh tương đương"),
                    ("leadership_disciplined", "Tập thể lãnh đạo có thành viên hoặc tổ chức bị kỷ luật"),
                ],
                max_length=40,
                verbose_name="quy tắc",
            ),
        ),
        migrations.AlterField(
            model_name="periodrule",
            name="rule",
            field=models.CharField(
                choices=[
                    ("member_cap_20", "Đảng viên xuất sắc không quá tỉ lệ của số hoàn thành tốt"),
                    ("unit_cap_20", "Tổ chức đảng xuất sắc không quá tỉ lệ của nhóm đơn vị tương đồng"),
                    ("unit_excellent_thresholds", "Điều kiện để tổ chức đảng hoàn thành xuất sắc"),
                    ("unit_good_thresholds", "Điều kiện để tổ chức đảng hoàn thành tốt"),
                    ("hd27_weak_committee", "Đảng bộ có quá tỉ lệ đơn vị trực thuộc yếu kém"),
                    ("hd27_weak_cell", "Chi bộ có quá tỉ lệ đảng viên không hoàn thành nhiệm vụ"),
                    ("member_disciplined", "Đảng viên bị kỷ luật trong năm"),
                    ("collective_disciplined", "Tập thể bị kỷ luật hoặc có đơn vị, đảng viên bị kỷ luật"),
                    ("sick_leave", "Đảng viên nghỉ ốm dài ngày"),
                    ("civil_servant_level", "Không cao hơn mức xếp loại công chức"),
                    ("admitted_recently", "Đảng viên vào Đảng chưa đủ thời gian"),
                    ("founded_recently", "Tổ chức đảng thành lập chưa đủ thời gian"),
                    ("leader_above_collective", "Người đứng đầu xếp cao hơn tập thể mình đứng đầu"),
                    ("leader_before_collective", "Người đứng đầu xếp loại trước tập thể"),
                    ("leader_cap_20", "Cá nhân lãnh đạo xuất sắc không quá tỉ lệ trong nhóm chức danh tương đương"),
                    ("leadership_disciplined", "Tập thể lãnh đạo có thành viên hoặc tổ chức bị kỷ luật"),
                ],
                max_length=40,
                verbose_name="quy tắc",
            ),
        ),
        migrations.AlterField(
            model_name="ruleoverride",
            name="rule",
            field=models.CharField(
                choices=[
                    ("member_cap_20", "Đảng viên xuất sắc không quá tỉ lệ của số hoàn thành tốt"),
                    ("unit_cap_20", "Tổ chức đảng xuất sắc không quá tỉ lệ của nhóm đơn vị tương đồng"),
                    ("unit_excellent_thresholds", "Điều kiện để tổ chức đảng hoàn thành xuất sắc"),
                    ("unit_good_thresholds", "Điều kiện để tổ chức đảng hoàn thành tốt"),
                    ("hd27_weak_committee", "Đảng bộ có quá tỉ lệ đơn vị trực thuộc yếu kém"),
                    ("hd27_weak_cell", "Chi bộ có quá tỉ lệ đảng viên không hoàn thành nhiệm vụ"),
                    ("member_disciplined", "Đảng viên bị kỷ luật trong năm"),
                    ("collective_disciplined", "Tập thể bị kỷ luật hoặc có đơn vị, đảng viên bị kỷ luật"),
                    ("sick_leave", "Đảng viên nghỉ ốm dài ngày"),
                    ("civil_servant_level", "Không cao hơn mức xếp loại công chức"),
                    ("admitted_recently", "Đảng viên vào Đảng chưa đủ thời gian"),
                    ("founded_recently", "Tổ chức đảng thành lập chưa đủ thời gian"),
                    ("leader_above_collective", "Người đứng đầu xếp cao hơn tập thể mình đứng đầu"),
                    ("leader_before_collective", "Người đứng đầu xếp loại trước tập thể"),
                    ("leader_cap_20", "Cá nhân lãnh đạo xuất sắc không quá tỉ lệ trong nhóm chức danh tương đương"),
                    ("leadership_disciplined", "Tập thể lãnh đạo có thành viên hoặc tổ chức bị kỷ luật"),
                ],
                max_length=40,
                verbose_name="quy tắc",
            ),
        ),
        migrations.CreateModel(
            name="Collective",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        max_length=40,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                                "Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch nối.",
                            )
                        ],
                        verbose_name="mã tập thể",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("standing_board", "Ban Thường vụ"),
                            ("party_committee", "Ban Chấp hành đảng bộ"),
                            ("cell_committee", "Chi ủy"),
                            ("peoples_committee", "Ủy ban nhân dân"),
                            ("peoples_council", "Thường trực Hội đồng nhân dân"),
                            ("fatherland_front", "Ban Thường trực Ủy ban Mặt trận Tổ quốc"),
                            ("mass_organization", "Ban Thường vụ đoàn thể chính trị - xã hội"),
                            ("department", "Tập thể lãnh đạo cơ quan, phòng, ban"),
                        ],
                        max_length=20,
                        verbose_name="loại tập thể",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="tên tập thể")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="từ ngày")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="đến ngày")),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="collectives",
                        to="assessments.organization",
                        verbose_name="tổ chức đảng",
                    ),
                ),
            ],
            options={
                "verbose_name": "tập thể lãnh đạo, quản lý",
                "verbose_name_plural": "tập thể lãnh đạo, quản lý",
                "ordering": ["organization__path", "kind", "code"],
            },
        ),
        migrations.CreateModel(
            name="CollectiveRating",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1930),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="năm",
                    ),
                ),
                (
                    "period",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Cả năm"),
                            ("Q1", "Quý I"),
                            ("Q2", "Quý II"),
                            ("Q3", "Quý III"),
                            ("Q4", "Quý IV"),
                        ],
                        default="",
                        max_length=2,
                        verbose_name="kỳ đánh giá",
                    ),
                ),
                (
                    "self_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm tự chấm",
                    ),
                ),
                (
                    "score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm",
                    ),
                ),
                (
                    "tasks_assigned",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
                ),
                (
                    "tasks_on_time",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
                ),
                (
                    "tasks_exceeded",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
                ),
                (
                    "tasks_late",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
                ),
                (
                    "below_score_reason",
                    models.TextField(
                        blank=True,
                        help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                        verbose_name="lý do xếp thấp hơn mức theo điểm",
                    ),
                ),
                ("decision_ref", models.CharField(blank=True, max_length=60, verbose_name="số quyết định")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="ngày quyết định")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "appraisal_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="mức Ban Tổ chức thẩm định, đề xuất",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="ratings",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="xếp loại (cấp có thẩm quyền quyết định)",
                    ),
                ),
                (
                    "self_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="tự đánh giá",
                    ),
                ),
            ],
            options={
                "verbose_name": "xếp loại tập thể lãnh đạo, quản lý",
                "verbose_name_plural": "xếp loại tập thể lãnh đạo, quản lý",
                "ordering": ["-year", "period", "collective__code"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalCollective",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "code",
                    models.CharField(
                        db_index=True,
                        max_length=40,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                                "Mã chỉ gồm chữ cái không dấu, chữ số và dấu gạch nối.",
                            )
                        ],
                        verbose_name="mã tập thể",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("standing_board", "Ban Thường vụ"),
                            ("party_committee", "Ban Chấp hành đảng bộ"),
                            ("cell_committee", "Chi ủy"),
                            ("peoples_committee", "Ủy ban nhân dân"),
                            ("peoples_council", "Thường trực Hội đồng nhân dân"),
                            ("fatherland_front", "Ban Thường trực Ủy ban Mặt trận Tổ quốc"),
                            ("mass_organization", "Ban Thường vụ đoàn thể chính trị - xã hội"),
                            ("department", "Tập thể lãnh đạo cơ quan, phòng, ban"),
                        ],
                        max_length=20,
                        verbose_name="loại tập thể",
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="tên tập thể")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="từ ngày")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="đến ngày")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organization",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.organization",
                        verbose_name="tổ chức đảng",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical tập thể lãnh đạo, quản lý",
                "verbose_name_plural": "historical tập thể lãnh đạo, quản lý",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalCollectiveRating",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1930),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="năm",
                    ),
                ),
                (
                    "period",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Cả năm"),
                            ("Q1", "Quý I"),
                            ("Q2", "Quý II"),
                            ("Q3", "Quý III"),
                            ("Q4", "Quý IV"),
                        ],
                        default="",
                        max_length=2,
                        verbose_name="kỳ đánh giá",
                    ),
                ),
                (
                    "self_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm tự chấm",
                    ),
                ),
                (
                    "score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm",
                    ),
                ),
                (
                    "tasks_assigned",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
                ),
                (
                    "tasks_on_time",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
                ),
                (
                    "tasks_exceeded",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
                ),
                (
                    "tasks_late",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
                ),
                (
                    "below_score_reason",
                    models.TextField(
                        blank=True,
                        help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                        verbose_name="lý do xếp thấp hơn mức theo điểm",
                    ),
                ),
                ("decision_ref", models.CharField(blank=True, max_length=60, verbose_name="số quyết định")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="ngày quyết định")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "appraisal_level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="mức Ban Tổ chức thẩm định, đề xuất",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="xếp loại (cấp có thẩm quyền quyết định)",
                    ),
                ),
                (
                    "self_level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="tự đánh giá",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical xếp loại tập thể lãnh đạo, quản lý",
                "verbose_name_plural": "historical xếp loại tập thể lãnh đạo, quản lý",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalLeaderRating",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1930),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="năm",
                    ),
                ),
                (
                    "period",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Cả năm"),
                            ("Q1", "Quý I"),
                            ("Q2", "Quý II"),
                            ("Q3", "Quý III"),
                            ("Q4", "Quý IV"),
                        ],
                        default="",
                        max_length=2,
                        verbose_name="kỳ đánh giá",
                    ),
                ),
                (
                    "self_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm tự chấm",
                    ),
                ),
                (
                    "score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm",
                    ),
                ),
                (
                    "tasks_assigned",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
                ),
                (
                    "tasks_on_time",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
                ),
                (
                    "tasks_exceeded",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
                ),
                (
                    "tasks_late",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
                ),
                (
                    "below_score_reason",
                    models.TextField(
                        blank=True,
                        help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                        verbose_name="lý do xếp thấp hơn mức theo điểm",
                    ),
                ),
                ("decision_ref", models.CharField(blank=True, max_length=60, verbose_name="số quyết định")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="ngày quyết định")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "appraisal_level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="mức Ban Tổ chức thẩm định, đề xuất",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="xếp loại (cấp có thẩm quyền quyết định)",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.member",
                        verbose_name="đảng viên",
                    ),
                ),
                (
                    "self_level",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="tự đánh giá",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical xếp loại cá nhân lãnh đạo, quản lý",
                "verbose_name_plural": "historical xếp loại cá nhân lãnh đạo, quản lý",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPosition",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        choices=[
                            ("secretary", "Bí thư"),
                            ("deputy_secretary", "Phó Bí thư"),
                            ("chair", "Chủ tịch"),
                            ("vice_chair", "Phó Chủ tịch"),
                            ("head", "Trưởng"),
                            ("deputy_head", "Phó trưởng"),
                            ("member", "Ủy viên"),
                        ],
                        max_length=20,
                        verbose_name="chức danh",
                    ),
                ),
                ("heads", models.BooleanField(default=False, verbose_name="người đứng đầu")),
                ("start", models.DateField(verbose_name="từ ngày")),
                ("end", models.DateField(blank=True, null=True, verbose_name="đến ngày")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "managed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Cấp ủy quản lý chức danh này, cũng là nơi quyết định xếp loại người giữ chức danh.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.organization",
                        verbose_name="cấp ủy quản lý",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="assessments.member",
                        verbose_name="đảng viên",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical chức danh lãnh đạo, quản lý",
                "verbose_name_plural": "historical chức danh lãnh đạo, quản lý",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="LeaderRating",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1930),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="năm",
                    ),
                ),
                (
                    "period",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Cả năm"),
                            ("Q1", "Quý I"),
                            ("Q2", "Quý II"),
                            ("Q3", "Quý III"),
                            ("Q4", "Quý IV"),
                        ],
                        default="",
                        max_length=2,
                        verbose_name="kỳ đánh giá",
                    ),
                ),
                (
                    "self_score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm tự chấm",
                    ),
                ),
                (
                    "score",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=5,
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="điểm",
                    ),
                ),
                (
                    "tasks_assigned",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
                ),
                (
                    "tasks_on_time",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
                ),
                (
                    "tasks_exceeded",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
                ),
                (
                    "tasks_late",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
                ),
                (
                    "below_score_reason",
                    models.TextField(
                        blank=True,
                        help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                        verbose_name="lý do xếp thấp hơn mức theo điểm",
                    ),
                ),
                ("decision_ref", models.CharField(blank=True, max_length=60, verbose_name="số quyết định")),
                ("decided_on", models.DateField(blank=True, null=True, verbose_name="ngày quyết định")),
                ("note", models.TextField(blank=True, verbose_name="ghi chú")),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "appraisal_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="mức Ban Tổ chức thẩm định, đề xuất",
                    ),
                ),
                (
                    "collective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leader_ratings",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="xếp loại (cấp có thẩm quyền quyết định)",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leader_ratings",
                        to="assessments.member",
                        verbose_name="đảng viên",
                    ),
                ),
                (
                    "self_level",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="assessments.ratinglevel",
                        verbose_name="tự đánh giá",
                    ),
                ),
            ],
            options={
                "verbose_name": "xếp loại cá nhân lãnh đạo, quản lý",
                "verbose_name_plural": "xếp loại cá nhân lãnh đạo, quản lý",
                "ordering": ["-year", "period", "collective__code", "member__name_folded"],
            },
        ),
        migrations.CreateModel(
            name="Position",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        choices=[
                            ("secretary", "Bí thư"),
                            ("deputy_secretary", "Phó Bí thư"),
                            ("chair", "Chủ tịch"),
                            ("vice_chair", "Phó Chủ tịch"),
                            ("head", "Trưởng"),
                            ("deputy_head", "Phó trưởng"),
                            ("member", "Ủy viên"),
                        ],
                        max_length=20,
                        verbose_name="chức danh",
                    ),
                ),
                ("heads", models.BooleanField(default=False, verbose_name="người đứng đầu")),
                ("start", models.DateField(verbose_name="từ ngày")),
                ("end", models.DateField(blank=True, null=True, verbose_name="đến ngày")),
                (
                    "collective",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="positions",
                        to="assessments.collective",
                        verbose_name="tập thể",
                    ),
                ),
                (
                    "managed_by",
                    models.ForeignKey(
                        help_text="Cấp ủy quản lý chức danh này, cũng là nơi quyết định xếp loại người giữ chức danh.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="managed_positions",
                        to="assessments.organization",
                        verbose_name="cấp ủy quản lý",
                    ),
                ),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="positions",
                        to="assessments.member",
                        verbose_name="đảng viên",
                    ),
                ),
            ],
            options={
                "verbose_name": "chức danh lãnh đạo, quản lý",
                "verbose_name_plural": "chức danh lãnh đạo, quản lý",
                "ordering": ["collective__code", "-heads", "title", "start"],
            },
        ),
        migrations.AddConstraint(
            model_name="collective",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("valid_to__isnull", True),
                    ("valid_from__isnull", True),
                    ("valid_to__gte", models.F("valid_from")),
                    _connector="OR",
                ),
                name="collective_date_range",
                violation_error_message="Ngày kết thúc phải từ ngày bắt đầu trở đi.",
            ),
        ),
        migrations.AddConstraint(
            model_name="collectiverating",
            constraint=models.UniqueConstraint(
                fields=("collective", "year", "period"),
                name="collective_rating_one_per_period",
                violation_error_message="Tập thể này đã có bản xếp loại của kỳ đó.",
            ),
        ),
        migrations.AddConstraint(
            model_name="collectiverating",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1930), ("year__lte", 2100)), name="collective_rating_year_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="leaderrating",
            constraint=models.UniqueConstraint(
                fields=("member", "collective", "year", "period"),
                name="leader_rating_one_per_period",
                violation_error_message="Đảng viên này đã có bản xếp loại lãnh đạo trong tập thể của kỳ đó.",
            ),
        ),
        migrations.AddConstraint(
            model_name="leaderrating",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 1930), ("year__lte", 2100)), name="leader_rating_year_range"
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(("end__isnull", True), ("end__gte", models.F("start")), _connector="OR"),
                name="position_date_range",
                violation_error_message="Ngày thôi giữ chức danh phải từ ngày bắt đầu trở đi.",
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.UniqueConstraint(
                fields=("member", "collective", "start"),
                name="position_once_per_start",
                violation_error_message="Đảng viên này đã có chức danh trong tập thể từ ngày đó.",
            ),
        ),
        migrations.RunPython(rules_load, rules_unload),
    ]

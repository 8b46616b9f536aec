"""Scored ratings (QĐ 366): scores and task figures on unit and member ratings; the scheme's total and each level's
band and task conditions, as data, loaded here for qd366-2025 (DOMAIN.md; "under 50" is believed, not confirmed)."""

import django.core.validators
from django.db import migrations, models

SCORED = {"qd366-2025": 100}
# level code: (min score, min % on time, min % exceeded, min % done, max % late), the same for units and members.
BANDS = {
    "excellent": (90, 100, 30, None, None),
    "good": (70, 100, None, None, None),
    "completed": (50, None, None, 100, 20),
    "not_completed": (None, None, None, None, None),
}
CONDITIONS = ("min_score", "min_on_time_percent", "min_exceeded_percent", "min_done_percent", "max_late_percent")


def load(apps, schema_editor):
    """Mark the scored schemes with their total and give their levels the bands and task conditions."""
    RatingScheme = apps.get_model("assessments", "RatingScheme")
    RatingLevel = apps.get_model("assessments", "RatingLevel")
    for code, total in SCORED.items():
        RatingScheme.objects.filter(code=code).update(is_scored=True, total_points=total)
        for level_code, values in BANDS.items():
            RatingLevel.objects.filter(scheme__code=code, code=level_code).update(**dict(zip(CONDITIONS, values)))


def unload(apps, schema_editor):
    apps.get_model("assessments", "RatingScheme").objects.filter(code__in=SCORED).update(
        is_scored=False, total_points=None
    )
    apps.get_model("assessments", "RatingLevel").objects.filter(scheme__code__in=SCORED).update(
        **dict.fromkeys(CONDITIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0017_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="below_score_reason",
            field=models.TextField(
                blank=True,
                help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                verbose_name="lý do xếp thấp hơn mức theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="self_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tự chấm",
            ),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="tasks_assigned",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="tasks_exceeded",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="tasks_late",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
        ),
        migrations.AddField(
            model_name="historicalmemberassessment",
            name="tasks_on_time",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
        ),
        migrations.AddField(
            model_name="historicalratinglevel",
            name="max_late_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành chậm.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ chậm tối đa (%)",
            ),
        ),
        migrations.AddField(
            model_name="historicalratinglevel",
            name="min_done_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao đã hoàn thành, đúng hạn hoặc chậm.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ hoàn thành tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="historicalratinglevel",
            name="min_exceeded_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành vượt mức.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ vượt mức tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="historicalratinglevel",
            name="min_on_time_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành đúng hạn.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ đúng hạn tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="historicalratinglevel",
            name="min_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tối thiểu",
            ),
        ),
        migrations.AddField(
            model_name="historicalratingscheme",
            name="is_scored",
            field=models.BooleanField(
                default=False,
                help_text="Mức xếp loại phải khớp với điểm (Quy định 366).",
                verbose_name="xếp loại theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalratingscheme",
            name="total_points",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Ví dụ 100.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tổng điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="below_score_reason",
            field=models.TextField(
                blank=True,
                help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                verbose_name="lý do xếp thấp hơn mức theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="self_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tự chấm",
            ),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="tasks_assigned",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="tasks_exceeded",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="tasks_late",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
        ),
        migrations.AddField(
            model_name="historicalunitassessment",
            name="tasks_on_time",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="below_score_reason",
            field=models.TextField(
                blank=True,
                help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                verbose_name="lý do xếp thấp hơn mức theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm",
            ),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="self_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tự chấm",
            ),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="tasks_assigned",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="tasks_exceeded",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="tasks_late",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
        ),
        migrations.AddField(
            model_name="memberassessment",
            name="tasks_on_time",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
        ),
        migrations.AddField(
            model_name="ratinglevel",
            name="max_late_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành chậm.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ chậm tối đa (%)",
            ),
        ),
        migrations.AddField(
            model_name="ratinglevel",
            name="min_done_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao đã hoàn thành, đúng hạn hoặc chậm.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ hoàn thành tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="ratinglevel",
            name="min_exceeded_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành vượt mức.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ vượt mức tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="ratinglevel",
            name="min_on_time_percent",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Phần trăm số nhiệm vụ được giao hoàn thành đúng hạn.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tỷ lệ nhiệm vụ đúng hạn tối thiểu (%)",
            ),
        ),
        migrations.AddField(
            model_name="ratinglevel",
            name="min_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tối thiểu",
            ),
        ),
        migrations.AddField(
            model_name="ratingscheme",
            name="is_scored",
            field=models.BooleanField(
                default=False,
                help_text="Mức xếp loại phải khớp với điểm (Quy định 366).",
                verbose_name="xếp loại theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="ratingscheme",
            name="total_points",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Ví dụ 100.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="tổng điểm",
            ),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="below_score_reason",
            field=models.TextField(
                blank=True,
                help_text="Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm.",
                verbose_name="lý do xếp thấp hơn mức theo điểm",
            ),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm",
            ),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="self_score",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=5,
                null=True,
                validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)],
                verbose_name="điểm tự chấm",
            ),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="tasks_assigned",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ được giao"),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="tasks_exceeded",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành vượt mức"),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="tasks_late",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành chậm"),
        ),
        migrations.AddField(
            model_name="unitassessment",
            name="tasks_on_time",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="số nhiệm vụ hoàn thành đúng hạn"),
        ),
        migrations.AddConstraint(
            model_name="ratingscheme",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_scored", False), ("total_points__gt", 0), _connector="OR"),
                name="scored_scheme_has_total",
                violation_error_message="Quy định xếp loại theo điểm phải ghi tổng điểm.",
            ),
        ),
        migrations.RunPython(load, unload),
    ]

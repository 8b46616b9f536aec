"""Summary: the members not assessed, not yet rated and with no result yet (issue 17); database defaults of 0, so
that the PostgreSQL recompute's own INSERT of missing rows needs no change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0012_scheme_facts_to_period_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="summary",
            name="members_not_assessed",
            field=models.PositiveIntegerField(default=0, db_default=0, verbose_name="số đảng viên không đánh giá"),
        ),
        migrations.AddField(
            model_name="summary",
            name="members_not_yet_rated",
            field=models.PositiveIntegerField(default=0, db_default=0, verbose_name="số đảng viên chưa xếp loại"),
        ),
        migrations.AddField(
            model_name="summary",
            name="members_no_result",
            field=models.PositiveIntegerField(default=0, db_default=0, verbose_name="số đảng viên chưa có kết quả"),
        ),
    ]

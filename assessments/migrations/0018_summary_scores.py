"""Issue 15: the summaries keep the count, sum, min and max of the scores (NULL count: the scheme is not scored)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0018_scored_ratings'),
    ]

    operations = [
        migrations.AddField(
            model_name='summary',
            name='members_score_max',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm đảng viên cao nhất'),
        ),
        migrations.AddField(
            model_name='summary',
            name='members_score_min',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm đảng viên thấp nhất'),
        ),
        migrations.AddField(
            model_name='summary',
            name='members_score_sum',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='tổng điểm đảng viên'),
        ),
        migrations.AddField(
            model_name='summary',
            name='members_scored',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='số đảng viên có điểm'),
        ),
        migrations.AddField(
            model_name='summary',
            name='units_score_max',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm đơn vị cao nhất'),
        ),
        migrations.AddField(
            model_name='summary',
            name='units_score_min',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True, verbose_name='điểm đơn vị thấp nhất'),
        ),
        migrations.AddField(
            model_name='summary',
            name='units_score_sum',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='tổng điểm đơn vị'),
        ),
        migrations.AddField(
            model_name='summary',
            name='units_scored',
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name='số đơn vị có điểm'),
        ),
    ]

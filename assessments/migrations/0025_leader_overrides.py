"""Issue 16: an override of a rule on one leader is kept for that leader (member and collective), not the unit."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0024_self_assessment_documents'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='ruleoverride',
            name='rule_override_once',
        ),
        migrations.AddField(
            model_name='historicalruleoverride',
            name='collective',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.collective', verbose_name='tập thể'),
        ),
        migrations.AddField(
            model_name='historicalruleoverride',
            name='member',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='assessments.member', verbose_name='cá nhân lãnh đạo'),
        ),
        migrations.AddField(
            model_name='ruleoverride',
            name='collective',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rule_overrides', to='assessments.collective', verbose_name='tập thể'),
        ),
        migrations.AddField(
            model_name='ruleoverride',
            name='member',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='rule_overrides', to='assessments.member', verbose_name='cá nhân lãnh đạo'),
        ),
        migrations.AddConstraint(
            model_name='ruleoverride',
            constraint=models.UniqueConstraint(condition=models.Q(('member__isnull', True)), fields=('organization', 'year', 'rule'), name='rule_override_once', violation_error_message='Đơn vị này đã có quyết định vượt quy tắc đó trong năm.'),
        ),
        migrations.AddConstraint(
            model_name='ruleoverride',
            constraint=models.UniqueConstraint(condition=models.Q(('member__isnull', False)), fields=('organization', 'year', 'rule', 'member', 'collective'), name='rule_override_once_per_leader', violation_error_message='Cá nhân lãnh đạo này đã có quyết định vượt quy tắc đó trong năm.'),
        ),
        migrations.AddConstraint(
            model_name='ruleoverride',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('collective__isnull', True), ('member__isnull', True)), models.Q(('collective__isnull', False), ('member__isnull', False)), _connector='OR'), name='rule_override_leader_whole', violation_error_message='Ghi cả đảng viên và tập thể của cá nhân lãnh đạo, hoặc không ghi cả hai.'),
        ),
    ]

"""An import belongs to the unit it was made for, not to wherever its maker is now (security review: after a move,
another unit's secretary opened and downloaded the old unit's file and error report).

The column is filled for existing records from the maker's organization, the one the upload page scoped the import
by; a record whose maker has none (a superuser, a command run without an account) stays empty, seen only by those
who see everything. The upload page's list of recent imports now filters on the unit too: its index starts with it.
The admin's "Xóa các %(verbose_name_plural)s đã chọn" said "các" twice: the plural name loses its own.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def organizations_fill(apps, schema_editor):
    """One UPDATE for all records: each takes its maker's organization (a correlated subquery, SQLite and
    PostgreSQL alike); records without a maker, or whose maker has no organization, are left empty."""
    ImportRecord = apps.get_model("assessments", "ImportRecord")
    User = apps.get_model("assessments", "User")
    makers = User.objects.filter(pk=OuterRef("user_id")).values("organization_id")[:1]
    ImportRecord.objects.filter(organization__isnull=True, user__organization__isnull=False).update(
        organization=Subquery(makers)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0027_rule_overrides_per_collective_and_group"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importrecord",
            options={
                "ordering": ["-created_at"],
                "verbose_name": "lần nhập dữ liệu",
                "verbose_name_plural": "lần nhập dữ liệu",
            },
        ),
        migrations.RemoveIndex(
            model_name="importrecord",
            name="import_record_user_recent",
        ),
        migrations.AddField(
            model_name="importrecord",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="import_records",
                to="assessments.organization",
                verbose_name="tổ chức đảng",
            ),
        ),
        migrations.AddIndex(
            model_name="importrecord",
            index=models.Index(fields=["organization", "user", "-created_at"], name="import_record_unit_recent"),
        ),
        # Last, after every change of the table: PostgreSQL checks the new foreign keys at commit.
        migrations.RunPython(organizations_fill, migrations.RunPython.noop),
    ]

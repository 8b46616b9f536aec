"""Summary rows are rewritten in place by every recompute: on PostgreSQL leave room in each page for HOT updates."""

from django.db import migrations

# 70%: a full recompute rewrites every row of a year after a tree or scheme change; with free space in the page the
# new row version stays there and no index entry is written (HOT). National bench, 273,000 rows all stale: 14.5 s
# with the table packed full and bloated, 6.8 s compacted with fillfactor 70 (docs/benchmarks.md).
FILLFACTOR = 70


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("assessments", "Summary")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = {FILLFACTOR})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("assessments", "Summary")._meta.db_table
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_year_cycle"),
    ]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]

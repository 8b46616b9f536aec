"""A programme belongs to the party committee that issued it (issue 13, item 3): the column, filled from the data.

The owner of an existing programme is the deepest district or province that contains every unit its plans target;
a programme without plans goes to the only district when there is one, else to the top of the tree (seen only by
the province and administrators, never by the wrong district).
"""

import django.db.models.deletion
from django.db import migrations, models

ISSUING_KINDS = ("district", "province")


def _prefixes(path: str) -> set[str]:
    parts = [part for part in path.split("/") if part]
    return {"/".join(parts[: i + 1]) + "/" for i in range(len(parts))}


def _issuer(Organization, plan_paths: list[str]):
    if plan_paths:
        common = set.intersection(*(_prefixes(path) for path in plan_paths))
        owner = (
            Organization.objects.filter(path__in=common, kind__in=ISSUING_KINDS).order_by("-depth").first()
            if common
            else None
        )
        if owner is not None:
            return owner
    districts = list(Organization.objects.filter(kind="district")[:2])
    if len(districts) == 1:
        return districts[0]
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()


def owners_fill(apps, schema_editor):
    Programme = apps.get_model("consolidation", "Programme")
    Plan = apps.get_model("consolidation", "Plan")
    Organization = apps.get_model("assessments", "Organization")
    for programme in Programme.objects.filter(organization__isnull=True):
        paths = list(Plan.objects.filter(programme=programme).values_list("organization__path", flat=True))
        owner = _issuer(Organization, paths)
        if owner is None:
            raise RuntimeError(
                f"Programme {programme.pk} ({programme.name}): no organization to own it; load the tree first."
            )
        Programme.objects.filter(pk=programme.pk).update(organization=owner)
    if schema_editor.connection.vendor == "postgresql":
        # The foreign key is checked at commit; check it now, or PostgreSQL refuses the ALTER TABLE that follows
        # ("pending trigger events").
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_rating_schemes"),
        ("consolidation", "0001_programmes_plans_tasks_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalprogramme",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="assessments.organization",
                verbose_name="cấp ủy ban hành",
            ),
        ),
        migrations.AddField(
            model_name="programme",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consolidation_programmes",
                to="assessments.organization",
                verbose_name="cấp ủy ban hành",
            ),
        ),
        migrations.RunPython(owners_fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="programme",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consolidation_programmes",
                to="assessments.organization",
                verbose_name="cấp ủy ban hành",
            ),
        ),
    ]

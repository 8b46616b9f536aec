"""Load the four rating schemes of DOMAIN.md as data; new schemes are added the same way, without code."""

from django.db import migrations

HD27_UNIT = [
    ("clean_strong", "Trong sạch, vững mạnh", "Clean and strong"),
    ("good", "Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    ("completed", "Hoàn thành nhiệm vụ", "Completed tasks"),
    ("weak", "Yếu kém", "Weak"),
]
HD27_MEMBER = [
    ("excellent", "Hoàn thành xuất sắc nhiệm vụ", "Completed tasks excellently"),
    ("good", "Hoàn thành tốt nhiệm vụ", "Completed tasks well"),
    ("completed", "Hoàn thành nhiệm vụ", "Completed tasks"),
    ("not_completed", "Không hoàn thành nhiệm vụ", "Did not complete tasks"),
]
SHARED = HD27_MEMBER

SCHEMES = [
    ("hd27-2014", "Hướng dẫn 27-HD/BTCTW ngày 25/9/2014", 2014, 2017, HD27_UNIT, HD27_MEMBER),
    ("qd132-2018", "Quy định 132-QĐ/TW ngày 8/3/2018", 2018, 2022, SHARED, SHARED),
    ("qd124-2023", "Quy định 124-QĐ/TW ngày 4/10/2023", 2023, 2024, SHARED, SHARED),
    ("qd366-2025", "Quy định 366-QĐ/TW ngày 30/8/2025", 2025, None, SHARED, SHARED),
]


def load(apps, schema_editor):
    RatingScheme = apps.get_model("assessments", "RatingScheme")
    RatingLevel = apps.get_model("assessments", "RatingLevel")
    for code, name, first, last, unit_levels, member_levels in SCHEMES:
        scheme, _ = RatingScheme.objects.update_or_create(
            code=code, defaults={"name": name, "first_year": first, "last_year": last}
        )
        for subject, levels in (("unit", unit_levels), ("member", member_levels)):
            for rank, (level_code, label_vi, label_en) in enumerate(levels, start=1):
                RatingLevel.objects.update_or_create(
                    scheme=scheme, subject=subject, code=level_code,
                    defaults={"rank": rank, "label_vi": label_vi, "label_en": label_en,
                              "is_top": rank == 1, "is_good_or_better": rank <= 2},
                )


def unload(apps, schema_editor):
    apps.get_model("assessments", "RatingScheme").objects.filter(code__in=[s[0] for s in SCHEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]

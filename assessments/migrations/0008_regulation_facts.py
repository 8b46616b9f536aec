"""Regulation facts as data: the member cap and the weak-unit shares on each scheme, the lowest level on each level."""

import django.core.validators
from django.db import migrations, models

# (scheme code, cap percent, cap first year, committee share 1/N, cell share 1/N), from DOMAIN.md: the 20% cap of
# 21-HD/BTCTW (2019) and 124-QĐ/TW, 366-QĐ/TW; the 1/3 and 1/2 rules of Hướng dẫn 27-HD/BTCTW (2014).
FACTS = [
    ("hd27-2014", None, None, 3, 2),
    ("qd132-2018", 20, 2019, None, None),
    ("qd124-2023", 20, None, None, None),
    ("qd366-2025", 20, None, None, None),
]


def fill(apps, schema_editor):
    """Set the facts of the four schemes and mark the last level of each scheme and subject as the lowest."""
    RatingScheme = apps.get_model("assessments", "RatingScheme")
    RatingLevel = apps.get_model("assessments", "RatingLevel")
    for code, cap, cap_first, committee, cell in FACTS:
        RatingScheme.objects.filter(code=code).update(
            cap_percent=cap, cap_first_year=cap_first, weak_committee_share=committee, weak_cell_share=cell
        )
    for scheme in RatingScheme.objects.filter(code__in=[row[0] for row in FACTS]):
        for subject in ("unit", "member"):
            last = RatingLevel.objects.filter(scheme=scheme, subject=subject).order_by("-rank").first()
            if last is not None:
                RatingLevel.objects.filter(pk=last.pk).update(is_lowest=True)


def unfill(apps, schema_editor):
    apps.get_model("assessments", "RatingScheme").objects.update(
        cap_percent=None, cap_first_year=None, weak_committee_share=None, weak_cell_share=None
    )
    apps.get_model("assessments", "RatingLevel").objects.update(is_lowest=False)


def _fields(model: str) -> list:
    historical = f"historical{model}"
    operations = []
    for name in (model, historical):
        if model == "ratingscheme":
            operations += [
                migrations.AddField(
                    model_name=name,
                    name="cap_percent",
                    field=models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Số đảng viên xếp mức cao nhất không vượt quá tỉ lệ này của số xếp mức tốt, tính "
                        "trong từng tổ chức cơ sở đảng (ví dụ 20). Để trống nếu quy định không giới hạn.",
                        null=True,
                        validators=[django.core.validators.MaxValueValidator(100)],
                        verbose_name="giới hạn mức cao nhất (%)",
                    ),
                ),
                migrations.AddField(
                    model_name=name,
                    name="cap_first_year",
                    field=models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="Để trống: áp dụng từ năm đầu của quy định.",
                        null=True,
                        validators=[
                            django.core.validators.MinValueValidator(1930),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="giới hạn áp dụng từ năm",
                    ),
                ),
                migrations.AddField(
                    model_name=name,
                    name="weak_committee_share",
                    field=models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="N: đảng bộ cơ sở có quá 1/N đơn vị trực thuộc xếp mức thấp nhất thì chỉ được xếp "
                        "mức thấp nhất (Hướng dẫn 27: 3). Để trống nếu quy định không có quy tắc này.",
                        null=True,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="đảng bộ có quá 1/N đơn vị yếu kém",
                    ),
                ),
                migrations.AddField(
                    model_name=name,
                    name="weak_cell_share",
                    field=models.PositiveSmallIntegerField(
                        blank=True,
                        help_text="N: chi bộ có quá 1/N đảng viên xếp mức thấp nhất thì chỉ được xếp mức thấp nhất "
                        "(Hướng dẫn 27: 2). Để trống nếu quy định không có quy tắc này.",
                        null=True,
                        validators=[django.core.validators.MinValueValidator(1)],
                        verbose_name="chi bộ có quá 1/N đảng viên không hoàn thành",
                    ),
                ),
            ]
        else:
            operations.append(
                migrations.AddField(
                    model_name=name,
                    name="is_lowest",
                    field=models.BooleanField(
                        default=False,
                        help_text="Yếu kém, không hoàn thành nhiệm vụ: đơn vị cần củng cố.",
                        verbose_name="mức thấp nhất",
                    ),
                )
            )
    return operations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_summary_levels_text")]
    operations = [*_fields("ratingscheme"), *_fields("ratinglevel"), migrations.RunPython(fill, unfill)]

"""The generated PDF and Word files kept with each issued version, with the Word file's checksum; and the word each
guidance period uses for rating ("phân loại" in Hướng dẫn 27, 2014–2017; "xếp loại" after), set as data (issue 17).
Named by hand."""

from django.db import migrations, models

import assessments.models

# Hướng dẫn 27-HD/BTCTW (2014–2017) speaks of "đánh giá, phân loại"; the later texts of "đánh giá, xếp loại".
CLASSIFICATION_PERIODS = ["hd27-2014"]


def classification_set(apps, schema_editor):
    GuidancePeriod = apps.get_model("assessments", "GuidancePeriod")
    GuidancePeriod.objects.filter(code__in=CLASSIFICATION_PERIODS).update(rating_word="classification")


def classification_unset(apps, schema_editor):
    # The column itself goes with the reverse of AddField; put the rows back to the default before that.
    GuidancePeriod = apps.get_model("assessments", "GuidancePeriod")
    GuidancePeriod.objects.filter(code__in=CLASSIFICATION_PERIODS).update(rating_word="ranking")


def _rating_word_field():
    return models.CharField(
        choices=[("classification", "phân loại"), ("ranking", "xếp loại")],
        default="ranking",
        help_text="Văn bản của giai đoạn nói “đánh giá, phân loại” hay “đánh giá, xếp loại”.",
        max_length=14,
        verbose_name="từ dùng trong văn bản",
    )


def _file_field(label: str):
    return models.FileField(
        blank=True, max_length=200, upload_to=assessments.models._issued_upload_to, verbose_name=label
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0014_issued_documents"),
    ]

    operations = [
        migrations.AddField(model_name="guidanceperiod", name="rating_word", field=_rating_word_field()),
        migrations.AddField(model_name="historicalguidanceperiod", name="rating_word", field=_rating_word_field()),
        migrations.RunPython(classification_set, classification_unset),
        migrations.AddField(
            model_name="issueddocument",
            name="docx_checksum",
            field=models.CharField(blank=True, max_length=64, verbose_name="mã kiểm tra SHA-256 của tệp Word"),
        ),
        migrations.AddField(model_name="issueddocument", name="docx_file", field=_file_field("tệp Word")),
        migrations.AddField(model_name="issueddocument", name="pdf_file", field=_file_field("tệp PDF")),
    ]

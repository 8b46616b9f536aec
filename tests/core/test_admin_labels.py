"""The admin names things in Vietnamese, as the pages do: a period's rule by the period's name and the rule's label, an
import's kind of data by its name, a level's scheme as cited; never the stored codes."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from assessments.models import ImportRecord, PeriodRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_a_rule_settings_period_rules_are_named_not_coded(admin_client, django_assert_max_num_queries):
    rule = PeriodRule.objects.select_related("period").get(period__code="hd27-2014", rule="unit_cap_20")

    # Each choice is named with its period: read with the rules, not once per choice.
    with django_assert_max_num_queries(10):
        page = admin_client.get(reverse("admin:assessments_rulesetting_add"))

    html = page.content.decode()
    assert f"{rule.period.name}: {rule.get_rule_display()}" in html
    assert "hd27-2014 unit_cap_20" not in html


def test_an_imports_kind_of_data_is_named_in_the_list_and_its_filter(admin_client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = ImportRecord(user=admin_user, data_type="member_ratings", file_name="x.csv", status="failed", size=1)
    record.file.save("x.csv", ContentFile(b"x"), save=False)
    record.save()

    html = admin_client.get(reverse("admin:assessments_importrecord_changelist")).content.decode()

    assert re.search(r'<td class="field-data_type_label">Xếp loại đảng viên</td>', html)
    assert ">member_ratings<" not in html
    assert (
        admin_client.get(reverse("admin:assessments_importrecord_changelist"), {"data_type": "member_ratings"})
        .context["cl"]
        .result_count
        == 1
    )


def test_a_levels_scheme_column_is_named_and_cited(admin_client):
    html = admin_client.get(reverse("admin:assessments_ratinglevel_changelist")).content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>.*?</th>', html, re.S)
    assert any("Quy định xếp loại" in header for header in headers)
    assert not any(re.search(r">\s*scheme\s*<", header, re.I) for header in headers)
    assert "Quy định 132-QĐ/TW" in html


def test_a_years_scheme_is_cited_in_the_cycle_list_and_its_filter(admin_client, tree):
    import datetime

    from assessments.models import RatingScheme, YearCycle

    YearCycle.objects.create(
        organization=tree["BS"],
        year=2018,
        scheme=RatingScheme.objects.get(code="qd132-2018"),
        deadline=datetime.date(2018, 12, 15),
    )

    html = admin_client.get(reverse("admin:assessments_yearcycle_changelist")).content.decode()
    shown = re.sub(r"<[^>]+>", " ", html)  # what the page says; the filter's links carry the code in their address

    # The column and the filter's choices read the scheme as cited; they showed its code ("qd132-2018").
    assert re.search(r'<td class="field-scheme[^"]*">Quy định 132-QĐ/TW</td>', html)
    assert "Hướng dẫn 27-HD/BTCTW" in shown  # among the filter's choices
    assert "qd132-2018" not in shown and "hd27-2014" not in shown
    filtered = admin_client.get(reverse("admin:assessments_yearcycle_changelist"), {"quy_dinh": "hd27-2014"})
    assert filtered.context["cl"].result_count == 0


def test_the_third_party_apps_are_named_in_vietnamese_on_the_admin_index(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "Đăng nhập sai và khóa tài khoản" in html and "Mã truy cập API" in html
    assert not re.search(r">\s*(Axes|Knox)\s*<", html, re.I)  # their Python labels, shown before

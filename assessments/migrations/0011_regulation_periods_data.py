"""Load the guidance periods (HD 27, 16, 21, 25, 43) and every rule of each, on or off, with its source and numbers."""

from django.db import migrations

# The rows are written here, not imported, so that this migration loads the same rows forever. A rule a guidance
# text is not confirmed to contain (../shared/DOMAIN.md) is loaded switched off with a note saying so: a district
# that finds it in the text switches it on in the admin instead of writing code (docs/regulation.md).


# (code, guidance text, first year, last year)
PERIODS = [
    ("hd27-2014", "Hướng dẫn 27-HD/BTCTW (25/9/2014)", 2014, 2017),
    ("hd16-2018", "Hướng dẫn 16-HD/BTCTW (24/9/2018)", 2018, 2018),
    ("hd21-2019", "Hướng dẫn 21-HD/BTCTW (18/10/2019)", 2019, 2022),
    ("hd25-2023", "Hướng dẫn 25-HD/BTCTW (10/11/2023)", 2023, 2024),
    ("hd43-2025", "Hướng dẫn 43-HD/BTCTW (31/10/2025)", 2025, None),
]

# The parameters each rule reads, with the values of the first period that states them.
DEFAULTS = {
    "member_cap_20": {"percent": 20},
    "unit_cap_20": {"percent": 20, "group_by": "sector"},
    "unit_excellent_thresholds": {"completed_percent": 100, "good_percent": 80, "mass_organizations_good": True},
    "unit_good_thresholds": {"completed_percent": 100, "good_percent": 50},
    "hd27_weak_committee": {"share": 3},
    "hd27_weak_cell": {"share": 2},
    "member_disciplined": {"best_level": "lowest"},
    "collective_disciplined": {"own": False, "member_form": "warning", "subordinate_percent": None,
                               "best_level": "lowest"},
    "sick_leave": {"months": 3, "best_level": "completed"},
    "civil_servant_level": {},
    "admitted_recently": {"months": 6},
    "founded_recently": {"months": 6},
}  # fmt: skip

NOT_CONFIRMED = "Chưa xác nhận văn bản của giai đoạn này có quy tắc này: tắt; bật lại nếu văn bản có."

# (period, rule): (source, parameters over the defaults); a pair not listed here is loaded off with NOT_CONFIRMED.
IN_FORCE = {
    ("hd27-2014", "hd27_weak_committee"): ("Hướng dẫn 27-HD/BTCTW: đảng bộ có quá 1/3 tổ chức trực thuộc yếu kém", {}),
    ("hd27-2014", "hd27_weak_cell"): ("Hướng dẫn 27-HD/BTCTW: chi bộ có quá 1/2 đảng viên không hoàn thành nhiệm vụ",
                                      {}),
    ("hd21-2019", "member_cap_20"): ("Hướng dẫn 21-HD/BTCTW: tỉ lệ đảng viên hoàn thành xuất sắc nhiệm vụ", {}),
    ("hd25-2023", "member_cap_20"): ("Quy định 124-QĐ/TW, Hướng dẫn 25-HD/BTCTW: tỉ lệ đảng viên hoàn thành xuất sắc",
                                     {}),
    # Migration 0008 applied the cap to qd366-2025; kept so that 2025 is checked as before (see docs/regulation.md).
    ("hd43-2025", "member_cap_20"): ("Quy định 366-QĐ/TW, Hướng dẫn 43-HD/BTCTW: tỉ lệ hoàn thành xuất sắc", {}),
    ("hd21-2019", "unit_cap_20"): ("Hướng dẫn 21-HD/BTCTW: tỉ lệ tập thể hoàn thành xuất sắc trong nhóm tương đồng",
                                   {}),
    ("hd25-2023", "unit_cap_20"): ("Quy định 124-QĐ/TW: tỉ lệ tập thể hoàn thành xuất sắc trong nhóm tương đồng", {}),
    ("hd21-2019", "unit_excellent_thresholds"): ("Hướng dẫn 21-HD/BTCTW: tổ chức đảng hoàn thành xuất sắc nhiệm vụ",
                                                 {}),
    ("hd21-2019", "unit_good_thresholds"): ("Hướng dẫn 21-HD/BTCTW: tổ chức đảng hoàn thành tốt nhiệm vụ", {}),
    ("hd21-2019", "member_disciplined"): ("Hướng dẫn 21-HD/BTCTW: đảng viên bị kỷ luật trong năm", {}),
    ("hd21-2019", "collective_disciplined"): (
        "Hướng dẫn 21-HD/BTCTW: tập thể có thành viên bị kỷ luật từ cảnh cáo trở lên", {}),
    ("hd25-2023", "collective_disciplined"): (
        "Quy định 124-QĐ/TW: tập thể bị kỷ luật, hoặc quá 20% tổ chức trực thuộc bị kỷ luật",
        {"own": True, "member_form": None, "subordinate_percent": 20}),
    ("hd43-2025", "collective_disciplined"): (
        "Quy định 366-QĐ/TW: hoàn thành xuất sắc khi không có tổ chức trực thuộc, thành viên bị kỷ luật",
        {"own": True, "member_form": "reprimand", "subordinate_percent": 0, "best_level": "below_top"}),
    ("hd21-2019", "sick_leave"): ("Hướng dẫn 21-HD/BTCTW: đảng viên nghỉ ốm từ 3 tháng trở lên", {}),
    ("hd21-2019", "civil_servant_level"): ("Hướng dẫn 21-HD/BTCTW: đảng viên là công chức, viên chức", {}),
    **{(period, "admitted_recently"): ("Đảng viên vào Đảng chưa đủ 6 tháng: chưa xếp loại", {})
       for period, *_ in PERIODS},
    **{(period, "founded_recently"): ("Tổ chức đảng thành lập chưa đủ 6 tháng: không xếp loại", {})
       for period, *_ in PERIODS},
}  # fmt: skip


def rows() -> list[tuple[str, str, bool, str, dict, str]]:
    """(period, rule, enabled, source, parameters, note) for every period and every rule."""
    out = []
    for period, name, *_ in PERIODS:
        for rule, defaults in DEFAULTS.items():
            entry = IN_FORCE.get((period, rule))
            if entry is None:
                out.append((period, rule, False, name, dict(defaults), NOT_CONFIRMED))
            else:
                source, overrides = entry
                out.append((period, rule, True, source, {**defaults, **overrides}, ""))
    return out


def load(apps, schema_editor):
    GuidancePeriod = apps.get_model("assessments", "GuidancePeriod")
    PeriodRule = apps.get_model("assessments", "PeriodRule")
    periods = {}
    for code, name, first, last in PERIODS:
        periods[code], _ = GuidancePeriod.objects.update_or_create(
            code=code, defaults={"name": name, "first_year": first, "last_year": last}
        )
    for period, rule, enabled, source, parameters, note in rows():
        PeriodRule.objects.update_or_create(
            period=periods[period],
            rule=rule,
            defaults={"enabled": enabled, "source": source, "parameters": parameters, "note": note},
        )


def unload(apps, schema_editor):
    codes = [code for code, *_ in PERIODS]
    apps.get_model("assessments", "PeriodRule").objects.filter(period__code__in=codes).delete()
    apps.get_model("assessments", "GuidancePeriod").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0010_regulation_periods")]
    operations = [migrations.RunPython(load, unload)]

"""The unit and member lists export what they show, filtered, to XLSX and CSV (every row, not one page), with
formula-like text kept as text, and link a print stylesheet."""

import csv
import io

from openpyxl import load_workbook

from assessments.models import Organization
from tests.factories import MemberAssessmentFactory, MemberFactory, UnitAssessmentFactory, level


def test_unit_list_exports_the_filtered_rows(client, officer, tree):
    UnitAssessmentFactory(organization=tree["BS-DONG-Y"], year=2017, level=level("hd27-2014", "unit", "clean_strong"))
    UnitAssessmentFactory(organization=tree["BS-NHAT-TIEN"], year=2017, level=level("hd27-2014", "unit", "completed"))
    Organization.objects.filter(pk=tree["BS-NHAT-TIEN"].pk).update(name="=1+1 Nhất Tiến")
    client.force_login(officer)
    page = client.get("/units/", {"year": 2017, "parent": "BS"}).content.decode()
    assert 'data-export="xlsx"' in page and "list-print.css" in page
    response = client.get("/units/", {"year": 2017, "parent": "BS", "level": "clean_strong", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["BS-DONG-Y"]  # the level filter applies
    assert rows[1][5] == "Trong sạch, vững mạnh"
    response = client.get("/units/", {"year": 2017, "parent": "BS", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {line[1] for line in lines[1:]} == {"BS-DONG-Y", "BS-NHAT-TIEN"}
    assert "'=1+1 Nhất Tiến" in [line[0] for line in lines]


def test_member_list_exports_every_filtered_row_not_one_page(client, officer, tree):
    cell = tree["BS-DONG-Y-01"]
    good = level("hd27-2014", "member", "good")
    for _ in range(3):
        MemberAssessmentFactory(member=MemberFactory(organization=cell), organization=cell, year=2017, level=good)
    MemberFactory(organization=cell, full_name="@SUM(A1) Hoàng")
    client.force_login(officer)
    response = client.get("/members/", {"year": 2017, "unit": cell.code, "level": "good", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(lines) == 1 + 3 and all(line[-1] == "Hoàn thành tốt nhiệm vụ" for line in lines[1:])
    response = client.get("/members/", {"year": 2017, "unit": cell.code, "format": "xlsx"})
    names = [row[0] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    assert "'@SUM(A1) Hoàng" in names and len(names) == 1 + 4

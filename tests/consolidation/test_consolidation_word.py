"""A consolidation plan as an editable Word file: opened with python-docx, its number, date, unit, tasks and cadres
read back; text that looks like a formula stays text; the download answers in scope only."""

import datetime
import io

from django.urls import reverse
from docx import Document

from tests.consolidation_factories import IndicatorFactory, PlanFactory, SecondedCadreFactory, TaskFactory, rate


def test_plan_docx_reads_back_as_the_printout(client, officer, tree):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    plan = PlanFactory(organization=tree["BS-DONG-Y"], number="49-KH/HU", issued_on=datetime.date(2017, 5, 4))
    SecondedCadreFactory(plan=plan, full_name="Lương Văn Hùng")
    TaskFactory(plan=plan, description="Kiện toàn Ban Chấp hành Đảng bộ")
    IndicatorFactory(plan=plan, name="=SUM(A1:A9)")
    client.force_login(officer)
    response = client.get(reverse("consolidation:plan_docx", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Số 49-KH/HU" in cells and "Bắc Sơn, ngày 04 tháng 5 năm 2017" in cells
    assert "KẾ HOẠCH" in text and "Kiện toàn Ban Chấp hành Đảng bộ" in text and "Lương Văn Hùng" in text
    assert "Đảng bộ xã Đồng Ý" in text
    assert "'=SUM(A1:A9)" in cells and "\n=SUM" not in cells


def test_plan_docx_is_404_outside_the_scope(client, secretary_nhat_tien, tree):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], number="50-KH/HU", issued_on=datetime.date(2017, 5, 4))
    client.force_login(secretary_nhat_tien)
    assert client.get(reverse("consolidation:plan_docx", args=[plan.pk])).status_code == 404


def test_plan_list_exports_the_filtered_plans(client, officer, tree):
    import csv

    PlanFactory(organization=tree["BS-DONG-Y"], number="49-KH/HU", issued_on=datetime.date(2017, 5, 4))
    PlanFactory(organization=tree["BS-NHAT-TIEN"], number="=82-KH/HU", issued_on=datetime.date(2018, 5, 14))
    client.force_login(officer)
    page = client.get(reverse("consolidation:plan_list")).content.decode()
    assert 'data-export="csv"' in page and "list-print.css" in page
    response = client.get(reverse("consolidation:plan_list"), {"format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(line[0] for line in lines[1:]) == ["'=82-KH/HU", "49-KH/HU"]
    response = client.get(reverse("consolidation:plan_list"), {"unit": "BS-DONG-Y", "format": "csv"})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["49-KH/HU"]

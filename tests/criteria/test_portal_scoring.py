"""The secretary's portal for a scored year: the scoring sheets prefilled with the unit's criteria and its members
or cells, uploaded back as they are through the item_scores import, and the progress list of what is missing."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from assessments.importing import data_import
from assessments.models import ItemScore, MemberAssessment, Membership
from tests.criteria_factories import criteria_set_make
from tests.cycle_factories import nhat_tien_people, year_opened
from tests.factories import MemberFactory, level

pytestmark = pytest.mark.django_db

PORTAL = "/portal/BS-NHAT-TIEN/2025/"


@pytest.fixture
def scored(tree, officer):
    """The year opened; a members' set of the district and a units' set of Nhất Tiến; two members in its cells."""
    year_opened(officer=officer, tree=tree)
    people = nhat_tien_people(tree)
    return {
        "members": criteria_set_make(tree["BS"], code="TC-DV", subject_group="members_outside"),
        "units": criteria_set_make(tree["BS-NHAT-TIEN"], code="TC-NT"),
        "people": people,
    }


def _sheet(client, criteria_set):
    response = client.get(f"{PORTAL}scoring/{criteria_set.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(response.content))


def _imported(tmp_path, workbook, user):
    """The filled sheet sent back through the item scores import, by the user who filled it."""
    path = tmp_path / "phieu.xlsx"
    workbook.save(path)
    with open(path, "rb") as handle:
        return data_import(data_type="item_scores", handle=handle, name="phieu.xlsx", actor=user, scope_user=user)


def test_the_members_sheet_lists_the_members_and_one_column_per_item_with_its_maximum(
    client, scored, secretary_nhat_tien
):
    client.force_login(secretary_nhat_tien)
    workbook = _sheet(client, scored["members"])
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:5] == ("Số thẻ đảng viên", "Họ tên hoặc tên tổ chức", "Năm", "Kỳ đánh giá", "Mã bộ tiêu chí")
    assert "Điểm 1.1 (tối đa 15)" in rows[0] and "Tự chấm 2.1 (tối đa 40)" in rows[0]
    assert [row[1] for row in rows[1:]] == ["Dương Thị Mai", "Lý Văn Nam"]
    assert workbook.worksheets[1].cell(row=2, column=2).value == "Nhóm I"


def test_the_filled_sheet_goes_back_through_the_item_scores_import_in_one_try(
    client, tmp_path, scored, secretary_nhat_tien
):
    mai = scored["people"][0]
    rating = MemberAssessment.objects.create(
        member=mai, year=2025, organization=mai.organization, not_rated_reason="other"
    )
    client.force_login(secretary_nhat_tien)
    workbook = _sheet(client, scored["members"])
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for title, value in (("Tự chấm 1.1 (tối đa 15)", 14), ("Điểm 1.1 (tối đa 15)", 13.5), ("Điểm 2.1 (tối đa 40)", 36)):
        sheet.cell(row=2, column=header.index(title) + 1, value=value)
    result = _imported(tmp_path, workbook, secretary_nhat_tien)
    assert result.ok and result.created == 2
    assert sorted(ItemScore.objects.filter(member=mai).values_list("item__code", "score")) == [
        ("1.1", 13.5),
        ("2.1", 36),
    ]
    rating.refresh_from_db()
    assert rating.score == 49.5 and rating.self_score == 14
    page = client.get(PORTAL).content.decode()
    assert "Đã chấm 1/2." in page and "Lý Văn Nam" in page.split('data-set="TC-DV"')[1]


def test_a_wrong_score_in_the_sheet_names_its_row_and_item_column(client, tmp_path, scored, secretary_nhat_tien):
    client.force_login(secretary_nhat_tien)
    workbook = _sheet(client, scored["members"])
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=header.index("Điểm 1.2 (tối đa 15)") + 1, value=16)
    result = _imported(tmp_path, workbook, secretary_nhat_tien)
    assert [(e.row, e.column) for e in result.errors] == [(3, "Điểm 1.2 (tối đa 15)")]
    assert "phải từ 0 đến 15" in result.errors[0].message
    assert not ItemScore.objects.exists()


def test_the_units_sheet_lists_the_commune_and_its_cells(client, scored, secretary_nhat_tien):
    client.force_login(secretary_nhat_tien)
    rows = list(_sheet(client, scored["units"]).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Mã tổ chức"
    assert [row[0] for row in rows[1:]] == ["BS-NHAT-TIEN", "BS-NHAT-TIEN-01", "BS-NHAT-TIEN-02"]


def test_the_progress_list_says_what_is_missing(client, scored, secretary_nhat_tien):
    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    assert page.count("Chưa tải lên phiếu chấm điểm") == 2
    assert "Dương Thị Mai, Lý Văn Nam" in page


def test_another_communes_sheet_and_a_set_not_in_force_are_not_found(
    client, tree, scored, secretary_dong_y, secretary_nhat_tien
):
    client.force_login(secretary_dong_y)
    assert client.get(f"{PORTAL}scoring/{scored['members'].pk}/").status_code == 404
    other = criteria_set_make(tree["BS-DONG-Y"], code="TC-DY")
    client.force_login(secretary_nhat_tien)
    assert client.get(f"{PORTAL}scoring/{other.pk}/").status_code == 404
    assert level("qd366-2025", "member", "good")  # the scheme of 2025 is scored, so the section shows


def test_the_scoring_section_does_not_grow_with_members(
    client, tree, scored, secretary_nhat_tien, django_assert_max_num_queries
):
    client.force_login(secretary_nhat_tien)
    client.get(PORTAL)
    # 30 with the scoring section and the missing paperwork, +1: the period's months in the reasons (issue 14).
    # +2 (issue 16): the unit's collectives (none here), for the tables and for the checklist.
    with django_assert_max_num_queries(33) as few:
        client.get(PORTAL)
    for index in range(10):
        member = MemberFactory(organization=tree["BS-NHAT-TIEN-01"], full_name=f"Hoàng Văn Mới {index}")
        Membership.objects.create(member=member, organization=tree["BS-NHAT-TIEN-01"], start=datetime.date(2010, 1, 1))
    with django_assert_max_num_queries(len(few)):
        page = client.get(PORTAL).content.decode()
    assert "Hoàng Văn Mới 9" in page


def test_the_portals_upload_link_opens_the_import_page_on_item_scores(client, scored, secretary_nhat_tien):
    import re
    from html import unescape

    client.force_login(secretary_nhat_tien)
    page = client.get(PORTAL).content.decode()
    link = unescape(re.search(r'href="([^"]*data_type=item_scores[^"]*)"', page).group(1))
    form = client.get(link).context["form"]
    assert form.initial["data_type"] == "item_scores"


def test_a_quarters_sheet_names_the_quarter_and_a_bad_period_is_not_found(client, scored, secretary_nhat_tien):
    client.force_login(secretary_nhat_tien)
    url = f"{PORTAL}scoring/{scored['members'].pk}/"
    response = client.get(url, {"period": "Q2"})
    assert response.status_code == 200 and "-q2.xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert {row[3] for row in rows[1:]} == {"Q2"}
    assert client.get(url, {"period": "Q5"}).status_code == 404
    assert f"{url}?period=Q4" in client.get(PORTAL).content.decode()

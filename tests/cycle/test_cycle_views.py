"""The year cycle pages: who may open a year, the list of units with their state, flat query counts."""

import datetime

import pytest

from assessments.cycle import services as cycle_services
from assessments.cycle.views import portal_url_for
from assessments.models import Kind, SubmissionStatus, YearCycle
from tests.cycle_factories import pdf_bytes, upload, year_opened
from tests.factories import OrganizationFactory, scores_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.mark.parametrize("url", ["/cycle/", "/cycle/BS/2025/", "/portal/", "/portal/BS-NHAT-TIEN/2025/"])
def test_anonymous_is_sent_to_login(client, officer, tree, url):
    year_opened(officer=officer, tree=tree)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_officer_opens_a_year_from_the_cycle_page(client, officer, tree):
    client.force_login(officer)
    page = client.get("/cycle/")
    assert page.status_code == 200
    assert "Mở đợt đánh giá" in page.content.decode()
    response = client.post("/cycle/", {"organization": tree["BS"].pk, "year": 2025, "deadline": "2025-12-15"})
    assert response.status_code == 302
    assert response.url == "/cycle/BS/2025/"
    cycle = YearCycle.objects.get()
    assert (cycle.scheme.code, cycle.deadline, cycle.opened_by) == ("qd366-2025", datetime.date(2025, 12, 15), officer)


def test_opening_a_year_twice_shows_the_error_on_the_form(client, officer, tree):
    year_opened(officer=officer, tree=tree)
    client.force_login(officer)
    response = client.post("/cycle/", {"organization": tree["BS"].pk, "year": 2025, "deadline": "2025-12-15"})
    # Back to the list by GET, the form shown again with the error; a reload shows the list without it.
    assert response.status_code == 302 and response.url == "/cycle/"
    page = client.get("/cycle/").content.decode()
    assert "đã mở đợt đánh giá năm 2025" in page and 'value="2025"' in page
    assert "đã mở đợt đánh giá năm 2025" not in client.get("/cycle/").content.decode()


def test_a_commune_cannot_be_chosen_to_open_a_year(client, officer, tree):
    client.force_login(officer)
    response = client.post("/cycle/", {"organization": tree["BS-DONG-Y"].pk, "year": 2025, "deadline": "2025-12-15"})
    assert response.status_code == 302 and response.url == "/cycle/"
    assert "Chưa mở được đợt đánh giá" in client.get("/cycle/").content.decode()
    assert not YearCycle.objects.exists()


def test_leader_reads_the_cycle_pages_but_cannot_open_a_year(client, officer, leader, tree):
    year_opened(officer=officer, tree=tree)
    client.force_login(leader)
    page = client.get("/cycle/").content.decode()
    assert "2025" in page and 'id="year-open-form"' not in page
    assert client.get("/cycle/BS/2025/").status_code == 200
    response = client.post("/cycle/", {"organization": tree["BS"].pk, "year": 2024, "deadline": "2024-12-15"})
    assert response.status_code == 403
    assert YearCycle.objects.count() == 1


def test_secretary_cannot_open_the_cycle_pages(client, officer, tree, secretary_nhat_tien):
    year_opened(officer=officer, tree=tree)
    client.force_login(secretary_nhat_tien)
    assert client.get("/cycle/").status_code == 403
    # The district is outside a commune secretary's scope: not found, whether or not the year exists.
    assert client.get("/cycle/BS/2025/").status_code == 404
    assert client.get("/cycle/BS/2030/").status_code == 404


def test_cycle_page_lists_units_with_their_state_and_those_not_submitted(client, officer, tree, secretary_nhat_tien):
    submissions = year_opened(officer=officer, tree=tree)
    nhat_tien = submissions["BS-NHAT-TIEN"]
    cycle_services.document_upload(submission=nhat_tien, file=upload("bc.pdf", pdf_bytes()), actor=secretary_nhat_tien)
    nhat_tien.status = SubmissionStatus.SUBMITTED
    nhat_tien.save()
    client.force_login(officer)
    page = client.get("/cycle/BS/2025/").content.decode()
    not_submitted = page[page.index('id="not-submitted"') : page.index("</ul>", page.index('id="not-submitted"'))]
    assert "Đảng bộ xã Đồng Ý" in not_submitted
    assert "Nhất Tiến" not in not_submitted
    assert "Đã gửi, chờ thẩm định" in page
    assert "/review/BS-NHAT-TIEN/2025/" in page
    # The unit dissolved in 2016 is not to be rated.
    assert "Chi bộ Cơ quan cũ" not in page


def test_cycle_page_query_count_does_not_grow_with_units(client, officer, tree, django_assert_max_num_queries):
    for i in range(25):
        OrganizationFactory(code=f"BS-CB{i}", name=f"Chi bộ cơ quan {i}", kind=Kind.GRASSROOTS_CELL, parent=tree["BS"])
    year_opened(officer=officer, tree=tree)
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get("/cycle/BS/2025/")
    assert response.content.decode().count('data-unit="') == 27


def test_cycle_list_query_count_does_not_grow_with_years(client, officer, tree, django_assert_max_num_queries):
    for year in range(2016, 2026):
        cycle_services.year_open(
            organization=tree["BS"], year=year, deadline=datetime.date(year, 12, 15), actor=officer
        )
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get("/cycle/")
    assert response.content.decode().count("/cycle/BS/") == 10


def test_secretary_lands_on_the_portal_of_the_latest_year(client, officer, tree, secretary_nhat_tien):
    year_opened(officer=officer, tree=tree, year=2024)
    year_opened(officer=officer, tree=tree, year=2025)
    assert portal_url_for(secretary_nhat_tien) == "/portal/BS-NHAT-TIEN/2025/"
    assert portal_url_for(officer) is None
    client.force_login(secretary_nhat_tien)
    response = client.get("/portal/")
    assert response.status_code == 302 and response.url == "/portal/BS-NHAT-TIEN/2025/"


def test_portal_says_so_when_no_year_is_open(client, tree, secretary_nhat_tien):
    assert portal_url_for(secretary_nhat_tien) is None
    client.force_login(secretary_nhat_tien)
    assert "chưa mở đợt đánh giá" in client.get("/portal/").content.decode()


def test_cycle_page_flags_units_late_after_the_deadline(client, officer, tree):
    cycle_services.year_open(organization=tree["BS"], year=2019, deadline=datetime.date(2019, 12, 15), actor=officer)
    client.force_login(officer)
    assert "đã quá hạn 15/12/2019" in client.get("/cycle/BS/2019/").content.decode()


def test_the_cycles_unit_table_filters_by_status(client, officer, tree):
    from assessments.models import Submission, SubmissionStatus
    from tests.cycle_factories import year_opened

    submissions = year_opened(officer=officer, tree=tree, year=2025)
    Submission.objects.filter(pk=submissions["BS-DONG-Y"].pk).update(status=SubmissionStatus.SUBMITTED)
    client.force_login(officer)
    page = client.get("/cycle/BS/2025/", {"status": "submitted"}).content.decode()
    table = page[page.index('id="units"') :]
    assert "Đảng bộ xã Đồng Ý" in table and "Đảng bộ xã Nhất Tiến" not in table
    assert "Nhất Tiến" in client.get("/cycle/BS/2025/").content.decode().split('id="units"')[1]


def _reviewed(officer, tree, secretary_nhat_tien, secretary_dong_y):
    """Đồng Ý and Nhất Tiến submitted for 2025 and appraised "good" by the Organization Board."""
    from assessments.cycle import services as cycle_services
    from tests.cycle_factories import members_rated, submission_ready, year_opened
    from tests.factories import level

    submissions = year_opened(officer=officer, tree=tree, year=2025)
    for code, secretary in (("BS-NHAT-TIEN", secretary_nhat_tien), ("BS-DONG-Y", secretary_dong_y)):
        members_rated(tree[f"{code}-01"], 2025, "qd366-2025", ["good"])
        submission = submissions[code]
        submission_ready(
            submission=submission, secretary=secretary, scheme="qd366-2025", self_level="good", cell_level="good"
        )
        cycle_services.submission_submit(submission=submission, actor=secretary)
        cycle_services.submission_appraise(
            submission=submission, level=level("qd366-2025", "unit", "good"), actor=officer, scores=scores_for("good")
        )
    return submissions


def test_an_officer_finalizes_several_reviewed_units_with_one_decision(
    client, officer, tree, secretary_nhat_tien, secretary_dong_y
):
    from assessments.models import Submission, SubmissionStatus, UnitAssessment

    submissions = _reviewed(officer, tree, secretary_nhat_tien, secretary_dong_y)
    client.force_login(officer)
    page = client.get("/cycle/BS/2025/").content.decode()
    assert 'id="finalize-selected"' in page and page.count('name="submissions"') == 2
    response = client.post(
        "/cycle/BS/2025/finalize/",
        {"submissions": [s.pk for s in submissions.values()], "decision_ref": "55-QĐ/HU", "decided_on": "2026-01-12"},
        follow=True,
    )
    assert "Đã chốt kết quả 2 đơn vị theo Quyết định 55-QĐ/HU." in response.content.decode()
    finalized = Submission.objects.filter(status=SubmissionStatus.FINALIZED, cycle__year=2025)
    assert {s.organization.code for s in finalized} == {"BS-NHAT-TIEN", "BS-DONG-Y"}
    ratings = UnitAssessment.objects.filter(year=2025, organization__code__in=["BS-NHAT-TIEN", "BS-DONG-Y"])
    assert {(r.level.code, r.decision_ref) for r in ratings} == {("good", "55-QĐ/HU")}


def test_finalizing_together_is_all_or_nothing_and_names_the_unit(
    client, officer, tree, secretary_nhat_tien, secretary_dong_y
):
    from assessments.models import Submission, SubmissionStatus

    submissions = _reviewed(officer, tree, secretary_nhat_tien, secretary_dong_y)
    Submission.objects.filter(pk=submissions["BS-DONG-Y"].pk).update(proposed_level=None)
    client.force_login(officer)
    response = client.post(
        "/cycle/BS/2025/finalize/",
        {"submissions": [s.pk for s in submissions.values()], "decision_ref": "55-QĐ/HU", "decided_on": "2026-01-12"},
        follow=True,
    )
    assert "Đảng bộ xã Đồng Ý chưa thẩm định xong" in response.content.decode()
    assert not Submission.objects.filter(status=SubmissionStatus.FINALIZED).exists()


def test_a_secretary_may_not_finalize_together(client, officer, tree, secretary_nhat_tien, secretary_dong_y):
    submissions = _reviewed(officer, tree, secretary_nhat_tien, secretary_dong_y)
    client.force_login(secretary_nhat_tien)
    response = client.post(
        "/cycle/BS-NHAT-TIEN/2025/finalize/",
        {"submissions": [submissions["BS-NHAT-TIEN"].pk], "decision_ref": "1", "decided_on": "2026-01-12"},
    )
    assert response.status_code in (403, 404)

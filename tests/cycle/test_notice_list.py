"""The in-app list of notices (issue 18, item 3): a row for every recipient, the page, read marks, the count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.cycle import notices
from assessments.cycle import services as cycle_services
from assessments.models import Notice, NoticeKind
from tests.cycle_factories import nhat_tien_ready, year_opened

pytestmark = pytest.mark.django_db


def _open_2025(client, officer, tree, capture):
    client.force_login(officer)
    with capture(execute=True):
        response = client.post("/cycle/", {"organization": tree["BS"].pk, "year": 2025, "deadline": "2025-12-15"})
    assert response.status_code == 302


def _notice(user, number: int, *, read: bool = False) -> Notice:
    return Notice.objects.create(
        recipient=user,
        kind=NoticeKind.RETURNED,
        subject=f"Thông báo số {number}",
        body="Ý kiến của cấp trên",
        path="/portal/BS-NHAT-TIEN/2025/",
        read_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) if read else None,
    )


def test_opening_a_year_notifies_every_secretary_in_the_app_even_without_an_email_address(
    client, officer, tree, secretary_dong_y, secretary_nhat_tien, mailoutbox, django_capture_on_commit_callbacks
):
    secretary_dong_y.email = ""
    secretary_dong_y.save(update_fields=["email"])
    _open_2025(client, officer, tree, django_capture_on_commit_callbacks)
    rows = {n.recipient.username: n for n in Notice.objects.select_related("recipient")}
    assert set(rows) == {"dongy", "rum"}
    assert rows["dongy"].kind == NoticeKind.YEAR_OPENED and rows["dongy"].path == "/portal/BS-DONG-Y/2025/"
    assert "15/12/2025" in rows["dongy"].body and rows["dongy"].read_at is None
    assert all(m.to != [""] for m in mailoutbox)


def test_a_notice_is_written_only_when_the_change_commits(officer, tree, secretary_nhat_tien):
    # Without the commit callbacks running (a rolled-back change), nobody is told anything.
    cycle = cycle_services.year_open(
        organization=tree["BS"], year=2025, deadline=datetime.date(2025, 12, 15), actor=officer
    )
    notices.notices_year_opened(cycle=cycle)
    assert not Notice.objects.exists()


def test_submit_return_and_decision_each_leave_a_notice_for_the_person_concerned(
    client, officer, leader, tree, secretary_nhat_tien, django_capture_on_commit_callbacks
):
    submission = year_opened(officer=officer, tree=tree, year=2025)["BS-NHAT-TIEN"]
    nhat_tien_ready(submission=submission, tree=tree, secretary=secretary_nhat_tien)
    client.force_login(secretary_nhat_tien)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/BS-NHAT-TIEN/2025/submit/")
    submitted = Notice.objects.get(kind=NoticeKind.SUBMITTED)
    # The officer reviews; the leader reads only and is not asked to act.
    assert submitted.recipient == officer and submitted.path == "/review/BS-NHAT-TIEN/2025/"
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/review/BS-NHAT-TIEN/2025/return/", {"comment": "Thiếu biên bản họp chi bộ."})
    returned = Notice.objects.get(kind=NoticeKind.RETURNED)
    assert returned.recipient == secretary_nhat_tien and "Thiếu biên bản họp chi bộ." in returned.body


def test_a_near_deadline_leaves_a_reminder_in_the_app(
    officer, tree, secretary_nhat_tien, django_capture_on_commit_callbacks
):
    deadline = datetime.date.today() + datetime.timedelta(days=notices.REMINDER_DAYS)
    cycle_services.year_open(organization=tree["BS"], year=2025, deadline=deadline, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        notices.notices_deadline_near()
    reminder = Notice.objects.get(kind=NoticeKind.DEADLINE_NEAR, recipient=secretary_nhat_tien)
    assert deadline.strftime("%d/%m/%Y") in reminder.body


def test_the_notices_page_lists_only_ones_own_notices_newest_first_with_links(
    client, secretary_nhat_tien, secretary_dong_y
):
    for number in range(1, 4):
        _notice(secretary_nhat_tien, number, read=number == 1)
    Notice.objects.create(recipient=secretary_dong_y, kind=NoticeKind.DECIDED, subject="Của Đồng Ý", path="/")
    client.force_login(secretary_nhat_tien)
    html = client.get("/notices/").content.decode()
    assert "Của Đồng Ý" not in html
    assert html.index("Thông báo số 3") < html.index("Thông báo số 2") < html.index("Thông báo số 1")
    assert 'href="/portal/BS-NHAT-TIEN/2025/"' in html
    assert html.count("notice-unread") == 2


def test_the_notices_page_is_paginated_within_a_fixed_number_of_queries(
    client, secretary_nhat_tien, django_assert_max_num_queries
):
    for number in range(1, 46):
        _notice(secretary_nhat_tien, number)
    client.force_login(secretary_nhat_tien)
    with django_assert_max_num_queries(8):
        first = client.get("/notices/").content.decode()
    assert "Thông báo số 45" in first and "Thông báo số 25" not in first and "Trang 1/3" in first
    last = client.get("/notices/", {"page": 3}).content.decode()
    assert "Thông báo số 1<" in last and "Thông báo số 6<" not in last


def test_marking_a_notice_read_redirects_back_and_lowers_the_unread_count(client, secretary_nhat_tien):
    first, second = _notice(secretary_nhat_tien, 1), _notice(secretary_nhat_tien, 2)
    client.force_login(secretary_nhat_tien)
    assert 'id="nav-notices-unread" title="chưa đọc">2<' in client.get("/units/").content.decode()
    response = client.post(f"/notices/{first.pk}/read/", {"next": "/units/?page=1"})
    assert response.status_code == 302 and response.url == "/units/?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert 'id="nav-notices-unread" title="chưa đọc">1<' in client.get("/units/").content.decode()
    # An address elsewhere is not followed; the list is the way back then.
    assert client.post(f"/notices/{second.pk}/read/", {"next": "https://example.com/"}).url == "/notices/"
    client.post("/notices/read/", {"next": "/notices/"})
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    assert 'id="nav-notices-unread"' not in client.get("/units/").content.decode()


def test_marking_read_is_a_post_and_anothers_notice_is_not_found(client, secretary_nhat_tien, secretary_dong_y):
    theirs = _notice(secretary_nhat_tien, 1)
    client.force_login(secretary_dong_y)
    assert client.get(f"/notices/{theirs.pk}/read/").status_code == 405
    assert client.post(f"/notices/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_count_costs_one_query_per_page(client, secretary_nhat_tien):
    for number in range(1, 4):
        _notice(secretary_nhat_tien, number)
    client.force_login(secretary_nhat_tien)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/units/").content.decode()
    notice_queries = [q["sql"] for q in queries if "assessments_notice" in q["sql"]]
    assert len(notice_queries) == 1 and 'title="chưa đọc">3<' in html


def test_the_secretarys_landing_page_shows_his_unread_notices(
    client, officer, tree, secretary_nhat_tien, django_capture_on_commit_callbacks
):
    _open_2025(client, officer, tree, django_capture_on_commit_callbacks)
    client.force_login(secretary_nhat_tien)
    html = client.get("/").content.decode()
    box = html[html.index('id="secretary-notices"') :]
    assert "Đã mở đợt đánh giá, xếp loại năm 2025" in box and 'href="/notices/"' in box
    Notice.objects.update(read_at=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC))
    assert 'id="secretary-notices"' not in client.get("/").content.decode()

"""Email notices of the yearly cycle (issue 18, item 3): opened, submitted, returned, decided, deadline near."""

import datetime

import pytest

from assessments.cycle import notices
from assessments.cycle import services as cycle_services
from assessments.cycle.tasks import deadline_reminders_task
from assessments.models import Submission, SubmissionStatus
from tests.cycle_factories import nhat_tien_ready

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(officer, secretary_nhat_tien, secretary_dong_y):
    for user, email in ((officer, "binh@bacson.example"), (secretary_nhat_tien, "rum@nhattien.example")):
        user.email = email
        user.save(update_fields=["email"])
    # Đồng Ý's secretary has no address: nothing is sent to him, and nothing fails.


def test_opening_a_year_tells_each_secretary_with_an_address(
    client, officer, tree, addresses, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cycle/", {"organization": tree["BS"].pk, "year": 2025, "deadline": "2025-12-15"})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["rum@nhattien.example"]]
    assert "15/12/2025" in mailoutbox[0].body and "/portal/BS-NHAT-TIEN/2025/" in mailoutbox[0].body


def test_submit_tells_the_officers_and_return_and_decision_tell_the_secretary(
    client, officer, tree, secretary_nhat_tien, addresses, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.cycle_factories import year_opened

    submission = year_opened(officer=officer, tree=tree, year=2025)["BS-NHAT-TIEN"]
    nhat_tien_ready(submission=submission, tree=tree, secretary=secretary_nhat_tien)
    client.force_login(secretary_nhat_tien)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/BS-NHAT-TIEN/2025/submit/")
    assert [m.to for m in mailoutbox] == [["binh@bacson.example"]]
    assert "/review/BS-NHAT-TIEN/2025/" in mailoutbox[0].body
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/review/BS-NHAT-TIEN/2025/return/", {"comment": "Thiếu biên bản họp chi bộ."})
    assert mailoutbox[-1].to == ["rum@nhattien.example"] and "Thiếu biên bản họp chi bộ." in mailoutbox[-1].body


def test_a_near_deadline_reminds_only_units_that_have_not_sent(
    officer, tree, secretary_nhat_tien, addresses, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = datetime.date.today() + datetime.timedelta(days=notices.REMINDER_DAYS)
    cycle_services.year_open(organization=tree["BS"], year=2025, deadline=deadline, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_task() == 1
    assert mailoutbox[0].to == ["rum@nhattien.example"] and deadline.strftime("%d/%m/%Y") in mailoutbox[0].body
    Submission.objects.filter(organization__code="BS-NHAT-TIEN").update(status=SubmissionStatus.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadline_reminders_task() == 0

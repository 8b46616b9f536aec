"""The consolidation admin (the correction path): lists, history, inlines, and the plan's rules still checked."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.models import Subject
from consolidation.models import TaskProgress
from tests.consolidation_factories import MeasurementFactory, SecondedCadreFactory, WorkingGroupMemberFactory
from tests.factories import level

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def test_admin_lists_plans_and_shows_their_history(client, admin_user, plans, django_assert_max_num_queries):
    client.force_login(admin_user)
    plan = plans["BS-DONG-Y"]

    with django_assert_max_num_queries(12):
        listing = client.get(reverse("admin:consolidation_plan_changelist"), {"q": "dong y"})
    history = client.get(reverse("admin:consolidation_plan_history", args=[plan.pk]))

    assert listing.status_code == 200 and "49-KH/HU" in listing.content.decode()
    assert "82-KH/HU" not in listing.content.decode()
    assert history.status_code == 200


@pytest.mark.parametrize(
    ("model", "shown"),
    [
        ("secondedcadre", "Lương Văn Cán"),
        ("workinggroupmember", "Hà Thị Tổ"),
        ("task", "Kiện toàn cấp ủy"),
        ("indicator", "Tỷ lệ hộ nghèo"),
        ("taskprogress", "Đã họp chi bộ"),
        ("measurement", "Tỷ lệ hộ nghèo"),
    ],
)
def test_admin_lists_every_part_of_a_plan(client, admin_user, plans, model, shown, django_assert_max_num_queries):
    plan = plans["BS-DONG-Y"]
    SecondedCadreFactory(plan=plan)
    WorkingGroupMemberFactory(plan=plan)
    TaskProgress.objects.create(task=plan.tasks.get(), noted_on=YESTERDAY, note="Đã họp chi bộ")
    MeasurementFactory(indicator=plan.indicators.get())
    client.force_login(admin_user)

    # One query per page, not per row: the plan and its unit come with each row.
    with django_assert_max_num_queries(12):
        listing = client.get(reverse(f"admin:consolidation_{model}_changelist"))

    assert listing.status_code == 200 and shown in listing.content.decode()


@pytest.mark.parametrize(("model", "inline"), [("task", "Đã họp chi bộ"), ("indicator", 'value="21.50"')])
def test_admin_shows_tasks_with_progress_and_indicators_with_values(client, admin_user, plans, model, inline):
    plan = plans["BS-DONG-Y"]
    TaskProgress.objects.create(task=plan.tasks.get(), noted_on=YESTERDAY, note="Đã họp chi bộ")
    MeasurementFactory(indicator=plan.indicators.get(), value="21.5")
    client.force_login(admin_user)
    target = plan.tasks.get() if model == "task" else plan.indicators.get()

    page = client.get(reverse(f"admin:consolidation_{model}_change", args=[target.pk]))

    assert page.status_code == 200 and inline in page.content.decode()
    # The recorder is chosen by id in the inline rows, not from a list of every user.
    assert re.search(r'<input[^>]*name="\w+-0-recorded_by"[^>]*vForeignKeyRawIdAdminField', page.content.decode())


def test_admin_correction_still_checks_the_plan_rules(client, admin_user, plans):
    client.force_login(admin_user)
    plan = plans["BS-DONG-Y"]
    url = reverse("admin:consolidation_plan_change", args=[plan.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update(
        {
            "issued_on": "2017-05-04",
            "baseline_year": "2016",
            "organization": plan.organization_id,
            "baseline_level": level("qd132-2018", Subject.UNIT, "not_completed").pk,
            "programme": "",
        }
    )
    for prefix in ("cadres", "group_members", "tasks", "indicators"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(url, data)

    # The scheme is named as users know it, not by its code (since 22e60b3).
    assert response.status_code == 200
    assert "thuộc Quy định 132-QĐ/TW, không dùng cho năm 2016" in response.content.decode()
    plan.refresh_from_db()
    assert plan.baseline_level.scheme.code == "hd27-2014"

"""Consolidation pages: who sees and changes what, forms, and query counts on the lists."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Kind, Sector, Subject
from consolidation.models import Measurement, Plan, PlanStatus, Programme, Task, TaskProgress, TaskStatus
from tests.consolidation_factories import (
    IndicatorFactory,
    PlanFactory,
    ProgrammeFactory,
    SecondedCadreFactory,
    TaskFactory,
    rate,
)
from tests.factories import OrganizationFactory, level

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def _record_progress(client, plan, task=None):
    """Post the plan page's progress form: its task (or the one given) in progress since yesterday."""
    task = task or plan.tasks.get()
    data = {"task": task.pk, "noted_on": YESTERDAY.isoformat(), "note": "Đã họp chi bộ", "status": "in_progress"}
    return client.post(reverse("consolidation:task_progress_add", args=[plan.pk]), data)


def _record_measurement(client, plan, measured_on=YESTERDAY):
    """Post the plan page's measurement form: its indicator at 21.5 on the day (yesterday unless given)."""
    data = {"indicator": plan.indicators.get().pk, "measured_on": measured_on.isoformat(), "value": "21.5", "note": ""}
    return client.post(reverse("consolidation:measurement_add", args=[plan.pk]), data)


def _refused_back(response, url: str) -> str:
    """A refused POST goes back by GET to the page the user was on (`url`), which shows the errors; returns it."""
    assert response.status_code == 302 and response.url == url
    return response.client.get(url).content.decode()


def _plan_url(plan) -> str:
    return reverse("consolidation:plan_detail", args=[plan.pk])


# --- scope: secretaries --------------------------------------------------------------------------------------------


def test_secretary_sees_only_own_plan_in_the_list(client, secretary_dong_y, plans):
    client.force_login(secretary_dong_y)

    html = client.get(reverse("consolidation:plan_list")).content.decode()

    assert "49-KH/HU" in html and "82-KH/HU" not in html


def test_secretary_does_not_see_a_draft_of_own_unit(client, tree, secretary_dong_y):
    draft = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT, number="50-KH/HU")
    client.force_login(secretary_dong_y)

    assert "50-KH/HU" not in client.get(reverse("consolidation:plan_list")).content.decode()
    assert client.get(reverse("consolidation:plan_detail", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("name", ["plan_detail", "plan_print", "plan_pdf", "plan_edit"])
def test_secretary_cannot_open_other_communes_plan(client, secretary_dong_y, plans, name):
    client.force_login(secretary_dong_y)

    response = client.get(reverse(f"consolidation:{name}", args=[plans["BS-NHAT-TIEN"].pk]))

    assert response.status_code == 404


def test_secretary_cannot_record_on_other_communes_plan(client, secretary_dong_y, plans):
    other = plans["BS-NHAT-TIEN"]
    client.force_login(secretary_dong_y)

    progress = _record_progress(client, other)
    measurement = _record_measurement(client, other)

    assert (progress.status_code, measurement.status_code) == (404, 404)
    assert not TaskProgress.objects.exists() and not Measurement.objects.exists()


def test_secretary_cannot_slip_another_plans_task_into_own_plan(client, secretary_dong_y, plans):
    own, other = plans["BS-DONG-Y"], plans["BS-NHAT-TIEN"]
    client.force_login(secretary_dong_y)

    response = _record_progress(client, own, task=other.tasks.get())

    assert 'id="progress-form"' in _refused_back(response, _plan_url(own))
    assert not TaskProgress.objects.exists()
    assert other.tasks.get().status == TaskStatus.NOT_STARTED


def test_secretary_records_progress_and_measurement_on_own_plan(client, secretary_dong_y, plans):
    plan = plans["BS-DONG-Y"]
    client.force_login(secretary_dong_y)

    progress = _record_progress(client, plan)
    measurement = _record_measurement(client, plan)

    assert (progress.status_code, measurement.status_code) == (302, 302)
    assert plan.tasks.get().status == TaskStatus.IN_PROGRESS
    note = TaskProgress.objects.get()
    assert (note.note, note.recorded_by) == ("Đã họp chi bộ", secretary_dong_y)
    assert str(Measurement.objects.get().value) == "21.50"
    page = client.get(reverse("consolidation:plan_detail", args=[plan.pk])).content.decode()
    assert "Đã họp chi bộ" in page and "21,5" in page


def test_secretary_measurement_error_names_the_field(client, secretary_dong_y, plans):
    plan = plans["BS-DONG-Y"]
    client.force_login(secretary_dong_y)

    response = _record_measurement(client, plan, measured_on=datetime.date.today() + datetime.timedelta(days=3))

    page = _refused_back(response, _plan_url(plan))
    assert "không thể ở tương lai" in page
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("method", "name", "with_pk"),
    [
        ("get", "plan_edit", True),
        ("post", "plan_edit", True),
        ("post", "plan_transition", True),
        ("get", "plan_create", False),
        ("get", "candidate_list", False),
        ("get", "programme_list", False),
    ],
)
def test_secretary_changes_nothing_but_progress_and_measurements(
    client, secretary_dong_y, plans, method, name, with_pk
):
    plan = plans["BS-DONG-Y"]
    client.force_login(secretary_dong_y)
    url = reverse(f"consolidation:{name}", args=[plan.pk] if with_pk else [])

    response = getattr(client, method)(url, {"to": "cancelled", "number": "99-KH/HU"} if method == "post" else {})

    # Their own plan is in scope, but the role may not change it or read the district's pages: 403.
    assert response.status_code == 403
    plan.refresh_from_db()
    assert (plan.status, plan.number) == (PlanStatus.ACTIVE, "49-KH/HU")


def test_secretary_gets_no_record_forms_on_a_completed_plan(client, tree, secretary_dong_y):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.COMPLETED)
    TaskFactory(plan=plan)
    client.force_login(secretary_dong_y)

    page = client.get(reverse("consolidation:plan_detail", args=[plan.pk])).content.decode()
    refused = _record_progress(client, plan)

    assert 'id="progress-form"' not in page
    # The secretary may record on their plan, but not once it is closed: the form says why, nothing is written.
    assert "chỉ ghi tiến độ và số liệu khi đang thực hiện" in _refused_back(refused, _plan_url(plan))
    assert not TaskProgress.objects.exists()


def test_secretary_of_another_programme_unit_cannot_open_programme(client, secretary_nhat_tien):
    programme = ProgrammeFactory()
    client.force_login(secretary_nhat_tien)

    assert client.get(reverse("consolidation:programme_detail", args=[programme.pk])).status_code == 404
    assert client.get(reverse("consolidation:programme_pdf", args=[programme.pk])).status_code == 404


# --- leaders and officers ------------------------------------------------------------------------------------------


def test_leader_reads_plans_but_gets_no_forms_or_edit_pages(client, leader, plans):
    plan = plans["BS-DONG-Y"]
    client.force_login(leader)

    page = client.get(reverse("consolidation:plan_detail", args=[plan.pk]))
    edit = client.get(reverse("consolidation:plan_edit", args=[plan.pk]))
    cancel = client.post(reverse("consolidation:plan_transition", args=[plan.pk]), {"to": "cancelled"})
    record = _record_progress(client, plan)

    assert page.status_code == 200 and "progress-form" not in page.content.decode()
    assert (edit.status_code, cancel.status_code, record.status_code) == (403, 403, 403)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_officer_starts_a_plan_from_a_candidate_with_fields_prefilled(client, tree, officer):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    client.force_login(officer)

    candidates = client.get(reverse("consolidation:candidate_list"), {"year": 2016}).content.decode()
    form = client.get(reverse("consolidation:plan_create"), {"unit": "BS-DONG-Y", "year": 2016})

    assert "Phải củng cố" in candidates and "unit=BS-DONG-Y&amp;year=2016" in candidates
    assert form.context["form"].initial["baseline_year"] == 2016
    assert form.context["form"].initial["organization"] == tree["BS-DONG-Y"].pk
    assert "Củng cố, kiện toàn Đảng bộ xã Đồng Ý" in form.content.decode()


def test_plan_create_from_a_unit_that_is_not_a_candidate_is_404(client, tree, officer):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "good")
    client.force_login(officer)

    assert client.get(reverse("consolidation:plan_create"), {"unit": "BS-DONG-Y", "year": 2016}).status_code == 404


def _formset_data(prefix, rows, fields):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for name, value in zip(fields, row, strict=True):
            data[f"{prefix}-{i}-{name}"] = value
    return data


def _plan_post(tree, **overrides):
    data = {
        "number": "49-KH/HU",
        "issued_on": "2017-05-04",
        "organization": tree["BS-DONG-Y"].pk,
        "baseline_year": "2016",
        "baseline_level": level("hd27-2014", Subject.UNIT, "weak").pk,
        "goals": "Khắc phục yếu kém",
        "parent_body": "Đảng bộ tỉnh Lạng Sơn",
        "issuing_body": "Huyện ủy Bắc Sơn",
        "place": "Bắc Sơn",
        "title": "",
        "signer_post": "Phó Bí thư",
        "signer_name": "Hoàng Văn Thắng",
        "recipients": "Lưu VP",
        **_formset_data(
            "cadres",
            [("Lương Văn Hùng", "Phó Trưởng phòng Tài chính", "Chủ tịch UBND xã", "2017-05-15", "")],
            ["full_name", "home_post", "unit_post", "start", "end"],
        ),
        **_formset_data("group", [], []),
        **_formset_data(
            "tasks",
            [("administration", "Bê tông hóa đường thôn", "UBND xã", "2017-11-30", "not_started")],
            ["area", "description", "owner", "due_on", "status"],
        ),
        **_formset_data(
            "indicators",
            [("Đường thôn bê tông", "km", "", "", "9", "on")],
            ["name", "unit_of_measure", "baseline_value", "baseline_year", "target_value", "higher_is_better"],
        ),
    }
    data.update(overrides)
    return data


def test_officer_creates_a_draft_plan_with_cadre_task_and_indicator(client, tree, officer):
    client.force_login(officer)

    response = client.post(reverse("consolidation:plan_create"), _plan_post(tree))

    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("consolidation:plan_detail", args=[plan.pk])
    assert (plan.number, plan.status, plan.organization.code) == ("49-KH/HU", PlanStatus.DRAFT, "BS-DONG-Y")
    assert plan.cadres.get().full_name == "Lương Văn Hùng"
    assert plan.tasks.get().description == "Bê tông hóa đường thôn"
    assert plan.indicators.get().target_value == 9
    assert plan.history.first().history_user == officer


def test_plan_form_refuses_a_level_of_the_wrong_scheme_and_writes_nothing(client, tree, officer):
    client.force_login(officer)
    data = _plan_post(tree, baseline_level=level("qd132-2018", Subject.UNIT, "not_completed").pk)

    response = client.post(reverse("consolidation:plan_create"), data)

    page = _refused_back(response, reverse("consolidation:plan_create"))
    assert "Quy định 132-QĐ/TW" in page
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_officer_cannot_target_a_unit_outside_scope(client, tree, officer):
    elsewhere = OrganizationFactory(
        code="LS-KHAC",
        name="Đảng bộ huyện khác",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=tree["LS"],
    )
    client.force_login(officer)

    response = client.post(reverse("consolidation:plan_create"), _plan_post(tree, organization=elsewhere.pk))

    _refused_back(response, reverse("consolidation:plan_create"))
    assert not Plan.objects.exists()


def test_officer_moves_a_plan_through_its_life_cycle(client, tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)
    client.force_login(officer)
    url = reverse("consolidation:plan_transition", args=[plan.pk])

    activated = client.post(url, {"to": "active"})
    refused = client.post(url, {"to": "completed", "closing_assessment": ""})
    assert "phải ghi đánh giá kết thúc" in _refused_back(refused, _plan_url(plan))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    completed = client.post(url, {"to": "completed", "closing_assessment": "Đạt trong sạch, vững mạnh"})

    assert (activated.status_code, completed.status_code) == (302, 302)
    plan.refresh_from_db()
    assert (plan.status, plan.closing_assessment) == (PlanStatus.COMPLETED, "Đạt trong sạch, vững mạnh")


def test_plan_page_flags_overdue_tasks(client, tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], issued_on=datetime.date(2017, 5, 4))
    TaskFactory(plan=plan, due_on=datetime.date(2017, 9, 30), description="Kiện toàn Ban Chấp hành")
    IndicatorFactory(plan=plan)
    client.force_login(officer)

    page = client.get(reverse("consolidation:plan_detail", args=[plan.pk])).content.decode()
    listing = client.get(reverse("consolidation:plan_list")).content.decode()

    assert "Quá hạn" in page and "chưa cập nhật" in page
    assert "1 nhiệm vụ quá hạn" in listing and "1 chỉ tiêu chưa cập nhật" in listing


def test_plan_list_filters_by_year_status_and_unit(client, tree, officer):
    PlanFactory(organization=tree["BS-DONG-Y"], number="49-KH/HU", status=PlanStatus.COMPLETED)
    PlanFactory(
        organization=tree["BS-NHAT-TIEN"], number="82-KH/HU", issued_on=datetime.date(2018, 5, 14), baseline_year=2017
    )
    client.force_login(officer)
    url = reverse("consolidation:plan_list")

    def numbers(**query):
        return [p.number for p in client.get(url, query).context["rows"]]

    assert numbers() == ["82-KH/HU", "49-KH/HU"]
    assert numbers(year=2017) == ["49-KH/HU"]
    assert numbers(status="active") == ["82-KH/HU"]
    assert numbers(unit="BS-DONG-Y") == ["49-KH/HU"]


# --- query counts ----------------------------------------------------------------------------------------------


def _many_units(tree, n):
    return [
        OrganizationFactory(
            code=f"BS-XA-{i}",
            name=f"Đảng bộ xã Thử {i}",
            kind=Kind.GRASSROOTS_COMMITTEE,
            sector=Sector.COMMUNE,
            parent=tree["BS"],
        )
        for i in range(n)
    ]


def test_plan_list_query_count_does_not_grow_with_rows(client, tree, officer, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for unit in _many_units(tree, 8):
        rate(unit, 2016, "hd27-2014", "weak")
        rate(unit, 2017, "hd27-2014", "good")
        plan = PlanFactory(organization=unit, programme=programme)
        TaskFactory.create_batch(2, plan=plan, due_on=datetime.date(2017, 6, 1))
        IndicatorFactory(plan=plan)
    client.force_login(officer)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("consolidation:plan_list"))

    assert len(response.context["rows"]) == 8
    assert response.content.decode().count("Yếu kém (2016) → Hoàn thành tốt nhiệm vụ (2017)") == 8


def test_candidate_list_query_count_does_not_grow_with_rows(client, tree, officer, django_assert_max_num_queries):
    for unit in _many_units(tree, 8):
        rate(unit, 2016, "hd27-2014", "weak")
    client.force_login(officer)

    with django_assert_max_num_queries(5):
        response = client.get(reverse("consolidation:candidate_list"), {"year": 2016})

    assert len(response.context["candidates"]) == 8


def test_programme_page_query_count_does_not_grow_with_plans(client, tree, officer, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    for unit in _many_units(tree, 8):
        rate(unit, 2016, "hd27-2014", "weak")
        rate(unit, 2017, "hd27-2014", "clean_strong")
        PlanFactory(organization=unit, programme=programme, status=PlanStatus.COMPLETED)
    client.force_login(officer)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("consolidation:programme_detail", args=[programme.pk]))

    [year] = response.context["results"]
    assert (year.year, year.consolidated, year.improved) == (2017, 8, 8)


def test_plan_page_query_count_does_not_grow_with_items(client, tree, officer, django_assert_max_num_queries):
    plan = PlanFactory(organization=tree["BS-DONG-Y"])
    SecondedCadreFactory.create_batch(3, plan=plan)
    for task in TaskFactory.create_batch(5, plan=plan):
        TaskProgress.objects.create(task=task, noted_on=datetime.date(2017, 6, 1), note="x", recorded_by=officer)
    IndicatorFactory.create_batch(4, plan=plan)
    client.force_login(officer)

    with django_assert_max_num_queries(17):
        response = client.get(reverse("consolidation:plan_detail", args=[plan.pk]))

    assert response.status_code == 200


def test_officer_edits_a_plan_deleting_a_task_and_adding_a_cadre(client, tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], number="49-KH/HU", status=PlanStatus.DRAFT)
    task = TaskFactory(plan=plan)
    client.force_login(officer)
    data = _plan_post(tree, goals="Mục tiêu mới")
    data.update(
        {
            "tasks-TOTAL_FORMS": "1",
            "tasks-INITIAL_FORMS": "1",
            "tasks-0-id": task.pk,
            "tasks-0-plan": plan.pk,
            "tasks-0-area": task.area,
            "tasks-0-description": task.description,
            "tasks-0-status": task.status,
            "tasks-0-DELETE": "on",
        }
    )

    response = client.post(reverse("consolidation:plan_edit", args=[plan.pk]), data)

    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.goals == "Mục tiêu mới"
    assert not plan.tasks.exists()
    assert [c.full_name for c in plan.cadres.all()] == ["Lương Văn Hùng"]


def test_a_second_plan_with_the_same_number_is_refused_with_a_message(client, tree, officer):
    PlanFactory(organization=tree["BS-NHAT-TIEN"], number="49-KH/HU")
    client.force_login(officer)

    response = client.post(reverse("consolidation:plan_create"), _plan_post(tree))

    page = _refused_back(response, reverse("consolidation:plan_create"))
    assert "Cơ quan này đã có kế hoạch mang số đó." in page
    # What the officer typed is on the form again; a reload shows the empty form, no second post.
    assert 'value="49-KH/HU"' in page
    assert (
        "Cơ quan này đã có kế hoạch mang số đó."
        not in client.get(reverse("consolidation:plan_create")).content.decode()
    )
    assert Plan.objects.count() == 1


def test_candidates_are_chosen_only_from_a_finished_year(client, officer):
    client.force_login(officer)

    response = client.get(reverse("consolidation:candidate_list"), {"year": datetime.date.today().year})

    assert "chưa kết thúc" in response.content.decode()
    assert response.context["candidates"] == []


def _programme_post(**overrides):
    data = {
        "name": "Nâng cao chất lượng tổ chức cơ sở đảng giai đoạn 2021–2025",
        "first_year": "2021",
        "last_year": "2025",
        "plan_number": "15-KH/HU",
        "plan_issued_on": "2021-03-02",
        "description": "",
        "parent_body": "Đảng bộ tỉnh Lạng Sơn",
        "issuing_body": "Huyện ủy Bắc Sơn",
        "place": "Bắc Sơn",
        "report_number": "",
        "signer_post": "",
        "signer_name": "",
        "recipients": "",
    }
    return {**data, **overrides}


def test_officer_adds_a_programme_and_leader_cannot(client, officer, leader):
    client.force_login(leader)
    refused = client.post(reverse("consolidation:programme_create"), _programme_post())
    client.force_login(officer)
    created = client.post(reverse("consolidation:programme_create"), _programme_post())

    assert refused.status_code == 403
    assert created.status_code == 302
    programme = Programme.objects.get()
    assert programme.organization.code == "BS"  # issued by the officer's own district
    assert (programme.plan_number, programme.period) == ("15-KH/HU", "2021–2025")
    assert programme.history.first().history_user == officer


def test_programme_with_years_reversed_is_refused_with_a_message(client, officer):
    client.force_login(officer)

    response = client.post(
        reverse("consolidation:programme_create"), _programme_post(first_year="2025", last_year="2021")
    )

    page = _refused_back(response, reverse("consolidation:programme_create"))
    assert "Năm kết thúc phải từ năm bắt đầu trở đi." in page
    assert not Programme.objects.exists()


def test_the_candidates_page_opens_on_the_latest_decided_year(client, tree, officer):
    from assessments.models import UnitAssessment
    from tests.cycle_factories import year_opened
    from tests.factories import level

    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2018, level=level("qd132-2018", "unit", "good"))
    year_opened(officer=officer, tree=tree, year=2025)  # open: Nhất Tiến not finalized
    UnitAssessment.objects.create(organization=tree["BS-DONG-Y"], year=2025, level=level("qd366-2025", "unit", "good"))
    client.force_login(officer)
    response = client.get(reverse("consolidation:candidate_list"))
    assert response.context["year"] == 2018

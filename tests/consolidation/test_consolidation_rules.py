"""Consolidation rules: candidates, outcomes across the 2017/2018 scheme change, plan life cycle, flags, demo."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assessments.models import Kind, Sector, Subject
from assessments.signals import demo_loaded
from consolidation import selectors, services
from consolidation.demo import demo_load
from consolidation.models import (
    Indicator,
    Measurement,
    Plan,
    PlanStatus,
    Programme,
    SecondedCadre,
    Task,
    TaskProgress,
    TaskStatus,
)
from consolidation.templatetags.consolidation_tags import party_date, vn_number
from tests.consolidation_factories import (
    IndicatorFactory,
    MeasurementFactory,
    PlanFactory,
    ProgrammeFactory,
    TaskFactory,
    rate,
)
from tests.factories import OrganizationFactory, level

TODAY = datetime.date(2017, 10, 1)


@pytest.fixture
def third_commune(tree):
    return OrganizationFactory(
        code="BS-VAN-THUY",
        name="Đảng bộ xã Vạn Thủy",
        kind=Kind.GRASSROOTS_COMMITTEE,
        sector=Sector.COMMUNE,
        parent=tree["BS"],
    )


# --- candidates ------------------------------------------------------------------------------------------------


def test_weak_unit_must_and_completed_unit_may_be_consolidated(tree, officer, third_commune):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    rate(tree["BS-NHAT-TIEN"], 2016, "hd27-2014", "completed")
    rate(third_commune, 2016, "hd27-2014", "good")

    candidates = list(selectors.candidates_for_year(user=officer, year=2016))

    assert [(c.organization.code, c.is_weak) for c in candidates] == [("BS-DONG-Y", True), ("BS-NHAT-TIEN", False)]


def test_not_completed_unit_under_2018_scheme_must_be_consolidated(tree, officer):
    rate(tree["BS-NHAT-TIEN"], 2018, "qd132-2018", "not_completed")

    [candidate] = selectors.candidates_for_year(user=officer, year=2018)

    assert candidate.organization.code == "BS-NHAT-TIEN" and candidate.is_weak


def test_unit_with_active_plan_is_not_a_candidate_but_draft_is_marked(tree, officer):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    rate(tree["BS-NHAT-TIEN"], 2016, "hd27-2014", "weak")
    PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE)
    PlanFactory(organization=tree["BS-NHAT-TIEN"], status=PlanStatus.DRAFT)

    candidates = list(selectors.candidates_for_year(user=officer, year=2016))

    assert [(c.organization.code, c.has_draft) for c in candidates] == [("BS-NHAT-TIEN", True)]


def test_completed_plan_does_not_keep_a_unit_off_the_candidates(tree, officer):
    rate(tree["BS-DONG-Y"], 2018, "qd132-2018", "not_completed")
    PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.COMPLETED)

    assert [c.organization.code for c in selectors.candidates_for_year(user=officer, year=2018)] == ["BS-DONG-Y"]


def test_cells_inside_a_committee_are_not_district_candidates(tree, officer):
    rate(tree["BS-DONG-Y-01"], 2016, "hd27-2014", "weak")

    assert list(selectors.candidates_for_year(user=officer, year=2016)) == []


def test_candidates_stay_within_the_users_scope(tree, secretary_dong_y):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    rate(tree["BS-NHAT-TIEN"], 2016, "hd27-2014", "weak")

    codes = [c.organization.code for c in selectors.candidates_for_year(user=secretary_dong_y, year=2016)]

    assert codes == ["BS-DONG-Y"]


def test_plan_prefilled_from_candidate_carries_unit_and_baseline(tree, officer):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    candidate = selectors.candidate_get(user=officer, code="BS-DONG-Y", year=2016)

    initial = selectors.plan_initial_from_candidate(candidate=candidate, today=datetime.date(2017, 5, 4))

    assert initial["organization"] == tree["BS-DONG-Y"].pk
    assert initial["baseline_year"] == 2016
    assert initial["baseline_level"] == level("hd27-2014", Subject.UNIT, "weak").pk
    assert "Đảng bộ xã Đồng Ý" in initial["title"] and "Yếu kém" in initial["goals"]


# --- outcomes --------------------------------------------------------------------------------------------------


def test_outcome_links_weak_2016_to_clean_strong_2017(tree):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    rate(tree["BS-DONG-Y"], 2017, "hd27-2014", "clean_strong")
    plan = PlanFactory(organization=tree["BS-DONG-Y"], baseline_year=2016)

    outcome = selectors.plan_outcome(plan)

    assert outcome.text == "Yếu kém (2016) → Trong sạch, vững mạnh (2017)"
    assert outcome.change_in(2017) == "improved"


def test_outcome_compares_ranks_across_the_2018_scheme_change(tree):
    rate(tree["BS-NHAT-TIEN"], 2017, "hd27-2014", "completed")
    rate(tree["BS-NHAT-TIEN"], 2018, "qd132-2018", "good")
    rate(tree["BS-NHAT-TIEN"], 2019, "qd132-2018", "completed")
    plan = PlanFactory(
        organization=tree["BS-NHAT-TIEN"],
        baseline_year=2017,
        issued_on=datetime.date(2018, 5, 14),
        baseline_level=level("hd27-2014", Subject.UNIT, "completed"),
    )

    outcome = selectors.plan_outcome(plan)

    assert outcome.text == ("Hoàn thành nhiệm vụ (2017) → Hoàn thành tốt nhiệm vụ (2018) → Hoàn thành nhiệm vụ (2019)")
    assert (outcome.change_in(2018), outcome.change_in(2019), outcome.change_in(2020)) == (
        "improved",
        "same",
        "unknown",
    )


def test_outcome_without_stored_baseline_level_uses_that_years_rating(tree):
    rate(tree["BS-DONG-Y"], 2016, "hd27-2014", "weak")
    plan = PlanFactory(organization=tree["BS-DONG-Y"], baseline_year=2016, baseline_level=None)

    assert selectors.plan_outcome(plan).text == "Yếu kém (2016)"


def test_programme_results_count_units_and_improvements_per_year(tree, officer, third_commune):
    programme = ProgrammeFactory()
    rate(tree["BS-DONG-Y"], 2017, "hd27-2014", "clean_strong")
    rate(third_commune, 2017, "hd27-2014", "weak")
    rate(tree["BS-NHAT-TIEN"], 2018, "qd132-2018", "good")
    PlanFactory(programme=programme, organization=tree["BS-DONG-Y"], status=PlanStatus.COMPLETED)
    PlanFactory(programme=programme, organization=third_commune, status=PlanStatus.COMPLETED)
    PlanFactory(
        programme=programme,
        organization=tree["BS-NHAT-TIEN"],
        baseline_year=2017,
        issued_on=datetime.date(2018, 5, 14),
        baseline_level=level("hd27-2014", Subject.UNIT, "completed"),
    )
    PlanFactory(
        programme=programme,
        organization=tree["BS-NHAT-TIEN"],
        status=PlanStatus.CANCELLED,
        issued_on=datetime.date(2019, 3, 1),
        baseline_year=2018,
    )

    results = selectors.programme_results(programme=programme, user=officer)

    assert [(r.year, r.consolidated, r.improved, r.same, r.unknown) for r in results] == [
        (2017, 2, 1, 1, 0),
        (2018, 1, 1, 0, 0),
    ]


# --- plan life cycle -------------------------------------------------------------------------------------------


def test_plan_goes_draft_active_completed(tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)

    plan = services.plan_transition(plan=plan, to=PlanStatus.ACTIVE, actor=officer)
    plan = services.plan_transition(
        plan=plan,
        to=PlanStatus.COMPLETED,
        actor=officer,
        closing_assessment="Đạt trong sạch, vững mạnh.",
        day=datetime.date(2017, 12, 31),
    )

    plan.refresh_from_db()
    assert (plan.status, plan.closed_on) == (PlanStatus.COMPLETED, datetime.date(2017, 12, 31))
    assert plan.history.first().history_user == officer


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (PlanStatus.DRAFT, PlanStatus.COMPLETED),
        (PlanStatus.COMPLETED, PlanStatus.ACTIVE),
        (PlanStatus.CANCELLED, PlanStatus.ACTIVE),
        (PlanStatus.ACTIVE, PlanStatus.DRAFT),
    ],
)
def test_plan_refuses_transitions_outside_the_life_cycle(tree, officer, start, to):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=start)

    with pytest.raises(ValidationError) as error:
        services.plan_transition(plan=plan, to=to, actor=officer, closing_assessment="x")

    assert "Không thể chuyển kế hoạch" in str(error.value)
    plan.refresh_from_db()
    assert plan.status == start


def test_completing_a_plan_requires_a_closing_assessment(tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE)

    with pytest.raises(ValidationError) as error:
        services.plan_transition(plan=plan, to=PlanStatus.COMPLETED, actor=officer, closing_assessment="  ")

    assert "closing_assessment" in error.value.error_dict


def test_active_plan_can_be_cancelled(tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE)

    plan = services.plan_transition(plan=plan, to=PlanStatus.CANCELLED, actor=officer)

    assert plan.status == PlanStatus.CANCELLED and plan.closed_on is not None


def test_a_unit_cannot_have_two_active_plans(tree, officer):
    PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE, number="49-KH/HU")
    second = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)

    with pytest.raises(ValidationError) as error:
        services.plan_transition(plan=second, to=PlanStatus.ACTIVE, actor=officer)

    assert "49-KH/HU" in str(error.value)


def test_plan_save_refuses_a_level_of_another_years_scheme(tree, officer):
    plan = Plan(
        number="49-KH/HU",
        issued_on=datetime.date(2017, 5, 4),
        organization=tree["BS-DONG-Y"],
        baseline_year=2016,
        baseline_level=level("qd132-2018", Subject.UNIT, "not_completed"),
    )

    with pytest.raises(ValidationError) as error:
        services.plan_save(plan=plan, actor=officer)

    assert "baseline_level" in error.value.error_dict
    assert not Plan.objects.exists()


def test_plan_save_refuses_a_cell_as_target(tree, officer):
    plan = Plan(
        number="49-KH/HU", issued_on=datetime.date(2017, 5, 4), organization=tree["BS-DONG-Y-01"], baseline_year=2016
    )

    with pytest.raises(ValidationError) as error:
        services.plan_save(plan=plan, actor=officer)

    assert "organization" in error.value.error_dict


def test_plan_save_refuses_a_status_change_behind_the_life_cycle(tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)
    plan.status = PlanStatus.COMPLETED

    with pytest.raises(ValidationError):
        services.plan_save(plan=plan, actor=officer)


def test_plan_save_with_children_is_all_or_nothing(tree, officer):
    plan = Plan(
        number="49-KH/HU", issued_on=datetime.date(2017, 5, 4), organization=tree["BS-DONG-Y"], baseline_year=2016
    )
    good = SecondedCadre(
        full_name="Lương Văn Hùng",
        home_post="Phó Trưởng phòng",
        unit_post="Chủ tịch UBND xã",
        start=datetime.date(2017, 5, 15),
    )
    bad = SecondedCadre(
        full_name="Sai Ngày",
        home_post="x",
        unit_post="y",
        start=datetime.date(2017, 6, 1),
        end=datetime.date(2017, 1, 1),
    )

    with pytest.raises(ValidationError):
        services.plan_save(plan=plan, actor=officer, children=[good, bad])

    assert not Plan.objects.exists() and not SecondedCadre.objects.exists()


# --- recording -------------------------------------------------------------------------------------------------


def test_progress_note_moves_task_status(tree, secretary_dong_y):
    task = TaskFactory(plan=PlanFactory(organization=tree["BS-DONG-Y"]))

    services.task_progress_record(
        task=task, noted_on=TODAY, note="Đã kiện toàn", status=TaskStatus.DONE, actor=secretary_dong_y, today=TODAY
    )

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert TaskProgress.objects.get().recorded_by == secretary_dong_y


def test_nothing_is_recorded_on_a_completed_plan(tree, officer):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.COMPLETED)
    task, indicator = TaskFactory(plan=plan), IndicatorFactory(plan=plan)

    with pytest.raises(ValidationError):
        services.task_progress_record(task=task, noted_on=TODAY, note="x", actor=officer, today=TODAY)
    with pytest.raises(ValidationError):
        services.measurement_record(
            indicator=indicator, measured_on=TODAY, value=Decimal(1), actor=officer, today=TODAY
        )

    assert not TaskProgress.objects.exists() and not Measurement.objects.exists()


def test_measurement_refuses_future_dates_and_a_second_value_the_same_day(tree, officer):
    indicator = IndicatorFactory(plan=PlanFactory(organization=tree["BS-DONG-Y"]))
    services.measurement_record(
        indicator=indicator, measured_on=TODAY, value=Decimal("21.5"), actor=officer, today=TODAY
    )

    with pytest.raises(ValidationError) as future:
        services.measurement_record(
            indicator=indicator,
            measured_on=TODAY + datetime.timedelta(days=1),
            value=Decimal(1),
            actor=officer,
            today=TODAY,
        )
    with pytest.raises(ValidationError) as twice:
        services.measurement_record(
            indicator=indicator, measured_on=TODAY, value=Decimal(2), actor=officer, today=TODAY
        )

    assert "tương lai" in str(future.value) and "01/10/2017" in str(twice.value)
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("21.5")]


# --- flags -----------------------------------------------------------------------------------------------------


def test_overdue_tasks_are_those_of_active_plans_past_due_and_not_done(tree):
    active = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE)
    done_plan = PlanFactory(organization=tree["BS-NHAT-TIEN"], status=PlanStatus.COMPLETED)
    late = TaskFactory(plan=active, due_on=datetime.date(2017, 9, 30))
    TaskFactory(plan=active, due_on=datetime.date(2017, 9, 30), status=TaskStatus.DONE)
    TaskFactory(plan=active, due_on=datetime.date(2017, 10, 1))  # due today: not yet late
    TaskFactory(plan=done_plan, due_on=datetime.date(2017, 1, 1))

    overdue = list(selectors.overdue_tasks(plans=Plan.objects.all(), today=TODAY))

    assert overdue == [late]
    assert late.is_overdue(TODAY)


def test_indicator_is_stale_after_the_configured_days(tree, settings):
    settings.CONSOLIDATION_STALE_INDICATOR_DAYS = 30
    plan = PlanFactory(organization=tree["BS-DONG-Y"], issued_on=datetime.date(2017, 5, 4))
    fresh = IndicatorFactory(plan=plan, name="Thu nhập")
    MeasurementFactory(indicator=fresh, measured_on=datetime.date(2017, 9, 15))
    old = IndicatorFactory(plan=plan, name="Hộ nghèo")
    MeasurementFactory(indicator=old, measured_on=datetime.date(2017, 8, 1))
    never = IndicatorFactory(plan=plan, name="Nhà văn hóa")

    stale = set(selectors.stale_indicators(plans=Plan.objects.all(), today=TODAY))

    assert stale == {old, never}
    settings.CONSOLIDATION_STALE_INDICATOR_DAYS = 90
    assert set(selectors.stale_indicators(plans=Plan.objects.all(), today=TODAY)) == {never}


def test_new_plan_indicator_without_measurement_is_not_stale_yet(tree):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], issued_on=datetime.date(2017, 9, 20))
    IndicatorFactory(plan=plan)

    assert not selectors.stale_indicators(plans=Plan.objects.all(), today=TODAY, days=30).exists()


def test_flag_counts_per_plan(tree):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], issued_on=datetime.date(2017, 1, 1))
    TaskFactory.create_batch(2, plan=plan, due_on=datetime.date(2017, 6, 1))
    IndicatorFactory(plan=plan)
    other = PlanFactory(organization=tree["BS-NHAT-TIEN"], status=PlanStatus.DRAFT)

    flags = selectors.plan_flag_counts(plans=[plan, other], today=TODAY)

    assert flags == {plan.pk: {"overdue": 2, "stale": 1}, other.pk: {"overdue": 0, "stale": 0}}


# --- document helpers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2017, 5, 4), "ngày 04 tháng 5 năm 2017"),
        (datetime.date(2016, 11, 11), "ngày 11 tháng 11 năm 2016"),
        (datetime.date(2018, 2, 5), "ngày 05 tháng 02 năm 2018"),
    ],
)
def test_party_date_pads_days_and_the_first_two_months(day, text):
    assert party_date(day) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("21.50"), "21,5"),
        (Decimal("188.00"), "188"),
        (Decimal("12345.6"), "12.345,6"),
        (None, ""),
    ],
)
def test_numbers_use_the_vietnamese_decimal_comma(value, text):
    assert vn_number(value) == text


# --- demo ------------------------------------------------------------------------------------------------------


def test_demo_tells_the_bac_son_story_and_reruns_without_duplicates(tree, officer):
    demo_load(actor=officer)
    demo_load(actor=officer)

    programme = Programme.objects.get()
    assert (programme.plan_number, programme.plan_issued_on) == ("32-KH/HU", datetime.date(2016, 11, 11))
    plans = {p.number: p for p in Plan.objects.select_related("organization")}
    assert set(plans) == {"49-KH/HU", "82-KH/HU"}
    dong_y, nhat_tien = plans["49-KH/HU"], plans["82-KH/HU"]
    assert (dong_y.organization.code, dong_y.issued_on) == ("BS-DONG-Y", datetime.date(2017, 5, 4))
    assert (nhat_tien.organization.code, nhat_tien.issued_on) == ("BS-NHAT-TIEN", datetime.date(2018, 5, 14))
    assert dong_y.cadres.count() == 1 and nhat_tien.cadres.count() == 2
    assert "Chủ tịch Ủy ban nhân dân xã" in dong_y.cadres.get().unit_post
    assert selectors.plan_outcome(dong_y).text == "Yếu kém (2016) → Trong sạch, vững mạnh (2017)"
    assert selectors.plan_outcome(nhat_tien).text.startswith(
        "Hoàn thành nhiệm vụ (2017) → Hoàn thành tốt nhiệm vụ (2018)"
    )
    poor = Indicator.objects.get(plan=nhat_tien, name="Tỷ lệ hộ nghèo")
    assert poor.measurements.get().value == Decimal("21.5")
    assert Task.objects.count() == 10 and Measurement.objects.count() == 8
    results = selectors.programme_results(programme=programme, user=officer)
    assert [(r.year, r.consolidated, r.improved) for r in results] == [(2017, 1, 1), (2018, 1, 1)]


def test_demo_loaded_signal_adds_the_consolidation_demo(tree, officer):
    demo_loaded.send(sender=None, actor=officer)

    assert set(Plan.objects.values_list("number", flat=True)) == {"49-KH/HU", "82-KH/HU"}


def test_demo_is_skipped_without_the_district(db):
    assert demo_load() == []
    assert not Programme.objects.exists()


def test_assessments_hook_names_units_with_a_plan_for_that_years_rating(tree):
    from consolidation.hooks import units_with_plan

    PlanFactory(organization=tree["BS-DONG-Y"], baseline_year=2016, status=PlanStatus.DRAFT)
    PlanFactory(organization=tree["BS-NHAT-TIEN"], baseline_year=2016, status=PlanStatus.CANCELLED)
    PlanFactory(organization=tree["BS-NHAT-TIEN"], baseline_year=2017, issued_on=datetime.date(2018, 5, 14))

    assert set(units_with_plan(year=2016).values_list("organization_id", flat=True)) == {tree["BS-DONG-Y"].pk}
    assert set(units_with_plan(year=2017).values_list("organization_id", flat=True)) == {tree["BS-NHAT-TIEN"].pk}

"""Programmes belong to the committee that issued them; consolidation services check their actor (404 / 403)."""

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from assessments.models import Kind, Organization, Role
from consolidation import services
from consolidation.models import Plan, PlanStatus, Programme
from tests.consolidation_factories import PlanFactory, ProgrammeFactory, TaskFactory
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("consolidation.migrations.0002_programme_organization")


@pytest.fixture
def binh_gia(tree):
    """A second district with a commune and its own officer."""
    district = OrganizationFactory(code="BG", name="Đảng bộ huyện Bình Gia", kind=Kind.DISTRICT, parent=tree["LS"])
    commune = OrganizationFactory(code="BG-HOA-BINH", kind=Kind.GRASSROOTS_COMMITTEE, parent=district)
    officer = UserFactory(username="binhgia", role=Role.OFFICER, organization=district)
    return {"district": district, "commune": commune, "officer": officer}


# --- who owns an existing programme (the data migration) ----------------------------------------------------------


def test_the_migration_gives_a_programme_to_the_district_of_its_plans(tree, binh_gia):
    paths = [tree["BS-DONG-Y"].path, tree["BS-NHAT-TIEN"].path]
    assert MIGRATION._issuer(Organization, paths) == tree["BS"]
    # Plans in two districts: the province that contains both.
    assert MIGRATION._issuer(Organization, [tree["BS-DONG-Y"].path, binh_gia["commune"].path]) == tree["LS"]


def test_the_migration_gives_a_programme_without_plans_to_the_only_district_else_to_the_top(tree):
    assert MIGRATION._issuer(Organization, []) == tree["BS"]
    OrganizationFactory(code="BG", kind=Kind.DISTRICT, parent=tree["LS"])
    assert MIGRATION._issuer(Organization, []) == tree["LS"]  # never a guessed district


# --- programmes: 404 outside the issuer's scope --------------------------------------------------------------------


def test_another_districts_officer_cannot_rename_a_programme(tree, binh_gia):
    programme = ProgrammeFactory(organization=tree["BS"])
    programme.name = "Đổi tên"
    with pytest.raises(Http404):
        services.programme_save(programme=programme, actor=binh_gia["officer"])
    assert Programme.objects.get(pk=programme.pk).name != "Đổi tên"


def test_a_programme_cannot_be_moved_into_another_district(tree, officer, binh_gia):
    programme = ProgrammeFactory(organization=binh_gia["district"])
    programme.organization = tree["BS"]
    with pytest.raises(Http404):
        services.programme_save(programme=programme, actor=officer)


def test_a_leader_cannot_change_a_programme_of_their_district(tree, leader):
    programme = ProgrammeFactory(organization=tree["BS"])
    with pytest.raises(PermissionDenied):
        services.programme_save(programme=programme, actor=leader)


# --- plans: the actor and the programme ---------------------------------------------------------------------------


def test_a_plan_cannot_be_attached_to_another_districts_programme(tree, officer, binh_gia):
    foreign = ProgrammeFactory(organization=binh_gia["district"])
    plan = PlanFactory.build(organization=tree["BS-DONG-Y"], programme=foreign, status=PlanStatus.DRAFT)
    with pytest.raises(Http404):
        services.plan_save(plan=plan, actor=officer)
    assert not Plan.objects.exists()


def test_a_plan_belongs_to_a_programme_of_its_own_district(tree, binh_gia, admin_user):
    foreign = ProgrammeFactory(organization=binh_gia["district"])
    plan = PlanFactory.build(organization=tree["BS-DONG-Y"], programme=foreign, status=PlanStatus.DRAFT)
    with pytest.raises(ValidationError) as error:
        services.plan_save(plan=plan, actor=admin_user)  # sees everything: the rule itself refuses
    assert "không bao gồm Đảng bộ xã Đồng Ý" in str(error.value.message_dict["programme"])


def test_another_districts_officer_cannot_move_a_plan_along(tree, binh_gia):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)
    with pytest.raises(Http404):
        services.plan_transition(plan=plan, to=PlanStatus.CANCELLED, actor=binh_gia["officer"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_another_districts_officer_learns_nothing_of_a_plan_by_changing_its_status(tree, binh_gia):
    """Out of scope answers 404 before the life-cycle rule says anything about the stored plan, read once."""
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)
    plan.status = PlanStatus.COMPLETED
    with CaptureQueriesContext(connection) as queries, pytest.raises(Http404):
        services.plan_save(plan=plan, actor=binh_gia["officer"])
    assert [q["sql"].startswith("SELECT") for q in queries].count(True) == 1
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_leader_cannot_move_a_plan_along(tree, leader):
    plan = PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.plan_transition(plan=plan, to=PlanStatus.CANCELLED, actor=leader)


def test_progress_is_recorded_by_the_units_secretary_not_by_another_communes(
    tree, secretary_dong_y, secretary_nhat_tien
):
    import datetime

    task = TaskFactory(plan=PlanFactory(organization=tree["BS-DONG-Y"], status=PlanStatus.ACTIVE))
    today = datetime.date(2018, 1, 10)
    with pytest.raises(Http404):
        services.task_progress_record(task=task, noted_on=today, note="x", actor=secretary_nhat_tien, today=today)
    progress = services.task_progress_record(
        task=task, noted_on=today, note="Đã họp chi bộ.", actor=secretary_dong_y, today=today
    )
    assert progress.recorded_by == secretary_dong_y

"""The admin limited to a staff officer's scope (admin_scope.ScopedRowsMixin): every admin of rows that belong to an
organization lists, opens and shows the history of the officer's own district's rows only, in a fixed number of
queries; another district's rows answer as rows that do not exist; an administrator still sees everything."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments.admin_scope import ScopedRowsMixin
from assessments.models import Member, MemberAssessment, UnitAssessment
from consolidation.models import Task
from tests.factories import level, staff_with
from tests.security import test_url_matrix as matrix

pytestmark = pytest.mark.django_db

planted, officer_bg = matrix.planted, matrix.officer_bg

# What of Bình Gia (the other district) a page of Bắc Sơn's officer must never name: its units, member and accounts.
OTHER_DISTRICT = ("Bình Gia", "Hòa Bình", "Hoàng Thị Kín", "binhgia", "hoabinh")

SCOPED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ScopedRowsMixin)
)


@pytest.fixture
def rows_of_both(planted, tree):
    """Beyond the planted objects, a rating of each subject and a task in each district."""
    for side in planted.values():
        commune = side["plan"].organization
        member = Member.objects.filter(organization__parent=commune).first()
        UnitAssessment.objects.create(organization=commune, year=2017, level=level("hd27-2014", "unit", "good"))
        MemberAssessment.objects.create(
            member=member, organization=member.organization, year=2017, level=level("hd27-2014", "member", "good")
        )
        Task.objects.create(plan=side["plan"], area="political", description=f"Nhiệm vụ của {commune.name}")
    return planted


@pytest.fixture
def staff_officer(officer):
    """Bắc Sơn's officer let into the admin to read every model."""
    codenames = Permission.objects.filter(
        content_type__app_label__in=["assessments", "consolidation"], codename__startswith="view_"
    ).values_list("codename", flat=True)
    return staff_with(officer, list(codenames))


@pytest.mark.parametrize(("app_label", "model_name"), SCOPED)
def test_a_staff_officer_lists_only_his_districts_rows(
    client, rows_of_both, staff_officer, app_label, model_name, django_assert_max_num_queries
):
    client.force_login(staff_officer)

    # One filter with a subquery, not a check per row: the same bound on every list.
    with django_assert_max_num_queries(14):
        listing = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert listing.status_code == 200
    shown = [marker for marker in OTHER_DISTRICT if marker in listing.content.decode()]
    assert not shown, (model_name, shown)


def test_the_control_his_own_districts_rows_are_listed(client, rows_of_both, staff_officer):
    client.force_login(staff_officer)
    for name, shown in (
        ("assessments_member", "Vi Văn Bí Mật"),
        ("assessments_organization", "Đảng bộ xã Nhất Tiến"),
        ("assessments_unitassessment", "Đảng bộ xã Nhất Tiến"),
        ("consolidation_task", "Nhiệm vụ của Đảng bộ xã Nhất Tiến"),
    ):
        assert shown in client.get(reverse(f"admin:{name}_changelist")).content.decode(), name


def test_another_districts_row_answers_as_one_that_does_not_exist(client, rows_of_both, staff_officer):
    client.force_login(staff_officer)
    other = rows_of_both["BG"]
    rows = [
        Member.objects.get(full_name="Hoàng Thị Kín"),
        other["plan"],
        other["programme"],
        other["criteria"],
        Task.objects.get(plan=other["plan"]),
        UnitAssessment.objects.get(organization=other["plan"].organization),
    ]
    for row in rows:
        opts = row._meta
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk]))
        assert change.status_code == 302 and change["Location"] == reverse("admin:index"), row
        history = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[row.pk]))
        assert history.status_code == 404, row
        version = row.history.first()
        if version is not None:
            revert = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_simple_history", args=[row.pk, version.history_id]
            )
            assert client.get(revert).status_code == 404, row


def test_an_administrator_still_lists_every_district(client, rows_of_both, admin_user):
    client.force_login(admin_user)
    listing = client.get(reverse("admin:assessments_member_changelist"))
    assert "Hoàng Thị Kín" in listing.content.decode() and "Vi Văn Bí Mật" in listing.content.decode()


def test_a_part_put_on_another_districts_plan_by_its_id_is_refused(client, rows_of_both, officer):
    staff_with(officer, ["view_task", "change_task"])
    task = Task.objects.get(plan=rows_of_both["BS"]["plan"])
    client.force_login(officer)
    response = client.post(
        reverse("admin:consolidation_task_change", args=[task.pk]),
        {
            "plan": rows_of_both["BG"]["plan"].pk,
            "area": "political",
            "description": task.description,
            "owner": "",
            "due_on": "",
            "status": "not_started",
            "progress_notes-TOTAL_FORMS": 0,
            "progress_notes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Không tìm thấy tổ chức trong phạm vi của bạn." in str(response.context["adminform"].form.errors)
    task.refresh_from_db()
    assert task.plan == rows_of_both["BS"]["plan"]

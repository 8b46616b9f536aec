"""Writes with business rules for consolidation plans: the only path views, the admin and the demo loader use."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.common.history import delete_as, save_as
from assessments.models import Subject, User
from assessments.services import level_check

from .models import (
    PLAN_TRANSITIONS,
    Indicator,
    Measurement,
    Plan,
    PlanStatus,
    Programme,
    Task,
    TaskProgress,
    TaskStatus,
)


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- rules -----------------------------------------------------------------------------------------------------


def plan_check(plan: Plan) -> None:
    """The rules of a plan beyond what the database enforces: a grassroots target, a baseline that fits."""
    if plan.organization_id and not plan.organization.is_grassroots:
        raise ValidationError(
            {
                "organization": _("Chỉ củng cố tổ chức cơ sở đảng; %(unit)s không phải tổ chức cơ sở.")
                % {"unit": plan.organization.name}
            }
        )
    if plan.issued_on and plan.baseline_year and plan.baseline_year > plan.issued_on.year:
        raise ValidationError(
            {
                "baseline_year": _(
                    "Năm xếp loại làm căn cứ (%(year)s) không thể sau năm ban hành kế hoạch (%(issued)s)."
                )
                % {"year": plan.baseline_year, "issued": plan.issued_on.year}
            }
        )
    if plan.baseline_year:
        level_check(level=plan.baseline_level, year=plan.baseline_year, subject=Subject.UNIT, field="baseline_level")
    plan_programme_check(plan)
    programme = plan.programme
    if (
        programme is not None
        and plan.issued_on
        and not (programme.first_year <= plan.issued_on.year <= programme.last_year)
    ):
        raise ValidationError(
            {
                "programme": _("Kế hoạch ban hành năm %(year)s, ngoài giai đoạn %(period)s của đề án.")
                % {"year": plan.issued_on.year, "period": programme.period}
            }
        )


def plan_programme_check(plan: Plan) -> None:
    """A plan belongs to a programme of its own district (or province): the programme's issuer contains the unit."""
    programme = plan.programme
    if programme is None or not plan.organization_id or not programme.organization_id:
        return
    if not plan.organization.path.startswith(programme.organization.path):
        raise ValidationError(
            {
                "programme": _("Đề án “%(programme)s” do %(issuer)s ban hành, không bao gồm %(unit)s.")
                % {"programme": programme.name, "issuer": programme.organization.name, "unit": plan.organization.name}
            }
        )


# --- who may act (assessments.permissions): outside the scope 404, inside it another role 403 ------------------


def plan_manager_require(*, actor: User | None, plan: Plan) -> None:
    """Writing a plan or its parts (cadres, working group, tasks, indicators): an officer with its unit, and its
    programme's issuer, in scope; 404 outside the scope, 403 for another role (the services and the admin ask)."""
    permissions.scope_require(actor, plan.organization)
    if plan.programme_id:
        permissions.scope_require(actor, plan.programme.organization)  # another district's programme: not found
    permissions.role_require(
        permissions.may_manage_plan(actor, plan), _("Chỉ cán bộ Ban Tổ chức được lập và sửa kế hoạch củng cố.")
    )


def progress_recorder_role_require(user, plan: Plan) -> None:
    """Progress and measurements: officers, or the target unit's own secretary; 403 for another role (the page asks
    before reading the form, the services again)."""
    permissions.role_require(
        permissions.may_record_progress(user, plan),
        _("Chỉ cán bộ Ban Tổ chức hoặc bí thư của %(unit)s được ghi tiến độ và số liệu.")
        % {"unit": plan.organization.name},
    )


def progress_recorder_require(*, actor: User | None, plan: Plan) -> None:
    """Writing a plan's progress notes and measurements: its unit in scope (404 otherwise), then the recorder's role
    (progress_recorder_role_require)."""
    permissions.scope_require(actor, plan.organization)
    progress_recorder_role_require(actor, plan)


def _plan_is_open(plan: Plan) -> None:
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            _("Kế hoạch %(number)s đang ở trạng thái “%(status)s”: chỉ ghi tiến độ và số liệu khi đang thực hiện.")
            % {"number": plan.number, "status": plan.get_status_display()}
        )


def _recording_check(
    *, actor: User | None, plan: Plan, field: str, day: datetime.date, today: datetime.date | None, future: str
) -> None:
    """What every dated record on a plan needs (progress, measurement): a recorder, an active plan, a past day.

    `future` is the refusal of a day after today, with %(d)s for the day."""
    progress_recorder_require(actor=actor, plan=plan)
    _plan_is_open(plan)
    if day > (today or datetime.date.today()):
        raise ValidationError({field: future % {"d": _date(day)}})


# --- programmes and plans --------------------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, programme: Programme, actor: User | None) -> Programme:
    """Create or change a programme, issued by an organization in the actor's scope."""
    if programme.pk is not None:
        stored = Programme.objects.select_related("organization").filter(pk=programme.pk).first()
        if stored is not None:
            permissions.scope_require(actor, stored.organization)  # another district's programme: not found
    if programme.organization_id is not None:
        permissions.scope_require(actor, programme.organization)
        permissions.role_require(
            permissions.may_manage_programme(actor, programme), _("Chỉ cán bộ Ban Tổ chức được lập và sửa đề án.")
        )
    else:
        permissions.role_require(
            permissions.may_manage_plans(actor), _("Chỉ cán bộ Ban Tổ chức được lập và sửa đề án.")
        )
    save_as(programme, actor)
    return programme


@transaction.atomic
def plan_save(
    *,
    plan: Plan,
    actor: User | None,
    children: Iterable[models.Model] = (),
    deleted: Iterable[models.Model] = (),
) -> Plan:
    """Create or change a plan with its cadres, working group, tasks and indicators, all or nothing."""
    if plan.pk is None and plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": _("Kế hoạch mới luôn bắt đầu ở trạng thái dự thảo.")})
    if plan.pk is not None:
        # Read once: the stored plan's scope first (out of scope is a 404 whatever was changed), then its status.
        stored = Plan.objects.select_related("organization").filter(pk=plan.pk).first()
        if stored is not None:
            permissions.scope_require(actor, stored.organization)
            if stored.status != plan.status:
                raise ValidationError(
                    {"status": _("Đổi trạng thái kế hoạch bằng nút chuyển trạng thái, không sửa trực tiếp.")}
                )
    if plan.organization_id:
        plan_manager_require(actor=actor, plan=plan)
    else:
        permissions.role_require(
            permissions.may_manage_plans(actor), _("Chỉ cán bộ Ban Tổ chức được lập và sửa kế hoạch củng cố.")
        )
    plan_check(plan)
    save_as(plan, actor)
    for obj in deleted:
        if obj.pk is not None and obj.plan_id == plan.pk:
            delete_as(obj, actor)
    for obj in children:
        obj.plan = plan
        save_as(obj, actor)
    return plan


@transaction.atomic
def plan_transition(
    *,
    plan: Plan,
    to: str,
    actor: User | None,
    closing_assessment: str = "",
    day: datetime.date | None = None,
) -> Plan:
    """Move a plan along draft → active → completed, or to cancelled; any other change is refused."""
    # Lock the row so two officers cannot both activate plans for one unit (PostgreSQL; SQLite serializes anyway).
    plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    plan_manager_require(actor=actor, plan=plan)
    if to not in PlanStatus.values:
        raise ValidationError({"status": _("Trạng thái không hợp lệ: %(to)s.") % {"to": to}})
    if to not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError(
            {
                "status": _("Không thể chuyển kế hoạch %(number)s từ “%(old)s” sang “%(new)s”.")
                % {"number": plan.number, "old": plan.get_status_display(), "new": PlanStatus(to).label}
            }
        )
    if to == PlanStatus.ACTIVE:
        other = Plan.objects.active().filter(organization_id=plan.organization_id).exclude(pk=plan.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "status": _("%(unit)s đang được củng cố theo kế hoạch %(other)s; kết thúc kế hoạch đó trước.")
                    % {"unit": plan.organization.name, "other": other.number}
                }
            )
    if to == PlanStatus.COMPLETED and not closing_assessment.strip():
        raise ValidationError({"closing_assessment": _("Kết thúc kế hoạch thì phải ghi đánh giá kết thúc.")})
    plan.status = to
    if closing_assessment.strip():
        plan.closing_assessment = closing_assessment.strip()
    if to in (PlanStatus.COMPLETED, PlanStatus.CANCELLED):
        plan.closed_on = day or datetime.date.today()
    save_as(plan, actor)
    return plan


# --- what the unit records -------------------------------------------------------------------------------------


@transaction.atomic
def task_progress_record(
    *,
    task: Task,
    noted_on: datetime.date,
    note: str,
    actor: User | None,
    status: str = "",
    today: datetime.date | None = None,
) -> TaskProgress:
    """Add a dated progress note to a task of an active plan, optionally moving the task's status."""
    _recording_check(
        actor=actor,
        plan=task.plan,
        field="noted_on",
        day=noted_on,
        today=today,
        future=_("Ngày ghi tiến độ (%(d)s) không thể ở tương lai."),
    )
    if not note.strip():
        raise ValidationError({"note": _("Ghi kết quả thực hiện của nhiệm vụ.")})
    if status and status not in TaskStatus.values:
        raise ValidationError({"status": _("Tiến độ không hợp lệ: %(s)s.") % {"s": status}})
    progress = TaskProgress(task=task, noted_on=noted_on, note=note.strip(), recorded_by=actor)
    save_as(progress, actor)
    if status and status != task.status:
        task.status = status
        task._history_user = actor
        task.save(update_fields=["status"])
    return progress


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal,
    actor: User | None,
    note: str = "",
    today: datetime.date | None = None,
) -> Measurement:
    """Record a dated value of an indicator of an active plan; one value per indicator and day."""
    _recording_check(
        actor=actor,
        plan=indicator.plan,
        field="measured_on",
        day=measured_on,
        today=today,
        future=_("Ngày số liệu (%(d)s) không thể ở tương lai."),
    )
    if Measurement.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        raise ValidationError(
            {
                "measured_on": _("Chỉ tiêu “%(name)s” đã có số liệu ngày %(d)s.")
                % {"name": indicator.name, "d": _date(measured_on)}
            }
        )
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note.strip(), recorded_by=actor
    )
    save_as(measurement, actor)
    return measurement

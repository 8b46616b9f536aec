"""Pages: fetch within the user's scope, validate a form, call a service, redirect or render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.common import postback
from assessments.common.form_errors import form_errors_add
from assessments.common.tables import FORMATS as table_formats
from assessments.common.tables import table_response
from assessments.models import MAX_YEAR, MIN_YEAR
from assessments.pages.selectors import decided_year_latest

from . import selectors, services
from .documents import docx_response, pdf_response, plan_docx
from .forms import (
    PLAN_FORMSETS,
    MeasurementForm,
    PlanFilterForm,
    PlanForm,
    ProgrammeForm,
    TaskProgressForm,
    TransitionForm,
    YearForm,
)
from .models import Plan, PlanStatus, Programme


def _require_manager(user) -> None:
    """Leaders and secretaries never change plans or programmes: 403 (objects outside the scope are 404 first)."""
    permissions.role_require(
        permissions.may_manage_plans(user), _("Chỉ cán bộ Ban Tổ chức được lập và sửa kế hoạch, đề án củng cố.")
    )


def _require_district_staff(user) -> None:
    permissions.role_require(
        permissions.may_read_programmes(user), _("Trang này dành cho cán bộ Ban Tổ chức và lãnh đạo.")
    )


def _require_recorder(user, plan: Plan) -> None:
    """Progress and measurements: officers, or the target unit's own secretary (a closed plan is refused later, 400)."""
    services.progress_recorder_role_require(user, plan)


# --- plans -----------------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    form = PlanFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    plans = selectors.plans_filtered(
        user=request.user, year=filters.get("year"), status=filters.get("status", ""), unit_code=filters.get("unit", "")
    )
    if request.GET.get("format") in table_formats:  # the list as shown, every row, to XLSX or CSV (issue 17)
        return _plans_export(request.GET["format"], list(plans))
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    outcomes = selectors.plan_outcomes(rows)
    flags = selectors.plan_flag_counts(plans=rows)
    for plan in rows:
        plan.outcome = outcomes[plan.pk]
        plan.flags = flags[plan.pk]
    return render(
        request,
        "consolidation/plan_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "can_manage": selectors.user_can_manage_plans(request.user),
            "is_staff": selectors.user_is_district_staff(request.user),
        },
    )


def _plans_export(fmt: str, plans: list[Plan]):
    outcomes = selectors.plan_outcomes(plans)
    headers = [_("Số, ký hiệu"), _("Ngày ban hành"), _("Đơn vị"), _("Căn cứ"), _("Trạng thái"), _("Kết quả xếp loại")]
    rows = [
        [
            plan.number,
            plan.issued_on.strftime("%d/%m/%Y"),
            plan.organization.name,
            f"{plan.baseline_level.label} ({plan.baseline_year})" if plan.baseline_level else str(plan.baseline_year),
            plan.get_status_display(),
            outcomes[plan.pk].text or "",
        ]
        for plan in plans
    ]
    return table_response(fmt=fmt, filename="ke-hoach-cung-co", title=_("Kế hoạch củng cố"), headers=headers, rows=rows)


def _plan_refused(request, plan: Plan, *, form_name: str, form):
    """A refused action on a plan goes back to the plan's page by GET, the form kept there with its errors and the
    errors said at the top; a reload neither re-posts nor meets a POST-only address."""
    postback.postback_refuse(request, page=["plan", plan.pk], forms={form_name: form})
    return redirect("consolidation:plan_detail", pk=plan.pk)


def _plan_page(request, plan: Plan):
    plan = selectors.plan_get_full(user=request.user, pk=plan.pk)
    kept = postback.postback_take(request, page=["plan", plan.pk])
    build = {
        "progress_form": lambda data: TaskProgressForm(data, plan=plan),
        "measurement_form": lambda data: MeasurementForm(data, plan=plan),
        "transition_form": lambda data: TransitionForm(data),
    }
    bound = {name: value.bind(build[name]) for name, value in kept.items() if name in build}
    today = datetime.date.today()
    overdue_ids = set(
        selectors.overdue_tasks(plans=Plan.objects.filter(pk=plan.pk), today=today).values_list("id", flat=True)
    )
    stale_ids = set(
        selectors.stale_indicators(plans=Plan.objects.filter(pk=plan.pk), today=today).values_list("id", flat=True)
    )
    can_record = selectors.user_can_record(request.user, plan)
    can_manage = selectors.user_can_manage_plans(request.user)
    context = {
        "plan": plan,
        "tasks": [task for _area, tasks in selectors.tasks_by_area(plan) for task in tasks],
        "outcome": selectors.plan_outcome(plan),
        "outcome_year": selectors.outcome_year(plan),
        "overdue_ids": overdue_ids,
        "stale_ids": stale_ids,
        "stale_days": selectors.stale_indicator_days(),
        "can_manage": can_manage,
        "can_record": can_record,
        "transitions": [(code, PlanStatus(code).label) for code in plan.allowed_transitions] if can_manage else [],
        "progress_form": bound.get("progress_form") or (TaskProgressForm(plan=plan) if can_record else None),
        "measurement_form": bound.get("measurement_form") or (MeasurementForm(plan=plan) if can_record else None),
        "transition_form": bound.get("transition_form"),
    }
    return render(request, "consolidation/plan_detail.html", context)


@login_required
def plan_detail(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    return _plan_page(request, plan)


def _form_refused(request, *, form_name: str, form):
    """A refused form page goes back to itself by GET, showing the form again with what was typed and its errors, so
    that a reload does not post again."""
    postback.postback_keep(request, page=["form", request.get_full_path()], forms={form_name: form})
    messages.error(request, _("Chưa lưu được: xem các lỗi ghi dưới từng ô."))
    return redirect(request.get_full_path())


def _form_kept(request, form_name: str):
    """The form refused on the last POST of this address, if any (shown once)."""
    return postback.postback_take(request, page=["form", request.get_full_path()]).get(form_name)


def _plan_edit(request, plan: Plan | None, initial: dict | None = None):
    creating = plan is None
    plan = plan or Plan()
    bound = request.method == "POST"
    kept = None if bound else _form_kept(request, "plan")
    data = request.POST if bound else (kept.data if kept else None)
    form = PlanForm(data, instance=plan, initial=initial, user=request.user)
    formsets = [(prefix, cls(data, instance=plan, prefix=prefix), title) for prefix, cls, title in PLAN_FORMSETS]
    if kept:
        # Shown again after a refused save: the plan's kept errors are put back, the rows' own checks run again.
        form = kept.bind(lambda data: PlanForm(data, instance=plan, initial=initial, user=request.user))
        for _prefix, formset, _title in formsets:
            formset.is_valid()
    if bound and form.is_valid() and all(fs.is_valid() for _p, fs, _t in formsets):
        children, deleted = [], []
        for _prefix, formset, _title in formsets:
            children.extend(formset.save(commit=False))
            deleted.extend(formset.deleted_objects)
        try:
            plan = services.plan_save(plan=form.instance, actor=request.user, children=children, deleted=deleted)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã lưu kế hoạch %(number)s.") % {"number": plan.number})
            return redirect("consolidation:plan_detail", pk=plan.pk)
    if bound:
        return _form_refused(request, form_name="plan", form=form)
    return render(
        request,
        "consolidation/plan_form.html",
        {
            "form": form,
            "formsets": formsets,
            "plan": None if creating else plan,
            "creating": creating,
        },
    )


@login_required
def plan_create(request):
    _require_manager(request.user)
    initial = None
    code, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if code and year.isdigit():
        if not MIN_YEAR <= int(year) <= MAX_YEAR:
            raise Http404
        candidate = selectors.candidate_get(user=request.user, code=code, year=int(year))
        if candidate is None:
            raise Http404
        initial = selectors.plan_initial_from_candidate(candidate=candidate)
    return _plan_edit(request, None, initial)


@login_required
def plan_edit(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    return _plan_edit(request, plan)


@login_required
@require_POST
def plan_transition(request, pk: int):
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_manager(request.user)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            plan = services.plan_transition(
                plan=plan,
                to=form.cleaned_data["to"],
                actor=request.user,
                closing_assessment=form.cleaned_data["closing_assessment"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(
                request,
                _("Kế hoạch %(number)s: %(status)s.") % {"number": plan.number, "status": plan.get_status_display()},
            )
            return redirect("consolidation:plan_detail", pk=plan.pk)
    return _plan_refused(request, plan, form_name="transition_form", form=form)


def _record_on_plan(request, pk: int, *, form_class, form_name: str, record, done: str):
    """A dated record on a plan (progress note, measurement): the recorder's form, the service `record(data, actor)`,
    back to the plan with `done`; refused, back to the plan's page with the form (`form_name` in its context)."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    _require_recorder(request.user, plan)
    form = form_class(request.POST, plan=plan)
    if form.is_valid():
        try:
            record(form.cleaned_data, request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, done)
            return redirect("consolidation:plan_detail", pk=plan.pk)
    return _plan_refused(request, plan, form_name=form_name, form=form)


@login_required
@require_POST
def task_progress_add(request, pk: int):
    def record(data: dict, actor) -> None:
        services.task_progress_record(
            task=data["task"], noted_on=data["noted_on"], note=data["note"], status=data["status"], actor=actor
        )

    return _record_on_plan(
        request,
        pk,
        form_class=TaskProgressForm,
        form_name="progress_form",
        record=record,
        done=_("Đã ghi tiến độ nhiệm vụ."),
    )


@login_required
@require_POST
def measurement_add(request, pk: int):
    def record(data: dict, actor) -> None:
        services.measurement_record(
            indicator=data["indicator"],
            measured_on=data["measured_on"],
            value=data["value"],
            note=data["note"],
            actor=actor,
        )

    return _record_on_plan(
        request,
        pk,
        form_class=MeasurementForm,
        form_name="measurement_form",
        record=record,
        done=_("Đã ghi số liệu chỉ tiêu."),
    )


def _plan_document_context(request, pk: int) -> dict:
    plan = selectors.plan_get_full(user=request.user, pk=pk)
    return {
        "plan": plan,
        "doc": plan,
        "outcome": selectors.plan_outcome(plan),
        "task_groups": selectors.tasks_by_area(plan),
    }


@login_required
def plan_print(request, pk: int):
    return render(request, "consolidation/plan_document.html", _plan_document_context(request, pk))


@login_required
def plan_pdf(request, pk: int):
    context = _plan_document_context(request, pk)
    filename = f"ke-hoach-{slugify(context['plan'].number)}.pdf"
    return pdf_response(
        template="consolidation/plan_document.html", context=context, filename=filename, request=request
    )


@login_required
def plan_docx_download(request, pk: int):
    """The plan as an editable Word file (issue 17)."""
    context = _plan_document_context(request, pk)
    content = plan_docx(plan=context["plan"], outcome=context["outcome"], task_groups=context["task_groups"])
    return docx_response(content=content, filename=f"ke-hoach-{slugify(context['plan'].number)}.docx")


# --- candidates and programmes ---------------------------------------------------------------------------------


@login_required
def candidate_list(request):
    _require_district_staff(request.user)
    # The latest year whose results are decided (an open year's first uploads would list provisional candidates);
    # looked up only when the address names no year.
    form = YearForm(request.GET or {"year": decided_year_latest(user=request.user) or datetime.date.today().year - 1})
    candidates = []
    if form.is_valid():
        candidates = list(selectors.candidates_for_year(user=request.user, year=form.cleaned_data["year"]))
    return render(
        request,
        "consolidation/candidate_list.html",
        {
            "form": form,
            "candidates": candidates,
            "year": form.cleaned_data.get("year") if form.is_valid() else None,
            "can_manage": selectors.user_can_manage_plans(request.user),
        },
    )


@login_required
def programme_list(request):
    _require_district_staff(request.user)
    programmes = selectors.programmes_visible_to(request.user)
    return render(
        request,
        "consolidation/programme_list.html",
        {
            "programmes": programmes,
            "can_manage": selectors.user_can_manage_plans(request.user),
        },
    )


def _programme_edit(request, programme: Programme | None):
    _require_manager(request.user)
    bound = request.method == "POST"
    kept = None if bound else _form_kept(request, "programme")
    form = ProgrammeForm(request.POST if bound else None, instance=programme, user=request.user)
    if kept:
        form = kept.bind(lambda data: ProgrammeForm(data, instance=programme, user=request.user))
    if bound and form.is_valid():
        try:
            programme = services.programme_save(programme=form.instance, actor=request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã lưu đề án."))
            return redirect("consolidation:programme_detail", pk=programme.pk)
    if bound:
        return _form_refused(request, form_name="programme", form=form)
    return render(request, "consolidation/programme_form.html", {"form": form, "programme": programme})


@login_required
def programme_create(request):
    return _programme_edit(request, None)


@login_required
def programme_edit(request, pk: int):
    return _programme_edit(request, selectors.programme_get_for_user(user=request.user, pk=pk))


def _programme_context(request, pk: int) -> dict:
    programme = selectors.programme_get_for_user(user=request.user, pk=pk)
    results = selectors.programme_results(programme=programme, user=request.user)
    return {
        "programme": programme,
        "can_manage": selectors.user_can_manage_plans(request.user),
        "doc": programme,
        "results": results,
        "totals": {
            "consolidated": sum(r.consolidated for r in results),
            "improved": sum(r.improved for r in results),
        },
        "today": datetime.date.today(),
    }


@login_required
def programme_detail(request, pk: int):
    return render(request, "consolidation/programme_detail.html", _programme_context(request, pk))


@login_required
def programme_print(request, pk: int):
    return render(request, "consolidation/programme_document.html", _programme_context(request, pk))


@login_required
def programme_pdf(request, pk: int):
    context = _programme_context(request, pk)
    return pdf_response(
        template="consolidation/programme_document.html",
        context=context,
        filename=f"bao-cao-de-an-{context['programme'].pk}.pdf",
        request=request,
    )

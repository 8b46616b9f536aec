"""Pages of criteria sets: the list (sets issued in the user's scope and above it), a set with its groups and
items, and for an officer of the issuer the forms to write them and to make a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.common.form_errors import form_errors_add
from assessments.criteria import services
from assessments.criteria.forms import CriteriaGroupForm, CriteriaItemForm, CriteriaSetForm
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet
from assessments.permissions import (
    criteria_set_get_for_user,
    criteria_sets_visible_to,
    is_officer,
    may_manage_criteria,
    role_require,
)
from assessments.rules.criteria import criteria_set_in_use, criteria_totals_errors


def _managed(request, pk: int) -> CriteriaSet:
    """The set (404 outside what the user reads) if the user may write it (403 otherwise)."""
    criteria_set = criteria_set_get_for_user(user=request.user, pk=pk)
    role_require(may_manage_criteria(request.user, criteria_set.issuer), services.MANAGE_REFUSED)
    return criteria_set


@login_required
def criteria_list(request):
    sets = (
        criteria_sets_visible_to(request.user)
        .select_related("issuer")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-first_year", "code", "-version")
    )
    return render(request, "assessments/criteria_list.html", {"sets": sets, "can_create": is_officer(request.user)})


@login_required
def criteria_detail(request, pk: int):
    criteria_set = criteria_set_get_for_user(user=request.user, pk=pk)
    groups = list(
        criteria_set.groups.select_related("part").prefetch_related(
            Prefetch("items", queryset=CriteriaItem.objects.order_by("order", "code"))
        )
    )
    items = [item for group in groups for item in group.items.all()]
    newer = CriteriaSet.objects.filter(code=criteria_set.code, version__gt=criteria_set.version).order_by("-version")
    return render(
        request,
        "assessments/criteria_detail.html",
        {
            "criteria_set": criteria_set,
            "groups": groups,
            "problems": criteria_totals_errors(criteria_set, groups, items),
            "in_use": criteria_set_in_use(criteria_set),
            "newer": newer.first(),
            "can_manage": may_manage_criteria(request.user, criteria_set.issuer),
        },
    )


def _set_edit(request, criteria_set: CriteriaSet | None):
    bound = request.method == "POST"
    form = CriteriaSetForm(request.POST if bound else None, instance=criteria_set, user=request.user)
    if bound and form.is_valid():
        try:
            saved = services.criteria_set_save(criteria_set=form.instance, actor=request.user)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã lưu bộ tiêu chí."))
            return redirect("assessments:criteria_detail", pk=saved.pk)
    return render(request, "assessments/criteria_form.html", {"form": form, "criteria_set": criteria_set})


@login_required
def criteria_create(request):
    role_require(is_officer(request.user), services.MANAGE_REFUSED)
    return _set_edit(request, None)


@login_required
def criteria_edit(request, pk: int):
    return _set_edit(request, _managed(request, pk))


@login_required
@require_POST
def criteria_new_version(request, pk: int):
    criteria_set = _managed(request, pk)
    try:
        copy = services.criteria_set_new_version(criteria_set=criteria_set, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:criteria_detail", pk=criteria_set.pk)
    messages.success(request, _("Đã tạo phiên bản %(version)s: sửa phiên bản này.") % {"version": copy.version})
    return redirect("assessments:criteria_detail", pk=copy.pk)


def _part_edit(request, criteria_set, *, form_class, instance, save, title):
    """A group's or an item's form: shape by the form, rules by the service, back to the set."""
    bound = request.method == "POST"
    form = form_class(request.POST if bound else None, instance=instance, criteria_set=criteria_set)
    if bound and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("assessments:criteria_detail", pk=criteria_set.pk)
    return render(
        request, "assessments/criteria_part_form.html", {"form": form, "criteria_set": criteria_set, "title": title}
    )


def _group(criteria_set: CriteriaSet, group_pk: int) -> CriteriaGroup:
    group = criteria_set.groups.filter(pk=group_pk).first()
    if group is None:
        raise Http404(_("Không có nhóm tiêu chí này trong bộ."))
    return group


def _item(criteria_set: CriteriaSet, item_pk: int) -> CriteriaItem:
    item = CriteriaItem.objects.select_related("group").filter(criteria_set=criteria_set, pk=item_pk).first()
    if item is None:
        raise Http404(_("Không có tiêu chí này trong bộ."))
    return item


@login_required
def criteria_group_form(request, pk: int, group_pk: int | None = None):
    criteria_set = _managed(request, pk)
    group = _group(criteria_set, group_pk) if group_pk else None
    return _part_edit(
        request,
        criteria_set,
        form_class=CriteriaGroupForm,
        instance=group,
        save=lambda obj: services.criteria_group_save(group=obj, actor=request.user),
        title=_("Sửa nhóm tiêu chí") if group else _("Thêm nhóm tiêu chí"),
    )


@login_required
def criteria_item_form(request, pk: int, item_pk: int | None = None):
    criteria_set = _managed(request, pk)
    item = _item(criteria_set, item_pk) if item_pk else None
    return _part_edit(
        request,
        criteria_set,
        form_class=CriteriaItemForm,
        instance=item,
        save=lambda obj: services.criteria_item_save(item=obj, actor=request.user),
        title=_("Sửa tiêu chí") if item else _("Thêm tiêu chí"),
    )


def _part_delete(request, criteria_set: CriteriaSet, delete, *, done: str):
    """Run a group's or item's removal, tell the user how it went, and go back to the set."""
    try:
        delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("assessments:criteria_detail", pk=criteria_set.pk)


@login_required
@require_POST
def criteria_group_delete(request, pk: int, group_pk: int):
    criteria_set = _managed(request, pk)
    group = _group(criteria_set, group_pk)
    return _part_delete(
        request,
        criteria_set,
        lambda: services.criteria_group_delete(group=group, actor=request.user),
        done=_("Đã xóa nhóm tiêu chí."),
    )


@login_required
@require_POST
def criteria_item_delete(request, pk: int, item_pk: int):
    criteria_set = _managed(request, pk)
    item = _item(criteria_set, item_pk)
    return _part_delete(
        request,
        criteria_set,
        lambda: services.criteria_item_delete(item=item, actor=request.user),
        done=_("Đã xóa tiêu chí."),
    )

"""Writes of criteria sets, their groups and items, and new versions; each checks the actor (404 outside the
issuer's scope, 403 for a role that may not) and the rules of assessments.rules.criteria, in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.history import delete_as, save_as
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, User
from assessments.permissions import (
    may_manage_criteria,
    role_require,
    scope_is_everything,
    scope_require,
)
from assessments.rules.criteria import (
    criteria_group_check,
    criteria_item_check,
    criteria_set_check,
    criteria_set_lock_check,
)

# Said by the services and by the pages, which refuse before showing a form.
MANAGE_REFUSED = gettext_lazy("Chỉ cán bộ Ban Tổ chức của cấp ban hành mới sửa bộ tiêu chí.")


def _actor_require(actor: User | None, criteria_set: CriteriaSet) -> None:
    """System writes (no actor) may; otherwise an officer with the issuer in scope."""
    if actor is None or scope_is_everything(actor):
        return
    scope_require(actor, criteria_set.issuer)
    role_require(may_manage_criteria(actor, criteria_set.issuer), MANAGE_REFUSED)


def _stored(criteria_set: CriteriaSet) -> CriteriaSet | None:
    return CriteriaSet.objects.select_related("issuer").filter(pk=criteria_set.pk).first() if criteria_set.pk else None


def _editable_require(actor: User | None, criteria_set: CriteriaSet) -> None:
    """The actor may manage the set and it is not used yet (a used set changes by a new version)."""
    _actor_require(actor, criteria_set)
    criteria_set_lock_check(criteria_set)


def criteria_set_write_check(criteria_set: CriteriaSet, *, actor: User | None) -> None:
    """Every rule of saving a set: the actor, the set not used (as stored), its issuer and years."""
    stored = _stored(criteria_set)
    if stored is not None:
        _editable_require(actor, stored)
    if criteria_set.issuer_id:
        _actor_require(actor, criteria_set)
    criteria_set_check(criteria_set)


@transaction.atomic
def criteria_set_save(*, criteria_set: CriteriaSet, actor: User | None) -> CriteriaSet:
    """Create or change a criteria set (not once it is used: make a new version)."""
    criteria_set_write_check(criteria_set, actor=actor)
    return save_as(criteria_set, actor)


def criteria_group_write_check(group: CriteriaGroup, *, actor: User | None) -> None:
    _editable_require(actor, group.criteria_set)
    criteria_group_check(group)


@transaction.atomic
def criteria_group_save(*, group: CriteriaGroup, actor: User | None) -> CriteriaGroup:
    """Add or change a group of a set, within the scheme's total and holding its items."""
    criteria_group_write_check(group, actor=actor)
    return save_as(group, actor)


def criteria_item_write_check(item: CriteriaItem, *, actor: User | None) -> None:
    criteria_set = item.group.criteria_set
    _editable_require(actor, criteria_set)
    if item.pk and item.criteria_set_id and item.criteria_set_id != criteria_set.pk:
        raise ValidationError({"group": _("Tiêu chí chỉ chuyển sang nhóm khác trong cùng bộ tiêu chí.")})
    item.criteria_set = criteria_set
    criteria_item_check(item)


@transaction.atomic
def criteria_item_save(*, item: CriteriaItem, actor: User | None) -> CriteriaItem:
    """Add or change an item, the group's items staying within its maximum."""
    criteria_item_write_check(item, actor=actor)
    return save_as(item, actor)


@transaction.atomic
def criteria_item_delete(*, item: CriteriaItem, actor: User | None) -> None:
    """Remove an item of a set not yet used (an item with scores cannot be removed)."""
    criteria_set = item.group.criteria_set
    _editable_require(actor, criteria_set)
    if item.scores.exists():
        raise ValidationError(_("Tiêu chí %(code)s đã có điểm nên không xóa được.") % {"code": item.code})
    delete_as(item, actor)


@transaction.atomic
def criteria_group_delete(*, group: CriteriaGroup, actor: User | None) -> None:
    """Remove a group and its items, if none of them has scores."""
    _editable_require(actor, group.criteria_set)
    for item in list(group.items.all()):
        criteria_item_delete(item=item, actor=actor)
    delete_as(group, actor)


@transaction.atomic
def criteria_set_delete(*, criteria_set: CriteriaSet, actor: User | None) -> None:
    """Remove a set not yet used, with its groups and items (none of them scored)."""
    _editable_require(actor, criteria_set)
    for group in list(criteria_set.groups.all()):
        criteria_group_delete(group=group, actor=actor)
    delete_as(criteria_set, actor)


@transaction.atomic
def criteria_set_new_version(*, criteria_set: CriteriaSet, actor: User | None) -> CriteriaSet:
    """Copy a set with its groups and items as version + 1, replacing it (the way to change a set in use)."""
    _actor_require(actor, criteria_set)
    latest = CriteriaSet.objects.filter(code=criteria_set.code).order_by("-version").first()
    if latest.pk != criteria_set.pk:
        raise ValidationError(
            _("Bộ tiêu chí %(code)s đã có phiên bản %(version)s thay thế: sửa hoặc tạo mới từ phiên bản đó.")
            % {"code": criteria_set.code, "version": latest.version}
        )
    copy = CriteriaSet(
        code=criteria_set.code,
        name=criteria_set.name,
        issuer=criteria_set.issuer,
        subject_group=criteria_set.subject_group,
        first_year=criteria_set.first_year,
        last_year=criteria_set.last_year,
        version=criteria_set.version + 1,
        replaces=criteria_set,
    )
    copy._history_user = actor
    copy.save()
    for group in criteria_set.groups.prefetch_related("items"):
        items = list(group.items.all())
        group.pk = None
        group.criteria_set = copy
        group._history_user = actor
        group.save()
        for item in items:
            item.pk = None
            item.group = group
            item._history_user = actor
            item.save()
    return copy


def criteria_set_latest(*, code: str) -> CriteriaSet | None:
    """The newest version of a set by its code (what imports and scores refer to)."""
    return CriteriaSet.objects.select_related("issuer").filter(code=code).order_by("-version").first()

"""Rules of the organization tree: where an organization may sit, and keeping a moved subtree's paths right.

Decision: re-pathing a moved subtree was written twice (one save per descendant in the service, one UPDATE in
the importer); subtree_repath is now the one set-based writer both use.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from assessments.models import Organization
from assessments.permissions import scope_is_everything


def cycle_message() -> str:
    return _("Không thể đặt một tổ chức trực thuộc chính cấp dưới của nó.")


def root_check(*, actor, field: str = "parent") -> None:
    """Only a user with no scope to check (an administrator, or a system write) creates or moves a root."""
    if not scope_is_everything(actor):
        raise ValidationError({field: _("Chỉ quản trị hệ thống mới tạo tổ chức gốc.")})


def organization_parent_check(organization: Organization) -> None:
    """An organization cannot be placed under itself or one of its own descendants."""
    parent = organization.parent if organization.parent_id else None
    if parent is None or not organization.pk:
        return
    old_path = Organization.objects.filter(pk=organization.pk).values_list("path", flat=True).first()
    if old_path and parent.path.startswith(old_path):
        raise ValidationError({"parent": cycle_message()})


def subtree_repath(moves: dict[int, tuple[str, str]], exclude: Iterable[int] = ()) -> None:
    """Re-root the descendants of moved organizations ({id: (old path, new path)}) in one UPDATE per move; deepest
    first, so the nearest move wins. Rows in `exclude` (already written with their new path) are left alone."""
    exclude = set(exclude) | set(moves)
    for _pk, (old, new) in sorted(moves.items(), key=lambda item: -len(item[1][0])):
        if old == new:
            continue
        Organization.objects.filter(path__startswith=old).exclude(pk__in=exclude).update(
            path=Concat(Value(new), Substr("path", len(old) + 1)),
            depth=F("depth") + (new.count("/") - old.count("/")),
        )

"""Rules of the organization tree: where an organization of each kind may sit, and keeping a moved subtree's
paths right.

Decisions: re-pathing a moved subtree was written twice (one save per descendant in the service, one UPDATE in
the importer); subtree_repath is now the one set-based writer both use. The kinds (DOMAIN.md) fix the tree: a
province or a district is a root; a district sits under a province; grassroots committees and cells under a
district or, since the 2025 reorganization, a province; sub-committees under a grassroots committee; cells under
a grassroots committee or a sub-committee. The same rules apply when an organization is created and whenever its
kind or parent changes: its children must still fit under it, and only a cell keeps members.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from assessments.common.vocabulary import number_text
from assessments.models import MEMBER_KINDS, Kind, Member, Organization
from assessments.permissions import scope_is_everything

# The kinds each kind may sit under; None is the root of a tree.
PARENT_KINDS: dict[str, tuple[str | None, ...]] = {
    Kind.PROVINCE: (None,),
    Kind.DISTRICT: (None, Kind.PROVINCE),
    Kind.GRASSROOTS_COMMITTEE: (Kind.DISTRICT, Kind.PROVINCE),
    Kind.GRASSROOTS_CELL: (Kind.DISTRICT, Kind.PROVINCE),
    Kind.SUBCOMMITTEE: (Kind.GRASSROOTS_COMMITTEE,),
    Kind.CELL: (Kind.GRASSROOTS_COMMITTEE, Kind.SUBCOMMITTEE),
}


def _label(kind: str | None) -> str:
    return str(Kind(kind).label) if kind in Kind.values else str(kind or "")


def kind_parent_check(*, kind: str, parent_kind: str | None, parent_code: str = "", field: str = "parent") -> None:
    """An organization of this kind may sit under a parent of that kind (None: at the root)."""
    if kind not in PARENT_KINDS or parent_kind in PARENT_KINDS[kind]:
        return
    if parent_kind is None:
        message = _("%(kind)s phải trực thuộc một tổ chức cấp trên.") % {"kind": _label(kind)}
    else:
        message = _("%(kind)s không thể trực thuộc %(parent_kind)s (%(parent)s).") % {
            "kind": _label(kind),
            "parent_kind": _label(parent_kind).lower(),
            "parent": parent_code,
        }
    raise ValidationError({field: message})


def kind_children_check(*, code: str, kind: str, children: list[tuple[str, str]], field: str = "kind") -> None:
    """Every child (code, kind) still fits under an organization of this kind."""
    misfits = [child for child, child_kind in children if kind not in PARENT_KINDS.get(child_kind, (kind,))]
    if misfits:
        raise ValidationError(
            {
                field: _(
                    "%(code)s không thể là %(kind)s: các tổ chức trực thuộc %(children)s không thể ở dưới loại này."
                )
                % {"code": code, "kind": _label(kind).lower(), "children": ", ".join(sorted(misfits)[:5])}
            }
        )


def kind_members_check(*, code: str, kind: str, members: int, field: str = "kind") -> None:
    """Members belong to cells: an organization with members stays a kind that has members."""
    if members and kind not in MEMBER_KINDS:
        raise ValidationError(
            {
                field: _(
                    "%(code)s không thể là %(kind)s: còn %(n)s đảng viên sinh hoạt ở đây (chỉ chi bộ có đảng viên)."
                )
                % {"code": code, "kind": _label(kind).lower(), "n": number_text(members)}
            }
        )


def organization_kind_check(organization: Organization) -> None:
    """The rules of kinds for one organization, on creation and on every change of kind or parent."""
    parent = organization.parent if organization.parent_id else None
    kind_parent_check(
        kind=organization.kind, parent_kind=parent.kind if parent else None, parent_code=parent.code if parent else ""
    )
    if not organization.pk:
        return
    stored = Organization.objects.filter(pk=organization.pk).values_list("kind", flat=True).first()
    if stored == organization.kind:
        return
    children = list(Organization.objects.filter(parent_id=organization.pk).values_list("code", "kind"))
    kind_children_check(code=organization.code, kind=organization.kind, children=children)
    members = Member.objects.filter(organization_id=organization.pk).count()
    kind_members_check(code=organization.code, kind=organization.kind, members=members)


def cycle_message() -> str:
    return _("Không thể đặt một tổ chức trực thuộc chính cấp dưới của nó.")


def root_check(*, actor, field: str = "parent") -> None:
    """Only a user with no scope to check (an administrator, or a system write) creates or moves a root."""
    if not scope_is_everything(actor):
        raise ValidationError({field: _("Chỉ quản trị hệ thống mới tạo tổ chức gốc.")})


def organization_dates_check(*, valid_from, valid_to, field: str = "valid_to") -> None:
    """An organization ends after it is founded (the database constraint, as a field's error and its message)."""
    if valid_from and valid_to and valid_to < valid_from:
        constraint = next(c for c in Organization._meta.constraints if c.name == "organization_valid_range")
        raise ValidationError({field: str(constraint.violation_error_message)})


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

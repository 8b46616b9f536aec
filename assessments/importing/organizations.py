"""Import of organizations: the file is planned as a whole (rows refer to each other by parent_code), placed
under the rules of rules.organizations and written parents first, moved subtrees re-pathed set-based."""

from django.db.models import Count
from django.utils.translation import gettext as _

from assessments.common.text import fold
from assessments.importing.columns import ORGANIZATIONS
from assessments.importing.handlers import Handler, Row, _changed
from assessments.models import Member, Organization
from assessments.permissions import scope_is_everything
from assessments.rules.access import out_of_scope_message
from assessments.rules.organizations import (
    cycle_message,
    kind_children_check,
    kind_members_check,
    kind_parent_check,
    organization_dates_check,
    root_check,
    subtree_repath,
)
from assessments.signals import organizations_changed

ORG_FIELDS = ("name", "kind", "sector", "valid_from", "valid_to")


class OrganizationHandler(Handler):
    """Organizations reference each other (parent_code), so the file is planned as a whole: a tree of a province
    is a few thousand rows, far below the row limit."""

    data_type = ORGANIZATIONS
    field_columns = {"parent": "parent_code"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rows: list[Row] = []

    def process(self, batch: list[Row], writing: bool) -> list[Row]:
        self.rows.extend(batch)
        return []

    def finish(self, writing: bool) -> list[Row]:
        self.settle(self.rows, writing)
        return self.rows

    def plan(self, rows: list[Row]):
        rows = self.rows_keyed(rows, lambda data: data["code"])
        in_file = {row.key: row for row in rows}
        codes = set(in_file) | {row.data["parent_code"] for row in rows if row.data["parent_code"]}
        existing = {org.code: org for org in Organization.objects.filter(code__in=codes).select_related("parent")}
        # Ancestors of existing organizations, to place them when an ancestor in the file moves.
        self.orgs.load(codes=codes)
        everything = scope_is_everything(self.scope_user)
        new_paths: dict[str, str | None] = {}
        in_progress: set[str] = set()

        def path_of_existing(org: Organization) -> str:
            parts = org.path.strip("/").split("/")
            for i in range(len(parts) - 1, -1, -1):
                if parts[i] in in_file and parts[i] != org.code:
                    above = new_path(parts[i])
                    return None if above is None else above + "".join(p + "/" for p in parts[i + 1 :])
            return org.path

        def new_path(code: str) -> str | None:
            if code in new_paths:
                return new_paths[code]
            row = in_file[code]
            if code in in_progress:
                row.error("parent_code", _("Quan hệ cấp trên tạo thành vòng lặp (%(code)s).") % {"code": code})
                new_paths[code] = None
                return None
            in_progress.add(code)
            parent_code = row.data["parent_code"]
            if not parent_code:
                result = f"{code}/"
            elif parent_code in in_file:
                above = new_path(parent_code)
                result = None if above is None else f"{above}{code}/"
            elif parent_code in existing:
                above = path_of_existing(existing[parent_code])
                result = None if above is None else f"{above}{code}/"
            else:
                row.error("parent_code", _("Không có tổ chức mã %(code)s.") % {"code": parent_code})
                result = None
            if result is not None and parent_code and result.count(f"/{code}/") + result.startswith(f"{code}/") > 1:
                row.error("parent_code", cycle_message())
                result = None
            in_progress.discard(code)
            new_paths.setdefault(code, result)
            return new_paths[code]

        kinds = self.kinds_plan(rows, existing, in_file)
        creates, updates = [], []
        for row in rows:
            data = row.data
            org = existing.get(row.key)
            path = new_path(row.key)
            if path is None:
                if not row.errors:
                    row.error("parent_code", _("Tổ chức cấp trên có lỗi ở dòng khác."))
                continue
            parent_code = data["parent_code"]
            parent_changed = org is None or (org.parent.code if org.parent_id else "") != parent_code
            if not everything:
                if org is not None and not self.orgs.is_visible(org.pk):
                    row.error("code", _("Tổ chức mã %(code)s nằm ngoài phạm vi của bạn.") % {"code": row.key})
                    continue
                if parent_changed:
                    if not parent_code:
                        self.rule_holds(row, root_check, actor=self.scope_user)
                    elif parent_code not in in_file and not self.orgs.is_visible(existing[parent_code].pk):
                        row.error("parent_code", out_of_scope_message(parent_code))
                    if row.errors:
                        continue
            if not self.rule_holds(row, kinds, row, org):
                continue
            values = self.present_values(data, ORG_FIELDS)
            if org is None:
                org = Organization(code=row.key)
                row.action = "created"
                creates.append((row, org, path))
            else:
                changed = _changed(org, values) or parent_changed or org.path != path
                if not self.rule_holds(
                    row,
                    organization_dates_check,
                    valid_from=values.get("valid_from", org.valid_from),
                    valid_to=values.get("valid_to", org.valid_to),
                    field="valid_to" if "valid_to" in self.present else "valid_from",
                ):
                    continue
                row.action = "updated" if changed else "unchanged"
                row.changed = [*_changed(org, values), *(["parent_code"] if parent_changed else [])]
                if changed:
                    updates.append((row, org, path))
            for name, value in values.items():
                setattr(org, name, value)
            org.name_folded = fold(org.name)
        return creates, updates, existing, in_file

    def kinds_plan(self, rows: list[Row], existing: dict[str, Organization], in_file: dict[str, Row]):
        """The rules of kinds (rules.organizations), with the facts they need read set-based: the kind each code
        will have, the children of the organizations whose kind changes, and their members."""
        new_kind = {row.key: row.data.get("kind") or getattr(existing.get(row.key), "kind", "") for row in rows}

        def kind_of(code: str) -> str | None:
            return new_kind[code] if code in new_kind else getattr(existing.get(code), "kind", None)

        changing = {org.pk: code for code, org in existing.items() if code in new_kind and new_kind[code] != org.kind}
        children: dict[int, list[tuple[str, str]]] = {}
        for code, kind, parent_id in Organization.objects.filter(parent_id__in=changing).values_list(
            "code", "kind", "parent_id"
        ):
            if code in in_file and in_file[code].data["parent_code"] != changing[parent_id]:
                continue  # the file moves it away
            children.setdefault(parent_id, []).append((code, new_kind.get(code, kind)))
        members = dict(
            Member.objects.filter(organization_id__in=changing)
            .values("organization_id")
            .annotate(n=Count("id"))
            .values_list("organization_id", "n")
        )

        def check(row: Row, org: Organization | None) -> None:
            parent_code = row.data["parent_code"]
            kind = new_kind[row.key]
            kind_parent_check(
                kind=kind, parent_kind=kind_of(parent_code) if parent_code else None, parent_code=parent_code
            )
            if org is not None and org.pk in changing:
                kind_children_check(code=row.key, kind=kind, children=children.get(org.pk, []))
                kind_members_check(code=row.key, kind=kind, members=members.get(org.pk, 0))

        return check

    def write(self, plan) -> None:
        creates, updates, existing, in_file = plan
        ids: dict[str, int] = {code: org.pk for code, org in existing.items()}
        # Parents first: one bulk insert per depth of the tree.
        by_depth: dict[int, list] = {}
        for row, org, path in creates:
            by_depth.setdefault(path.count("/"), []).append((row, org, path))
        for depth in sorted(by_depth):
            objs = []
            for row, org, path in by_depth[depth]:
                org.parent_id = ids.get(row.data["parent_code"]) if row.data["parent_code"] else None
                org.path, org.depth = path, path.count("/") - 1
                objs.append(org)
            for org in self.create_with_history(Organization, objs):
                ids[org.code] = org.pk
                self.org_ids.add(org.pk)
        old_paths = {}
        new_paths = {}
        objs = []
        for row, org, path in updates:
            org.parent_id = ids.get(row.data["parent_code"]) if row.data["parent_code"] else None
            if org.path != path:
                old_paths[org.pk] = org.path
                new_paths[org.pk] = path
            org.path, org.depth = path, path.count("/") - 1
            objs.append(org)
            self.org_ids.add(org.pk)
        self.update_with_history(Organization, objs, [*ORG_FIELDS, "name_folded", "parent", "path", "depth"])
        subtree_repath({pk: (old, new_paths[pk]) for pk, old in old_paths.items()}, exclude=set(ids.values()))

    def signal(self) -> None:
        if self.org_ids:
            organizations_changed.send(sender=Organization, organization_ids=sorted(self.org_ids))

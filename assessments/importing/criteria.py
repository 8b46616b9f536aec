"""Import of criteria sets: one row per item (set, issuer, subject group, first year, group, item); a set is read
whole from the file and checked by assessments.rules.criteria (issuer, years, sums, the frame, the lock) before
anything is written. A set already stored is updated in place unless it is used: then a new version is needed."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.importing.columns import CRITERIA
from assessments.importing.handlers import Handler, Row
from assessments.models import CriteriaGroup, CriteriaItem, CriteriaSet, FramePart
from assessments.rules.access import out_of_scope_message
from assessments.rules.criteria import (
    criteria_set_check,
    criteria_set_in_use,
    criteria_set_lock_message,
    criteria_totals_errors,
    scored_scheme,
)

SET_COLUMNS = ("issuer_code", "subject_group", "first_year", "set_name", "last_year")
GROUP_COLUMNS = ("group_name", "group_max", "group_part")


class CriteriaHandler(Handler):
    data_type = CRITERIA
    field_columns = {"issuer": "issuer_code", "first_year": "first_year", "max_points": "item_max"}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sets: dict[str, list[Row]] = {}
        self.planned: list = []

    def process(self, batch: list[Row], writing: bool) -> list[Row]:
        """Rows wait until the file is read: a set's groups and items are checked together."""
        rows = [row for row in batch if row.data is not None and not row.errors]
        for row in rows:
            row.key = f"{row.data['set_code']}/{row.data['item_code']}"
        self.duplicates(rows)
        for row in rows:
            if not row.errors:
                self.sets.setdefault(row.data["set_code"], []).append(row)
        return [row for row in batch if row.data is None or row.errors]

    def finish(self, writing: bool) -> list[Row]:
        rows = [row for group in self.sets.values() for row in group]
        if not rows:
            return []
        self.orgs.load(codes={row.data["issuer_code"] for row in rows})
        latest = {}
        for criteria_set in CriteriaSet.objects.filter(code__in=self.sets).select_related("issuer").order_by("version"):
            latest[criteria_set.code] = criteria_set
        for code, set_rows in self.sets.items():
            self.set_plan(code, set_rows, latest.get(code))
        if writing and not any(row.errors for row in rows):
            for plan in self.planned:
                self.set_write(*plan)
        return rows

    def _same_values(self, rows: list[Row], columns: tuple[str, ...], what: str) -> bool:
        """Every row of a set (or of a group) repeats the same set (or group) values."""
        first = rows[0]
        ok = True
        for row in rows[1:]:
            for name in columns:
                if name in self.present and row.data.get(name) != first.data.get(name):
                    row.error(
                        name,
                        _("Khác với dòng %(row)s: mọi dòng của cùng %(what)s phải ghi giống nhau.")
                        % {"row": first.number, "what": what},
                    )
                    ok = False
        return ok

    def set_plan(self, code: str, rows: list[Row], stored: CriteriaSet | None) -> None:
        first = rows[0].data
        if not self._same_values(rows, SET_COLUMNS, _("bộ tiêu chí")):
            return
        issuer = self.orgs.get(first["issuer_code"])
        if issuer is None:
            for row in rows:
                row.error("issuer_code", out_of_scope_message(first["issuer_code"]))
            return
        if stored is not None and (stored.issuer_id != issuer.pk or not self.orgs.is_visible(stored.issuer_id)):
            for row in rows:
                row.error("set_code", _("Mã bộ tiêu chí %(code)s đã được cấp khác dùng.") % {"code": code})
            return
        if stored is not None and criteria_set_in_use(stored):
            for row in rows:
                row.error("set_code", criteria_set_lock_message(stored))
            return
        criteria_set = stored or CriteriaSet(code=code, issuer=issuer)
        set_changed = stored is None
        values = {
            "subject_group": first["subject_group"],
            "first_year": first["first_year"],
            "name": first.get("set_name") or (stored.name if stored else code),
        }
        if "last_year" in self.present:
            values["last_year"] = first.get("last_year")
        for name, value in values.items():
            if getattr(criteria_set, name) != value:
                set_changed = True
                setattr(criteria_set, name, value)
        try:
            criteria_set_check(criteria_set)
        except ValidationError as error:
            for row in rows:
                self.validation_error(row, error)
            return
        groups, items, row_items = self.groups_plan(criteria_set, stored, rows)
        if any(row.errors for row in rows):
            return
        for message in criteria_totals_errors(criteria_set, list(groups.values()), items):
            rows[0].error("group_max", message)
        removed = []
        if stored is not None:
            kept = {item.code for item in items}
            removed = list(CriteriaItem.objects.filter(criteria_set=stored).exclude(code__in=kept))
            for item in removed:
                if item.scores.exists():
                    rows[0].error(
                        "item_code",
                        _("Tiêu chí %(code)s đã có điểm nên không bỏ khỏi bộ được.") % {"code": item.code},
                    )
        if any(row.errors for row in rows):
            return
        for row, (item, changed) in zip(rows, row_items, strict=True):
            row.obj = item
            row.changed = changed
            if item.pk is None:
                row.action = "created"
            elif changed or set_changed:
                row.action = "updated"
            else:
                row.action = "unchanged"
        self.planned.append((criteria_set, set_changed, list(groups.values()), row_items, removed))

    def groups_plan(self, criteria_set: CriteriaSet, stored: CriteriaSet | None, rows: list[Row]):
        """The set's groups and items as the file gives them, matched by code with what is stored."""
        scheme = scored_scheme(criteria_set.first_year)
        parts = {part.code: part for part in FramePart.objects.filter(scheme=scheme)}
        old_groups = {g.code: g for g in stored.groups.all()} if stored else {}
        old_items = {i.code: i for i in CriteriaItem.objects.filter(criteria_set=stored)} if stored else {}
        by_group: dict[str, list[Row]] = {}
        for row in rows:
            by_group.setdefault(row.data["group_code"], []).append(row)
        groups: dict[str, CriteriaGroup] = {}
        for order, (code, group_rows) in enumerate(by_group.items(), start=1):
            if not self._same_values(group_rows, GROUP_COLUMNS, _("nhóm tiêu chí")):
                continue
            data = group_rows[0].data
            group = old_groups.get(code) or CriteriaGroup(criteria_set=criteria_set, code=code)
            part = None
            if data.get("group_part"):
                part = parts.get(data["group_part"])
                if part is None:
                    group_rows[0].error(
                        "group_part",
                        _("“%(value)s” không phải phần khung; ghi một trong: %(codes)s.")
                        % {"value": data["group_part"], "codes": ", ".join(parts) or "—"},
                    )
                    continue
            group._changed = group.pk is None or _differs(
                group, name=data["group_name"], max_points=data["group_max"], part_id=part.pk if part else None
            )
            group.name, group.max_points, group.part, group.order = data["group_name"], data["group_max"], part, order
            groups[code] = group
        items, row_items = [], []
        for order, row in enumerate(rows, start=1):
            data = row.data
            group = groups.get(data["group_code"])
            if group is None:
                row_items.append((None, []))
                continue
            item = old_items.get(data["item_code"]) or CriteriaItem(code=data["item_code"])
            values = {
                "name": data["item_name"],
                "max_points": data["item_max"],
                "description": data.get("item_description", item.description) or "",
                "measured_by": data.get("item_measured_by", item.measured_by) or "",
            }
            changed = [name for name, value in values.items() if getattr(item, name) != value]
            if item.pk is not None and item.group_id != getattr(group, "pk", None):
                changed.append("group_code")
            if group._changed:
                changed.append("group_max")
            for name, value in values.items():
                setattr(item, name, value)
            item.group, item.order = group, order
            items.append(item)
            row_items.append((item, changed))
        return groups, items, row_items

    def set_write(self, criteria_set, set_changed, groups, row_items, removed) -> None:
        for item in removed:
            item._history_user = self.actor
            item._change_reason = self.reason
            item.delete()
        if set_changed or criteria_set.pk is None:
            self._save(criteria_set)
        for group in groups:
            group.criteria_set = criteria_set
            if group.pk is None or group._changed:
                self._save(group)
        for item, changed in row_items:
            if item.pk is None or changed:
                self._save(item)
        kept = {group.pk for group in groups}
        for group in CriteriaGroup.objects.filter(criteria_set=criteria_set).exclude(pk__in=kept):
            # A group the file no longer has: its items were removed or moved to the file's groups above.
            group._history_user = self.actor
            group._change_reason = self.reason
            group.delete()

    def _save(self, obj) -> None:
        obj._history_user = self.actor
        obj._change_reason = self.reason
        obj.save()


def _differs(obj, **values) -> bool:
    return any(
        (Decimal(getattr(obj, name)) != Decimal(value)) if name == "max_points" else getattr(obj, name) != value
        for name, value in values.items()
    )

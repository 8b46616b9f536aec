"""Import of leadership collectives: one row per collective code, at an organization in the uploader's scope;
checked by rules.collectives.collective_check, written set-based. Also the steps the posts', ratings' and item
scores' handlers share: setting a row's values, filing a checked row in the plan, writing with history."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments.importing.columns import COLLECTIVES
from assessments.importing.handlers import WRITE_BATCH, Handler, Row, _changed
from assessments.models import Collective
from assessments.rules.access import out_of_scope_message
from assessments.rules.collectives import collective_check
from assessments.signals import leadership_changed

COLLECTIVE_FIELDS = ("organization", "kind", "name", "valid_from", "valid_to")


def collective_out_of_scope_message(code: str) -> str:
    """The one answer for a collective code the user may not use, whether it exists elsewhere or not."""
    return _("Không có tập thể mã %(code)s trong phạm vi của bạn.") % {"code": code}


def set_values(obj, values: dict, *, is_new: bool, owner: tuple) -> list[str]:
    """Set a row's values and its owner (the collective's organization, the post's managing committee) on obj, and
    name the fields this changes."""
    field, owner_obj = owner
    changed = _changed(obj, values)
    if is_new or getattr(obj, f"{field}_id") != owner_obj.pk:
        changed.append(f"{field}_id")
    for name, value in values.items():
        setattr(obj, name, value)
    setattr(obj, field, owner_obj)
    return changed


def file_checked(handler: Handler, row: Row, obj, is_new: bool, changed: list, check, plan: tuple) -> None:
    """Check a planned collective, post or rating by its rule and file it in the plan as created, updated or
    unchanged; a broken rule becomes the row's error instead."""
    try:
        check(obj)
    except ValidationError as error:
        handler.validation_error(row, error)
        return
    creates, updates = plan
    row.obj, row.changed = obj, changed
    if is_new:
        row.action = "created"
        creates.append(obj)
    elif changed:
        row.action = "updated"
        updates.append(obj)
    else:
        row.action = "unchanged"


def write_with_history(handler: Handler, model, plan: tuple, fields: list) -> None:
    """Write a plan's new and changed rows set-based, each with its history row naming the uploader and the reason."""
    creates, updates = plan
    options = {"batch_size": WRITE_BATCH, "default_user": handler.actor, "default_change_reason": handler.reason}
    if creates:
        bulk_create_with_history(creates, model, **options)
    if updates:
        bulk_update_with_history(updates, model, fields, **options)


class CollectiveHandler(Handler):
    data_type = COLLECTIVES
    field_columns = {"organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        for row in rows:
            row.key = row.data["code"]
        self.duplicates(rows)
        rows = [row for row in rows if not row.errors]
        existing = {
            c.code: c
            for c in Collective.objects.filter(code__in={row.data["code"] for row in rows}).select_related(
                "organization"
            )
        }
        self.orgs.load(
            codes={row.data["organization_code"] for row in rows}, ids={c.organization_id for c in existing.values()}
        )
        creates, updates = [], []
        for row in rows:
            data = row.data
            collective = existing.get(data["code"])
            if collective is not None and not self.orgs.is_visible(collective.organization_id):
                row.error("code", collective_out_of_scope_message(data["code"]))
                continue
            organization = self.orgs.get(data["organization_code"])
            if organization is None:
                row.error("organization_code", out_of_scope_message(data["organization_code"]))
                continue
            is_new = collective is None
            if is_new:
                collective = Collective(code=data["code"])
            values = {name: data[name] for name in ("kind", "name", "valid_from", "valid_to") if name in self.present}
            changed = set_values(collective, values, is_new=is_new, owner=("organization", organization))
            file_checked(self, row, collective, is_new, changed, collective_check, (creates, updates))
        return creates, updates

    def write(self, plan) -> None:
        creates, updates = plan
        # The summaries of the old and the new organization count the collective differently (issue 16).
        changed = {c.organization_id for c in (*creates, *updates)}
        changed |= set(
            Collective.objects.filter(pk__in=[c.pk for c in updates]).values_list("organization_id", flat=True)
        )
        write_with_history(self, Collective, plan, list(COLLECTIVE_FIELDS))
        if changed:
            leadership_changed.send(sender=Collective, organization_ids=sorted(changed))

"""Import of leadership collectives: one row per collective code, at an organization in the uploader's scope;
checked by rules.collectives.collective_check, written set-based."""

from django.utils.translation import gettext as _

from assessments.importing.columns import COLLECTIVES
from assessments.importing.handlers import Handler, Row
from assessments.models import Collective
from assessments.rules.collectives import collective_check
from assessments.signals import leadership_changed

COLLECTIVE_FIELDS = ("organization", "kind", "name", "valid_from", "valid_to")


def collective_out_of_scope_message(code: str) -> str:
    """The one answer for a collective code the user may not use, whether it exists elsewhere or not."""
    return _("Không có tập thể mã %(code)s trong phạm vi của bạn.") % {"code": code}


class CollectiveHandler(Handler):
    data_type = COLLECTIVES
    field_columns = {"organization": "organization_code"}

    def plan(self, rows: list[Row]) -> tuple[list, list]:
        rows = self.rows_keyed(rows, lambda data: data["code"])
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
            organization = self.organization_get(row)
            if organization is None:
                continue
            is_new = collective is None
            if is_new:
                collective = Collective(code=data["code"])
            self.owned_file_checked(
                row,
                collective,
                is_new=is_new,
                names=("kind", "name", "valid_from", "valid_to"),
                owner=("organization", organization),
                check=collective_check,
                plan=(creates, updates),
            )
        return creates, updates

    def write(self, plan) -> None:
        creates, updates = plan
        # The summaries of the old and the new organization count the collective differently (issue 16).
        changed = {c.organization_id for c in (*creates, *updates)}
        changed |= set(
            Collective.objects.filter(pk__in=[c.pk for c in updates]).values_list("organization_id", flat=True)
        )
        self.write_with_history(Collective, plan, list(COLLECTIVE_FIELDS))
        if changed:
            leadership_changed.send(sender=Collective, organization_ids=sorted(changed))

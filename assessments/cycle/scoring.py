"""The portal's scoring under QĐ 366: the criteria sets that apply to a unit in a year, its scoring sheets (XLSX in
the item_scores import's sheet layout, prefilled with the unit, its cells or its members and one column per item),
and the progress list of what is still missing."""

import io
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.common.spreadsheets import cell_escape
from assessments.cycle.regulation import decided_cells
from assessments.importing import COLUMNS, wide_title
from assessments.models import MEMBER_GROUPS, CriteriaItem, CriteriaSet, ItemScore, Organization
from assessments.rules.criteria import points_text, scored_scheme
from assessments.selectors import members_of_year

# The sheet's fixed columns: import codes, which the item_scores import reads back (docs/import-formats.md).
MEMBER_COLUMNS = ("card_number", "name", "year", "period", "set_code")
UNIT_COLUMNS = ("organization_code", "name", "year", "period", "set_code")


def _ancestor_paths(organization: Organization) -> list[str]:
    path = organization.path
    return [path[: index + 1] for index, char in enumerate(path) if char == "/"]


def criteria_sets_for_unit(organization: Organization, year: int) -> list[CriteriaSet]:
    """The sets in force for a unit in a year: by subject group, the newest version of the set issued nearest to the
    unit (the commune's own before the province's), among those issued by the unit or above it (one query)."""
    covering = (
        CriteriaSet.objects.filter(issuer__path__in=_ancestor_paths(organization), first_year__lte=year)
        .filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
        .select_related("issuer")
        .order_by("-issuer__depth", "code", "-version")
    )
    chosen: dict[str, CriteriaSet] = {}
    seen_codes = set()
    for criteria_set in covering:
        if criteria_set.code in seen_codes:
            continue  # an older version of a set already met
        seen_codes.add(criteria_set.code)
        chosen.setdefault(criteria_set.subject_group, criteria_set)
    return list(chosen.values())


def members_at_year_end(organization: Organization, year: int) -> list[tuple[int, str, str]]:
    """(id, card number, name) of the members the unit counts for the year (selectors.members_of_year), by name
    (one query)."""
    rows = (
        members_of_year(organization=organization, year=year)
        .values_list("pk", "card_number", "full_name")
        .order_by("name_folded", "card_number")
    )
    return list(rows)


def scoring_subjects(criteria_set: CriteriaSet, organization: Organization, year: int) -> list[tuple[int, str, str]]:
    """Who a set scores in the unit: its members, or the unit and the cells it decides: (id, code, name)."""
    if criteria_set.is_for_members:
        return members_at_year_end(organization, year)
    return [(org.pk, org.code, org.name) for org in [organization, *decided_cells(organization, year)]]


def scoring_sheet(*, criteria_set: CriteriaSet, organization: Organization, year: int, period: str = "") -> bytes:
    """The set's scoring sheet for the unit: one row per subject, a self score and a score column per item (first
    sheet, read back by the item_scores import), the criteria with their maxima on a second sheet."""
    from openpyxl import Workbook

    items = list(
        CriteriaItem.objects.filter(criteria_set=criteria_set)
        .select_related("group")
        .order_by("group__order", "group__code", "order", "code")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Chấm điểm")
    columns = MEMBER_COLUMNS if criteria_set.is_for_members else UNIT_COLUMNS
    titles = [str(title) for title in _fixed_titles(columns)]
    for item in items:
        points = points_text(item.max_points)
        titles += [wide_title("self_score", item.code, points), wide_title("score", item.code, points)]
    sheet.append(titles)
    for _pk, code, name in scoring_subjects(criteria_set, organization, year):
        sheet.append([cell_escape(code), cell_escape(name), year, period, criteria_set.code])
    for column in sheet.iter_cols(min_col=1, max_col=2):
        for cell in column:
            cell.data_type = "s"  # card numbers and codes stay text (leading zeros)
    guide = workbook.create_sheet(_("Tiêu chí"))
    guide.append([_("Mã"), _("Nhóm, tiêu chí"), _("Điểm tối đa"), _("Cách đo, minh chứng")])
    group = None
    for item in items:
        if item.group_id != getattr(group, "pk", None):
            group = item.group
            guide.append([cell_escape(group.code), cell_escape(group.name), float(group.max_points), ""])
        guide.append(
            [cell_escape(item.code), cell_escape(item.name), float(item.max_points), cell_escape(item.measured_by)]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _fixed_titles(columns):
    titles = {column.code: column.title for column in COLUMNS["item_scores"]}
    return [titles[code] for code in columns]


@dataclass
class SetProgress:
    criteria_set: CriteriaSet
    total: int = 0
    scored: int = 0
    missing: list[str] = field(default_factory=list)  # names of the subjects without any score yet

    @property
    def uploaded(self) -> bool:
        return self.scored > 0


def scoring_progress(organization: Organization, year: int, scheme=None) -> list[SetProgress] | None:
    """For a scored year, per set in force: who it scores in the unit and who has no item score yet; None when the
    year is not rated by score. Members are counted once over the members' sets (a member is scored on one)."""
    if not (scheme.is_scored if scheme is not None else scored_scheme(year) is not None):
        return None
    progress = []
    sets = criteria_sets_for_unit(organization, year)
    if not sets:
        return progress
    member_ids_scored = set(
        ItemScore.objects.filter(
            item__criteria_set__subject_group__in=MEMBER_GROUPS,
            member__memberships__organization__path__startswith=organization.path,
            year=year,
            period="",
        ).values_list("member_id", flat=True)
    )
    for criteria_set in sets:
        subjects = scoring_subjects(criteria_set, organization, year)
        if criteria_set.is_for_members:
            scored = member_ids_scored
        else:
            scored = set(
                ItemScore.objects.filter(
                    item__criteria_set=criteria_set,
                    organization__in=[pk for pk, *_rest in subjects],
                    year=year,
                    period="",
                ).values_list("organization_id", flat=True)
            )
        missing = [name for pk, _code, name in subjects if pk not in scored]
        progress.append(
            SetProgress(criteria_set, total=len(subjects), scored=len(subjects) - len(missing), missing=missing)
        )
    return progress

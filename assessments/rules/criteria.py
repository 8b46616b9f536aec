"""Rules of criteria sets and item scores (QĐ 366), written once for the services, the importer and the admin.

Decisions:
- A set is built group by group in the browser, so a group or an item is refused only when it makes a sum too
  large (the groups above the scheme's total, the items above their group's maximum); a set is complete when its
  groups sum to the total and each part of the national frame (FramePart rows) gets its points, within the
  tolerance the rows give. Scores are taken only on a complete set; a whole set in a file must be complete.
- A set is used once an item score of it belongs to a subject whose rating of that year has a level (decided):
  from then on nothing in it changes, by any path; a new version (a copy, version + 1) replaces it.
- A score is between 0 and the item's maximum; a rating's total, when the set has item scores for the subject
  and period, is their sum (rating_items_total_check).
"""

from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from assessments.models import (
    GRASSROOTS_KINDS,
    CriteriaGroup,
    CriteriaItem,
    CriteriaSet,
    FramePart,
    ItemScore,
    Kind,
    MemberAssessment,
    RatingScheme,
    UnitAssessment,
)

# Who may issue a set: a province (or a district, before July 2025), or a commune for its cells.
ISSUER_KINDS = (Kind.PROVINCE, Kind.DISTRICT, *GRASSROOTS_KINDS)


def points_text(value) -> str:
    """Points the Vietnamese way: 12,5 and 30 (no trailing zeros)."""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def scored_scheme(year: int) -> RatingScheme | None:
    """The scheme in force that year, if it rates by score."""
    scheme = RatingScheme.for_year(year)
    return scheme if scheme is not None and scheme.is_scored else None


def criteria_set_check(criteria_set: CriteriaSet) -> None:
    """A set is issued by a province or a commune, from a year rated by score."""
    if criteria_set.issuer_id and criteria_set.issuer.kind not in ISSUER_KINDS:
        raise ValidationError(
            {"issuer": _("Bộ tiêu chí do cấp tỉnh hoặc đảng bộ xã (cho các chi bộ trực thuộc) ban hành.")}
        )
    if criteria_set.first_year and scored_scheme(criteria_set.first_year) is None:
        raise ValidationError(
            {
                "first_year": _(
                    "Năm %(year)s không xếp loại theo điểm: bộ tiêu chí chỉ dùng từ năm áp dụng Quy định 366."
                )
                % {"year": criteria_set.first_year}
            }
        )


def criteria_set_in_use(criteria_set: CriteriaSet) -> bool:
    """Whether an item score of the set belongs to a subject whose rating of that year is decided (has a level)."""
    if criteria_set.pk is None:
        return False
    units = UnitAssessment.objects.filter(
        organization=OuterRef("organization"), year=OuterRef("year"), period=OuterRef("period"), level__isnull=False
    )
    members = MemberAssessment.objects.filter(
        member=OuterRef("member"), year=OuterRef("year"), period=OuterRef("period"), level__isnull=False
    )
    return (
        ItemScore.objects.filter(item__criteria_set=criteria_set).filter(Q(Exists(units)) | Q(Exists(members))).exists()
    )


def criteria_set_lock_message(criteria_set: CriteriaSet) -> str:
    return _(
        "Bộ tiêu chí %(code)s (phiên bản %(version)s) đã dùng cho kết quả xếp loại đã quyết định nên không sửa được: "
        "hãy tạo phiên bản mới."
    ) % {"code": criteria_set.code, "version": criteria_set.version}


def criteria_set_lock_check(criteria_set: CriteriaSet) -> None:
    """Refuse any change to a set used by a decided rating; the message offers a new version."""
    if criteria_set_in_use(criteria_set):
        raise ValidationError(criteria_set_lock_message(criteria_set))


def _total(scheme: RatingScheme) -> Decimal:
    return Decimal(scheme.total_points or 0)


def criteria_group_check(group: CriteriaGroup) -> None:
    """A group's maximum holds its items, and the set's groups stay within the scheme's total."""
    criteria_set = group.criteria_set
    scheme = scored_scheme(criteria_set.first_year)
    others = criteria_set.groups.exclude(pk=group.pk).aggregate(total=Sum("max_points"))["total"] or Decimal(0)
    if scheme is not None and others + group.max_points > _total(scheme):
        raise ValidationError(
            {
                "max_points": _("Các nhóm cộng lại %(sum)s điểm, quá tổng %(total)s điểm của %(scheme)s.")
                % {
                    "sum": points_text(others + group.max_points),
                    "total": points_text(_total(scheme)),
                    "scheme": scheme.name,
                }
            }
        )
    if group.pk is not None:
        items = group.items.aggregate(total=Sum("max_points"))["total"] or Decimal(0)
        if items > group.max_points:
            raise ValidationError(
                {
                    "max_points": _("Các tiêu chí của nhóm đã cộng %(sum)s điểm, hơn %(max)s điểm tối đa.")
                    % {"sum": points_text(items), "max": points_text(group.max_points)}
                }
            )
    if group.part_id is not None and scheme is not None and group.part.scheme_id != scheme.pk:
        raise ValidationError({"part": _("Phần khung này không thuộc quy định áp dụng cho bộ tiêu chí.")})


def criteria_item_check(item: CriteriaItem) -> None:
    """The items of a group sum to at most the group's maximum."""
    group = item.group
    others = group.items.exclude(pk=item.pk).aggregate(total=Sum("max_points"))["total"] or Decimal(0)
    if others + item.max_points > group.max_points:
        raise ValidationError(
            {
                "max_points": _(
                    "Các tiêu chí của nhóm %(group)s cộng lại %(sum)s điểm, quá %(max)s điểm tối đa của nhóm."
                )
                % {
                    "group": group.code,
                    "sum": points_text(others + item.max_points),
                    "max": points_text(group.max_points),
                }
            }
        )


def criteria_totals_errors(
    criteria_set: CriteriaSet, groups: list | None = None, items: list | None = None
) -> list[str]:
    """What keeps a set from being complete (empty when it is): the groups' sum, each frame part, each group's items.
    groups and items may be given unsaved (an import plans them); otherwise they are read."""
    scheme = scored_scheme(criteria_set.first_year)
    if scheme is None:
        return [_("Năm %(year)s không xếp loại theo điểm.") % {"year": criteria_set.first_year}]
    if groups is None:
        groups = list(criteria_set.groups.all())
        items = list(CriteriaItem.objects.filter(criteria_set=criteria_set))
    errors = []
    total = sum((g.max_points for g in groups), Decimal(0))
    if total != _total(scheme):
        errors.append(
            _("Các nhóm tiêu chí cộng lại %(sum)s điểm; phải đúng %(total)s điểm (%(scheme)s).")
            % {"sum": points_text(total), "total": points_text(_total(scheme)), "scheme": scheme.name}
        )
    for part in FramePart.objects.filter(scheme=scheme):
        share = sum((g.max_points for g in groups if g.part_id == part.pk), Decimal(0))
        if abs(share - part.points) > part.tolerance:
            errors.append(
                _("Phần “%(part)s” của khung tiêu chí có %(sum)s điểm; khung quy định %(points)s điểm.")
                % {"part": part.name, "sum": points_text(share), "points": points_text(part.points)}
            )
    for group in groups:
        own = sum(
            (i.max_points for i in items or () if i.group is group or (i.group_id and i.group_id == group.pk)),
            Decimal(0),
        )
        if own > group.max_points:
            errors.append(
                _("Các tiêu chí của nhóm %(group)s cộng lại %(sum)s điểm, quá %(max)s điểm tối đa của nhóm.")
                % {"group": group.code, "sum": points_text(own), "max": points_text(group.max_points)}
            )
    return errors


def item_score_check(score: ItemScore) -> None:
    """Each score is between 0 and the item's maximum; the subject fits the set's group of subjects."""
    item = score.item
    for name in ("self_score", "score"):
        value = getattr(score, name)
        if value is not None and not (0 <= value <= item.max_points):
            raise ValidationError(
                {
                    name: _("Điểm %(value)s của tiêu chí %(item)s phải từ 0 đến %(max)s.")
                    % {"value": points_text(value), "item": item.code, "max": points_text(item.max_points)}
                }
            )
    if item.criteria_set.is_for_members != (score.member_id is not None):
        if item.criteria_set.is_for_members:
            message = _("Bộ tiêu chí %(code)s dành cho đảng viên: ghi số thẻ đảng viên.")
        else:
            message = _("Bộ tiêu chí %(code)s dành cho tổ chức: ghi mã tổ chức.")
        raise ValidationError({"item": message % {"code": item.criteria_set.code}})
    criteria_set = item.criteria_set
    if score.year < criteria_set.first_year or (criteria_set.last_year and score.year > criteria_set.last_year):
        raise ValidationError(
            {
                "year": _("Bộ tiêu chí %(code)s không áp dụng cho năm %(year)s.")
                % {"code": criteria_set.code, "year": score.year}
            }
        )


# Item totals an import has planned but not written yet (a preview, or rows of the same file): (subject field,
# subject id, year, period) -> (self score sum, score sum). Set only inside item_totals_planned().
_PLANNED_TOTALS: ContextVar[dict | None] = ContextVar("planned_item_totals", default=None)


@contextmanager
def item_totals_planned(totals: dict):
    """Within the block the rating rule reads these item totals instead of the stored ones."""
    token = _PLANNED_TOTALS.set(totals)
    try:
        yield
    finally:
        _PLANNED_TOTALS.reset(token)


def item_score_totals(*, subject_field: str, subject_id: int, year: int, period: str) -> tuple | None:
    """The sums of a subject's item scores in a period (self scores, scores), or None when it has none."""
    planned = _PLANNED_TOTALS.get()
    key = (subject_field, subject_id, year, period)
    if planned is not None and key in planned:
        return planned[key]
    found = ItemScore.objects.filter(**{subject_field: subject_id}, year=year, period=period).aggregate(
        count=Count("pk"), self_total=Sum("self_score"), total=Sum("score")
    )
    return (found["self_total"], found["total"]) if found["count"] else None


def item_score_totals_of(*, subject_field: str, keys: set[tuple[int, int, str]]) -> dict:
    """The item-score sums of many subjects' periods ((subject id, year, period) keys) in one grouped query, keyed as
    item_totals_planned wants them: a key without item scores maps to None, so the rule asks nothing more for it (a
    bulk import checks each row's score against these instead of one query per row)."""
    totals: dict = {(subject_field, *key): None for key in keys}
    if not keys:
        return totals
    found = (
        ItemScore.objects.filter(
            **{f"{subject_field}__in": {key[0] for key in keys}}, year__in={key[1] for key in keys}
        )
        .values_list(subject_field, "year", "period")
        .annotate(self_total=Sum("self_score"), total=Sum("score"))
        .order_by()
    )
    for subject_id, year, period, self_total, total in found:
        key = (subject_field, subject_id, year, period)
        if key in totals:
            totals[key] = (self_total, total)
    return totals


def rating_items_total_check(assessment: UnitAssessment | MemberAssessment) -> None:
    """When the subject has item scores for the period, the rating's self score and score are their sums."""
    if scored_scheme(assessment.year) is None:
        return
    if isinstance(assessment, MemberAssessment):
        subject_field, subject_id = "member_id", assessment.member_id
    else:
        subject_field, subject_id = "organization_id", assessment.organization_id
    totals = item_score_totals(
        subject_field=subject_field, subject_id=subject_id, year=assessment.year, period=assessment.period
    )
    if totals is None:
        return
    errors = {}
    for name, total in zip(("self_score", "score"), totals, strict=True):
        value = getattr(assessment, name)
        if total is not None and (value is None or Decimal(value) != Decimal(total)):
            errors[name] = _(
                "Điểm %(value)s khác tổng điểm các tiêu chí (%(total)s): "
                "điểm của bản xếp loại là tổng điểm các tiêu chí."
            ) % {"value": points_text(value) if value is not None else "—", "total": points_text(total)}
    if errors:
        raise ValidationError(errors)

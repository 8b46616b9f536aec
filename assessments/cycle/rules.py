"""The yearly cycle's unit checklist: what a unit has done and still has to do before it may submit. The review-file
checks (assessments.common.uploads), the regulation checks (cycle.regulation) and the cycle pages' reads
(cycle.selectors) are re-exported here for the cycle's callers."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from assessments.common.uploads import (
    DOCX_MAX_ENTRIES,
    DOCX_MAX_UNCOMPRESSED,
    SELF_ASSESSMENT,
    file_sha256,
    review_file_check,
)
from assessments.common.vocabulary import level_label, number_text
from assessments.cycle.regulation import (
    CheckResult,
    cap_applies,
    cell_not_completed_checks,
    committee_weak_units_check,
    decided_cells,
    excellent_cap_checks,
    submission_checks,
    unit_checks,
)
from assessments.cycle.selectors import cycle_units, own_rating, status_counts, unit_levels
from assessments.models import (
    Collective,
    CollectiveRating,
    LeaderRating,
    Organization,
    Period,
    Position,
    Submission,
    UnitAssessment,
)
from assessments.regulation.leaders import LEADERSHIP_RULES
from assessments.regulation.periods import not_rated_reason_labels, rules_in_force
from assessments.selectors import member_records, members_without_record

__all__ = [
    "DOCX_MAX_ENTRIES",
    "DOCX_MAX_UNCOMPRESSED",
    "SELF_ASSESSMENT",
    "CheckResult",
    "ChecklistItem",
    "cap_applies",
    "cell_not_completed_checks",
    "committee_weak_units_check",
    "cycle_units",
    "decided_cells",
    "excellent_cap_checks",
    "file_sha256",
    "member_rating_counts",
    "missing_member_names",
    "own_rating",
    "review_file_check",
    "status_counts",
    "submission_checklist",
    "leadership_checklist_item",
    "submission_checks",
    "unit_checks",
    "unit_levels",
]

# --- the unit's checklist -------------------------------------------------------------------------------------------


@dataclass
class ChecklistItem:
    """One step the unit must complete before it can submit."""

    code: str
    title: str
    done: bool
    detail: str = ""


def member_rating_counts(*, organization: Organization, year: int) -> dict:
    """Members the unit counts for the year, as its results report does: its rating rows by level and the members on
    its rolls on 31 December with no row (selectors.member_records, members_without_record; two queries, a third for
    the reasons' labels when someone is not rated)."""
    missing = members_without_record(organization=organization, year=year).aggregate(n=Count("member", distinct=True))[
        "n"
    ]
    by_level = list(
        member_records(organization=organization, year=year)
        .values("level__code", "level__label_vi", "level__label_en", "level__rank", "not_rated_reason")
        .annotate(n=Count("id"))
        .order_by("level__rank", "not_rated_reason")
    )
    # The reasons' labels carry the period's months: read once, and only when someone is not rated.
    labels = not_rated_reason_labels(year) if any(not row["level__code"] for row in by_level) else {}
    for row in by_level:
        if row["level__code"]:
            row["label"] = level_label(row["level__label_vi"], row["level__label_en"])
        else:
            reason = labels.get(row["not_rated_reason"], "")
            row["label"] = _("Không xếp loại: %(reason)s") % {"reason": reason}
    total = sum(row["n"] for row in by_level) + missing
    return {"total": total, "missing": missing, "by_level": by_level}


def missing_member_names(*, organization: Organization, year: int, limit: int = 5) -> list[str]:
    """A few members of the unit at year end who have no rating row for the year, for the error message."""
    return list(
        members_without_record(organization=organization, year=year)
        .order_by("member__name_folded")
        .values_list("member__full_name", flat=True)
        .distinct()[:limit]
    )


def submission_checklist(
    *,
    submission: Submission,
    members: dict | None = None,
    own: UnitAssessment | None = None,
    cells: list[Organization] | None = None,
) -> list[ChecklistItem]:
    """What the unit has done and still has to do before it may submit (pages pass what they already read)."""
    org, year = submission.organization, submission.cycle.year
    items = []
    latest = submission.documents.order_by("-version").first() if submission.pk else None  # an unsaved draft has none
    items.append(
        ChecklistItem(
            code="document",
            title=_("Tải lên báo cáo kiểm điểm (PDF hoặc DOCX)"),
            done=latest is not None,
            detail=(_("Đã có bản lần %(v)s: %(name)s.") % {"v": latest.version, "name": latest.original_name})
            if latest
            else _("Chưa có báo cáo kiểm điểm."),
        )
    )
    counts = members if members is not None else member_rating_counts(organization=org, year=year)
    if counts["total"] == 0:
        detail = _("Đơn vị không có đảng viên nào vào ngày 31/12/%(year)s.") % {"year": year}
    elif counts["missing"]:
        names = ", ".join(missing_member_names(organization=org, year=year))
        detail = _("Còn %(n)s/%(total)s đảng viên chưa có kết quả xếp loại, ví dụ: %(names)s.") % {
            "n": number_text(counts["missing"]),
            "total": number_text(counts["total"]),
            "names": names,
        }
    else:
        detail = _("Đủ kết quả xếp loại của %(total)s đảng viên.") % {"total": number_text(counts["total"])}
    items.append(
        ChecklistItem(
            code="members",
            title=_("Tải lên kết quả xếp loại đảng viên"),
            done=counts["total"] > 0 and counts["missing"] == 0,
            detail=detail,
        )
    )
    if own is None:
        own = own_rating(org, year)
    items.append(
        ChecklistItem(
            code="self_level",
            title=_("Đề xuất mức xếp loại của đơn vị (tự đánh giá)"),
            done=own is not None and own.self_level_id is not None,
            detail=(_("Đã đề xuất: %(level)s.") % {"level": own.self_level.label})
            if own and own.self_level_id
            else _("Chưa đề xuất mức xếp loại."),
        )
    )
    if cells is None:
        cells = decided_cells(org, year)
    if cells:
        decided = (
            UnitAssessment.objects.yearly()
            .filter(organization__in=cells, year=year)
            .filter(Q(level__isnull=False) | ~Q(not_rated_reason=""))
        )
        n = decided.count()
        items.append(
            ChecklistItem(
                code="cells",
                title=_("Quyết định xếp loại các chi bộ trực thuộc"),
                done=n == len(cells),
                detail=_("Đã quyết định %(n)s/%(total)s chi bộ.") % {"n": n, "total": len(cells)},
            )
        )
    leadership = leadership_checklist_item(organization=org, year=year)
    if leadership is not None:
        items.append(leadership)
    return items


def leadership_checklist_item(*, organization: Organization, year: int) -> ChecklistItem | None:
    """Issue 16: in a year whose guidance rates leadership collectives and leaders, a unit with collectives proposes
    the self level of each collective and of each leader holding a post in them. One query when the unit has no
    collective that year (the common case); three otherwise. None when the item does not apply."""
    collectives = Collective.objects.during(year).filter(organization=organization)
    yearly_self = {"year": year, "period": Period.YEAR, "self_level__isnull": False}
    counts = collectives.aggregate(
        total=Count("id"),
        missing=Count("id", filter=~Exists(CollectiveRating.objects.filter(collective=OuterRef("pk"), **yearly_self))),
    )
    if not counts["total"] or not set(LEADERSHIP_RULES) & set(rules_in_force(year)):
        return None
    posts = Position.objects.held_during(year).filter(collective__in=collectives)
    leaders = posts.values("member_id", "collective_id").distinct().count()
    leaders_missing = (
        posts.exclude(
            Exists(
                LeaderRating.objects.filter(
                    member=OuterRef("member_id"), collective=OuterRef("collective_id"), **yearly_self
                )
            )
        )
        .values("member_id", "collective_id")
        .distinct()
        .count()
    )
    return ChecklistItem(
        code="leadership",
        title=_("Tự đánh giá của tập thể, cá nhân lãnh đạo, quản lý"),
        done=counts["missing"] == 0 and leaders_missing == 0,
        detail=_(
            "Đã tự đánh giá %(collectives)s/%(collectives_total)s tập thể và %(leaders)s/%(leaders_total)s cá nhân."
        )
        % {
            "collectives": number_text(counts["total"] - counts["missing"]),
            "collectives_total": number_text(counts["total"]),
            "leaders": number_text(leaders - leaders_missing),
            "leaders_total": number_text(leaders),
        },
    )

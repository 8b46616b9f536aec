"""Regulation checks of a unit's submission, driven by the facts stored on the scheme and level rows: the cap on
members at the top level, and the weak-unit shares of committees and cells (Hướng dẫn 27)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments.common.vocabulary import MEMBER, UNIT, Level, level_label, levels_of, percent_text
from assessments.common.vocabulary import Share as _Share
from assessments.models import Kind, MemberAssessment, Organization, RatingLevel, RatingScheme, UnitAssessment


@dataclass
class CheckResult:
    """One regulation check on one unit: whether it passed, and the numbers behind it for display."""

    code: str
    title: str
    organization: Organization
    passed: bool
    message: str
    numbers: dict = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return not self.passed


def _percent(part: int, whole: int) -> str:
    return percent_text(_Share(part, whole))


def _words(labels: Iterable[str]) -> str:
    """Level names inside a sentence: "hoàn thành tốt nhiệm vụ" (the labels are written capitalized)."""
    return ", ".join(label[:1].lower() + label[1:] for label in sorted(labels))


def _labels(levels: list[Level]) -> str:
    return _words(level.label for level in levels)


def _names(levels: list[Level]) -> str:
    """Level names as a level is named on its own: "Yếu kém"."""
    return ", ".join(level.label for level in levels)


def cap_applies(scheme: RatingScheme | None, year: int) -> bool:
    """Whether the scheme's cap on members at the top level binds in this year."""
    return scheme is not None and scheme.cap_applies(year)


def _above_lowest(level: RatingLevel | None) -> bool:
    """A level other than the lowest of its scheme (None: no level chosen yet, nothing to refuse)."""
    return level is not None and not level.is_lowest


def excellent_cap_checks(
    *, organizations: Iterable[Organization], year: int, scheme: RatingScheme | None
) -> dict[int, CheckResult]:
    """Members at the top level within each grassroots organization must not exceed the scheme's share (20%) of
    those at the level below it ("good")."""
    organizations = list(organizations)
    if not organizations or not cap_applies(scheme, year):
        return {}
    cap = scheme.cap_percent
    condition = Q()
    for org in organizations:
        condition |= Q(organization__path__startswith=org.path)
    # The levels come with the counts (their flags and names), so that the check costs one query like the cap
    # check by level codes did; the scheme's levels are read only when no member is at one of them.
    rows = (
        MemberAssessment.objects.filter(condition, year=year, level__scheme=scheme, level__subject=MEMBER)
        .filter(Q(level__is_top=True) | Q(level__is_good_or_better=True))
        .values_list("organization__path", "level__is_top", "level__code", "level__label_vi", "level__label_en")
        .annotate(n=Count("id"))
    )
    counts: dict[int, dict[str, int]] = {org.pk: {"top": 0, "base": 0} for org in organizations}
    names: dict[str, dict[str, str]] = {"top": {}, "base": {}}
    # Longest path first, so a cell is counted in its nearest grassroots organization.
    by_path = sorted(organizations, key=lambda org: -len(org.path))
    for path, is_top, code, label_vi, label_en, n in rows:
        group = "top" if is_top else "base"
        names[group][code] = level_label(label_vi, label_en)
        owner = next((org for org in by_path if path.startswith(org.path)), None)
        if owner is not None:
            counts[owner.pk][group] += n
    if not (names["top"] and names["base"]):
        levels = levels_of(scheme)
        names = {
            "top": {lv.code: lv.label for lv in levels.top(MEMBER)},
            "base": {lv.code: lv.label for lv in levels.cap_base(MEMBER)},
        }
    top_words, base_words = _words(names["top"].values()), _words(names["base"].values())
    results = {}
    for org in organizations:
        excellent, good = counts[org.pk]["top"], counts[org.pk]["base"]
        numbers = {
            "excellent": excellent,
            "good": good,
            "allowed": good * cap // 100,
            "percent": _percent(excellent, good),
        }
        words = {**numbers, "cap": cap, "top": top_words, "base": base_words}
        passed = excellent * 100 <= good * cap
        if passed:
            message = _(
                "%(excellent)s đảng viên %(top)s, %(good)s %(base)s: tối đa được %(allowed)s (%(cap)s%% của số "
                "%(base)s)."
            )
        else:
            message = _(
                "%(excellent)s đảng viên %(top)s = %(percent)s của %(good)s %(base)s, vượt mức tối đa %(cap)s%% "
                "(tối đa %(allowed)s)."
            )
        results[org.pk] = CheckResult(
            code="excellent_cap",
            title=_("Số %(top)s không quá %(cap)s%% số %(base)s") % words,
            organization=org,
            passed=passed,
            message=message % words,
            numbers=numbers,
        )
    return results


def committee_weak_units_check(
    *, organization: Organization, year: int, scheme: RatingScheme | None, level: RatingLevel | None
) -> CheckResult | None:
    """A grassroots committee with more than 1/N of its units at the lowest level can only be rated at the lowest
    level (Hướng dẫn 27: N = 3), for schemes that state the rule."""
    if scheme is None or scheme.weak_committee_share is None or organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return None
    share = scheme.weak_committee_share
    levels = levels_of(scheme)
    lowest = [lv.pk for lv in levels.lowest(UNIT)]
    totals = (
        Organization.objects.filter(parent=organization)
        .for_year(year)
        .aggregate(
            total=Count("id", distinct=True),
            weak=Count("assessments", filter=Q(assessments__year=year, assessments__level_id__in=lowest)),
        )
    )
    total, weak = totals["total"], totals["weak"]
    over = weak * share > total
    passed = not (over and _above_lowest(level))
    numbers = {"weak": weak, "total": total, "percent": _percent(weak, total)}
    words = {"share": share, "weak_words": _labels(levels.lowest(UNIT)), "lowest": _names(levels.lowest(UNIT))}
    if not over:
        message = _("%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), không quá 1/%(share)s.")
    elif passed:
        message = _(
            "%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), quá 1/%(share)s: "
            "chỉ được xếp %(lowest)s."
        )
    else:
        numbers["level"] = level.label
        message = _(
            "%(weak)s/%(total)s đơn vị trực thuộc %(weak_words)s (%(percent)s), quá 1/%(share)s: "
            "không được xếp “%(level)s”, chỉ được xếp %(lowest)s."
        )
    return CheckResult(
        code="committee_weak_units",
        title=_("Đảng bộ có quá 1/%(share)s đơn vị trực thuộc %(weak_words)s") % words,
        organization=organization,
        passed=passed,
        message=message % {**numbers, **words},
        numbers=numbers,
    )


def cell_not_completed_checks(
    *, cells: Iterable[Organization], year: int, scheme: RatingScheme | None, levels: dict[int, RatingLevel | None]
) -> list[CheckResult]:
    """A cell with more than 1/N of its members at the lowest level can only be rated at the lowest level
    (Hướng dẫn 27: N = 2), for schemes that state the rule (one query)."""
    cells = list(cells)
    if scheme is None or scheme.weak_cell_share is None or not cells:
        return []
    share = scheme.weak_cell_share
    vocabulary = levels_of(scheme)
    lowest = [lv.pk for lv in vocabulary.lowest(MEMBER)]
    rows = (
        MemberAssessment.objects.filter(year=year, organization__in=cells)
        .values("organization_id")
        .annotate(total=Count("id"), bad=Count("id", filter=Q(level_id__in=lowest)))
    )
    counts = {row["organization_id"]: (row["bad"], row["total"]) for row in rows}
    words = {"share": scheme.weak_cell_share, "bad_words": _labels(vocabulary.lowest(MEMBER)),
             "lowest": _names(vocabulary.lowest(UNIT))}  # fmt: skip
    results = []
    for cell in cells:
        bad, total = counts.get(cell.pk, (0, 0))
        level = levels.get(cell.pk)
        over = bad * share > total
        passed = not (over and _above_lowest(level))
        numbers = {"cell": cell.name, "bad": bad, "total": total, "percent": _percent(bad, total)}
        if not over:
            message = _("%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), không quá 1/%(share)s.")
        elif passed:
            message = _(
                "%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), quá 1/%(share)s: "
                "chi bộ chỉ được xếp %(lowest)s."
            )
        else:
            numbers["level"] = level.label
            message = _(
                "%(cell)s: %(bad)s/%(total)s đảng viên %(bad_words)s (%(percent)s), quá 1/%(share)s: "
                "không được xếp “%(level)s”, chỉ được xếp %(lowest)s."
            )
        results.append(
            CheckResult(
                code="cell_not_completed",
                title=_("Chi bộ có quá 1/%(share)s đảng viên %(bad_words)s") % words,
                organization=cell,
                passed=passed,
                message=message % {**numbers, **words},
                numbers=numbers,
            )
        )
    return results


def decided_cells(organization: Organization, year: int) -> list[Organization]:
    """The cells a grassroots committee rates itself, as they stood at the end of the year."""
    if organization.kind != Kind.GRASSROOTS_COMMITTEE:
        return []
    return list(
        Organization.objects.subtree(organization)
        .for_year(year)
        .filter(kind__in=[Kind.CELL, Kind.SUBCOMMITTEE])
        .order_by("name_folded")
    )


def submission_checks(*, submission, level: RatingLevel | None) -> list[CheckResult]:
    """Every regulation check of a unit's submission, judged against the level about to be recorded."""
    org, year, scheme = submission.organization, submission.cycle.year, submission.cycle.scheme
    results = list(excellent_cap_checks(organizations=[org], year=year, scheme=scheme).values())
    committee = committee_weak_units_check(organization=org, year=year, scheme=scheme, level=level)
    if committee is not None:
        results.append(committee)
    if scheme is not None and scheme.weak_cell_share is not None:
        if org.kind == Kind.GRASSROOTS_CELL:
            results += cell_not_completed_checks(cells=[org], year=year, scheme=scheme, levels={org.pk: level})
        else:
            cells = [cell for cell in decided_cells(org, year) if cell.kind == Kind.CELL]
            rated = {
                row.organization_id: row.level
                for row in UnitAssessment.objects.filter(organization__in=cells, year=year).select_related("level")
            }
            results += cell_not_completed_checks(cells=cells, year=year, scheme=scheme, levels=rated)
    return results

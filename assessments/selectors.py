"""Reads shared by views, the API, exports and commands; scope is decided in assessments.permissions."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments.common.vocabulary import Level, Levels, level_rows, percent
from assessments.models import Notice, Organization, RatingLevel, RatingScheme
from assessments.permissions import organizations_visible_to


def scheme_for_year(year: int) -> RatingScheme | None:
    """The rating scheme in force for a year, looked up from the data."""
    return RatingScheme.for_year(year)


def levels_for(*, year: int, subject: str) -> QuerySet[RatingLevel]:
    """The levels of the year's scheme for units or members, best first (the vocabulary's level rows)."""
    return level_rows(scheme_for_year(year), subject)


def member_records(*, organization: Organization, year: int):
    """The year's rating rows of members recorded in the organization's subtree (where each rating was given)."""
    from assessments.models import MemberAssessment

    return MemberAssessment.objects.yearly().filter(year=year, organization__path__startswith=organization.path)


def members_without_record(*, organization: Organization, year: int):
    """The memberships in the subtree on 31 December whose member has no rating row that year ("no result yet")."""
    from django.db.models import Exists, OuterRef

    from assessments.models import MemberAssessment, Membership, year_end

    rated = MemberAssessment.objects.yearly().filter(year=year, member_id=OuterRef("member_id"))
    return Membership.objects.within(organization).on(year_end(year)).filter(~Exists(rated))


def members_of_year(*, organization: Organization, year: int):
    """The members a unit counts for a year, as its results report does: those rated in its subtree that year and
    those on its rolls on 31 December with no rating row (member_records, members_without_record)."""
    from django.db.models import Exists, OuterRef

    from assessments.models import Member

    member = OuterRef("pk")
    return Member.objects.filter(
        Exists(member_records(organization=organization, year=year).filter(member_id=member))
        | Exists(members_without_record(organization=organization, year=year).filter(member_id=member))
    )


def members_search(*, user, query: str = ""):
    """Members of the cells in scope, matching a folded name or a card number."""
    from django.db.models import Q

    from assessments.common.text import fold
    from assessments.models import Member

    members = Member.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization")
    if query:
        members = members.filter(Q(name_folded__contains=fold(query)) | Q(card_number=query.strip()))
    return members.order_by("name_folded", "card_number")


def _summary_dict(*, organization, year: int, row) -> dict:
    from django.utils import timezone

    # A quarter's summary says which quarter it is (issue 15); the year's keeps exactly the keys it always had.
    period = {"period": row.period} if row.period else {}
    return {
        "organization": organization.code,
        "name": organization.name,
        "year": year,
        **period,
        "scheme": row.scheme_code,
        "units": {
            "total": row.units_total,
            "rated": row.units_rated,
            "not_rated": row.units_total - row.units_rated,
            "by_level": dict(row.unit_levels),
            "exemplary": row.units_exemplary,
        },
        "members": {
            "total": row.members_total,
            "rated": row.members_rated,
            "not_rated": row.members_total - row.members_rated,
            "by_level": dict(row.member_levels),
            "good_or_better": row.members_good_or_better,
            # Issue 17: of `not_rated`, those not assessed (exempt, suspended) and those not yet rated; and the
            # members on the rolls on 31 December with no rating row, on top of `total`.
            "not_assessed": row.members_not_assessed,
            "not_yet_rated": row.members_not_yet_rated,
            "no_result": row.members_no_result,
        },
        # Issue 16: the leadership collectives of the subtree (unit levels) and their leaders (member levels).
        "collectives": {
            "total": row.collectives_total,
            "rated": row.collectives_rated,
            "not_rated": row.collectives_total - row.collectives_rated,
            "by_level": dict(row.collective_levels),
        },
        "leaders": {
            "total": row.leaders_total,
            "rated": row.leaders_rated,
            "not_rated": row.leaders_total - row.leaders_rated,
            "by_level": dict(row.leader_levels),
        },
        "computed_at": timezone.localtime(row.computed_at).isoformat(timespec="seconds") if row.computed_at else None,
        "stale": row.stale,
    } | summary_scores(row)


def summary_scores(row) -> dict:
    """Issue 15: `scores` only for a scored scheme (its stored count is NULL otherwise), so other years' JSON keeps
    exactly the keys it had."""
    from assessments.common.vocabulary import score_summary

    if row.units_scored is None and row.members_scored is None:
        return {}
    return {
        "scores": {
            subject: score_summary(
                getattr(row, f"{subject}_scored") or 0,
                getattr(row, f"{subject}_score_sum"),
                getattr(row, f"{subject}_score_min"),
                getattr(row, f"{subject}_score_max"),
            )
            for subject in ("units", "members")
        }
    }


def summary_read(*, organization: Organization, year: int, period: str = "") -> dict | None:
    """The stored counts of an organization for a year, or a quarter of it (`period` Q1–Q4), as the API's JSON (one
    query); None if no scheme.

    An organization that does not exist on 31 December of the year has nothing to count in it: fresh zeros, whatever
    a stored row says and whether or not a worker has run (a row may have been created and bumped by a write that
    named it, and reads must not depend on it ever being recomputed)."""
    from assessments.common.vocabulary import levels_of
    from assessments.models import Subject, Summary

    absent = not organization.exists_in(year)
    row = Summary.objects.filter(organization=organization, year=year, period=period).order_by("pk").first()  # no join
    if row is None or absent:
        # Not computed yet (a new organization or year): zeros, and stale until the worker has run.
        scheme = scheme_for_year(year)
        if scheme is None:
            return None
        levels = levels_of(scheme)
        computed_at = row.computed_at if row is not None else None
        row = Summary(
            organization=organization,
            year=year,
            period=period,
            scheme_code=scheme.code,
            computed_at=computed_at,
            unit_levels=[[code, 0] for code in levels.codes(Subject.UNIT)],
            member_levels=[[code, 0] for code in levels.codes(Subject.MEMBER)],
            collective_levels=[[code, 0] for code in levels.codes(Subject.UNIT)],
            leader_levels=[[code, 0] for code in levels.codes(Subject.MEMBER)],
            units_scored=0 if scheme.is_scored else None,
            members_scored=0 if scheme.is_scored else None,
        )
        if absent:
            row.computed_version = row.version
    return _summary_dict(organization=organization, year=year, row=row)


def summaries_read(*, organizations, year: int, period: str = "") -> dict[str, dict]:
    """Stored summaries of several organizations for a year (or a quarter), keyed by code, in one query (missing ones
    left out)."""
    from assessments.models import Summary

    rows = Summary.objects.filter(organization__in=organizations, year=year, period=period).select_related(
        "organization"
    )
    return {row.organization.code: _summary_dict(organization=row.organization, year=year, row=row) for row in rows}


def notices_of(user) -> QuerySet[Notice]:
    """The user's own notices, newest first."""
    return Notice.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def notices_unread_count(user) -> int:
    """How many of the user's notices are not read yet: one query, none for a visitor not logged in."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


@dataclass(frozen=True)
class BandCount:
    level: Level
    band: str
    count: int


# How long counted bands are kept: their key changes with every change below the organization, so this only bounds
# what an idle organization keeps in the cache.
SCORE_BANDS_TIMEOUT = 24 * 3600


def score_bands(*, organization: Organization, year: int, period: str = "", scheme=None) -> dict | None:
    """For a scored year (or one of its quarters): how many rated units directly under the organization, and rated
    members of its subtree, have a score in each level's band (vocabulary.band_bounds), best first; None for a year
    without scores. Two aggregate queries whatever the number of rows (and one for the scheme unless given), kept in
    the cache under the organization's summary version, which every change below it bumps: a province's bands read
    ~90,000 ratings (52 ms of its dashboard), read again by every officer until one of them changes."""
    from django.core.cache import cache

    from assessments.common.vocabulary import band_text, levels_of
    from assessments.models import Subject, Summary

    scheme = scheme if scheme is not None else scheme_for_year(year)
    if scheme is None or not scheme.is_scored:
        return None
    levels = levels_of(scheme)
    marker = (
        Summary.objects.filter(organization=organization, year=year, period=period).values_list("pk", "version").first()
    )
    key = f"score_bands:{scheme.pk}:{marker[0]}:{marker[1]}" if marker else None
    counts = cache.get(key) if key else None
    if counts is None:
        counts = _score_band_counts(organization=organization, year=year, period=period, levels=levels)
        if key:
            cache.set(key, counts, SCORE_BANDS_TIMEOUT)
    by_unit, by_member = (
        [BandCount(lv, band_text(levels.of(subject), lv), n) for lv, n in zip(levels.of(subject), found, strict=True)]
        for subject, found in ((Subject.UNIT, counts[0]), (Subject.MEMBER, counts[1]))
    )
    # One table row per level: the unit and member scales of a scored scheme have the same levels (QĐ 366).
    return {"units": by_unit, "members": by_member, "rows": list(zip(by_unit, by_member, strict=False))}


def _score_band_counts(*, organization: Organization, year: int, period: str, levels: Levels) -> tuple[list, list]:
    """The band counts of the units directly under the organization and of its subtree's members, best first."""
    from django.db.models import Count, Q

    from assessments.common.vocabulary import band_bounds
    from assessments.models import MemberAssessment, Subject, UnitAssessment

    def counted(rows, subject: str) -> list[int]:
        of_subject = levels.of(subject)
        filters = {}
        for i, level in enumerate(of_subject):
            low, high = band_bounds(of_subject, level)
            band = Q(score__gte=low) if low is not None else Q()
            band &= Q(score__lt=high) if high is not None else Q()
            filters[f"b{i}"] = Count("pk", filter=band)
        found = rows.filter(level__isnull=False, score__isnull=False).aggregate(**filters)
        return [found[f"b{i}"] for i in range(len(of_subject))]

    units = UnitAssessment.objects.for_year(year, period).filter(
        organization__in=Organization.objects.for_year(year).filter(parent=organization)
    )
    members = MemberAssessment.objects.for_year(year, period).filter(organization__path__startswith=organization.path)
    return counted(units, Subject.UNIT), counted(members, Subject.MEMBER)


@dataclass
class LeadershipRow:
    """Issue 16: one line of the table of leadership collectives or leaders by level, from a summary's JSON."""

    label: str
    total: int
    rated: int
    not_rated: int
    # (level, count, percent of the rated) best first, every level of the scheme.
    cells: list[tuple[Level, int, float | None]]

    @property
    def level_labels(self) -> tuple[str, ...]:
        """The heading of the row's levels: collectives take the unit scale, leaders the member scale, which name
        their levels differently in some schemes (HD 27's "trong sạch, vững mạnh" against "hoàn thành xuất sắc")."""
        return tuple(str(lv.label) for lv, _count, _share in self.cells)


def leadership_table(*, summary: dict | None, levels: Levels) -> list[LeadershipRow]:
    """The collectives and the leaders of a summary (selectors.summary_read) by level: no query; [] when it has none."""
    if summary is None or not (summary["collectives"]["total"] or summary["leaders"]["total"]):
        return []  # a year or an organization without collectives shows no table
    rows = []
    for key, label, of_subject in (
        ("collectives", _("Tập thể lãnh đạo, quản lý"), levels.units),
        ("leaders", _("Cá nhân lãnh đạo, quản lý"), levels.members),
    ):
        block = summary[key]
        by_level = block["by_level"]
        rows.append(
            LeadershipRow(
                label=label,
                total=block["total"],
                rated=block["rated"],
                not_rated=block["not_rated"],
                cells=[
                    (lv, by_level.get(lv.code, 0), percent(by_level.get(lv.code, 0), block["rated"]))
                    for lv in of_subject
                ],
            )
        )
    return rows

"""Rows of the criteria and item_scores exports, in the import format (the newest version of each set)."""

from collections.abc import Iterator

from django.db.models import Max, Q, QuerySet

from assessments.models import CriteriaItem, CriteriaSet, ItemScore, Organization


def _latest_sets(scope: QuerySet[Organization], year: int | None) -> QuerySet[CriteriaSet]:
    sets = CriteriaSet.objects.filter(issuer__in=scope)
    if year:
        sets = sets.filter(first_year__lte=year).filter(Q(last_year__isnull=True) | Q(last_year__gte=year))
    newest = CriteriaSet.objects.values("code").annotate(top=Max("version"))
    pairs = Q(pk__in=[])
    for row in newest.filter(code__in=sets.values("code")):
        pairs |= Q(code=row["code"], version=row["top"])
    return sets.filter(pairs)


def criteria_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    """One row per item of the newest version of each set issued in the scope (covering the year, if given)."""
    items = (
        CriteriaItem.objects.filter(criteria_set__in=_latest_sets(scope, year))
        .select_related("criteria_set__issuer", "group__part")
        .order_by("criteria_set__code", "group__order", "group__code", "order", "code")
    )
    for item in items.iterator(chunk_size=2000):
        criteria_set, group = item.criteria_set, item.group
        yield [
            criteria_set.code,
            criteria_set.issuer.code,
            criteria_set.subject_group,
            criteria_set.first_year,
            group.code,
            group.name,
            group.max_points,
            item.code,
            item.name,
            item.max_points,
            criteria_set.name,
            criteria_set.last_year,
            group.part.code if group.part_id else "",
            item.description,
            item.measured_by,
        ]


def item_score_rows(scope: QuerySet[Organization], year: int | None) -> Iterator[list]:
    """One row per item score of a member or an organization in the scope (of the year, if given)."""
    scores = ItemScore.objects.filter(Q(member__organization__in=scope) | Q(organization__in=scope))
    if year:
        scores = scores.filter(year=year)
    scores = scores.select_related("member", "organization", "item__criteria_set").order_by(
        "year", "period", "organization__code", "member__card_number", "item__criteria_set__code", "item__code"
    )
    for score in scores.iterator(chunk_size=2000):
        yield [
            score.member.card_number if score.member_id else "",
            score.organization.code if score.organization_id else "",
            score.year,
            score.period,
            score.item.criteria_set.code,
            score.item.code,
            score.self_score,
            score.score,
            score.member.full_name if score.member_id else "",
        ]

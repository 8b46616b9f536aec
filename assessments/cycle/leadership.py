"""The leadership part of a unit's yearly file (issue 16): the unit's collectives that year and the leaders holding a
post in them, each with its rating of the year or of a quarter. The secretary records the self-assessments while the
file is editable; officers record the appraisal and the decision. Every row goes through the leadership services
(their actor checks, rules and the period's rules with their override), all the rows of a table or none."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.common.text import sort_key
from assessments.common.vocabulary import level_rows
from assessments.cycle.services import secretary_require, submission_lock
from assessments.leadership import services as leadership_services
from assessments.models import (
    Collective,
    CollectiveKind,
    CollectiveRating,
    LeaderRating,
    Position,
    RatingLevel,
    SelfAssessmentDocument,
    Subject,
    Submission,
    SubmissionStatus,
    Title,
    User,
)

LEVELS = ("self_level", "appraisal_level", "level")


@dataclass
class Row:
    """One line of a leadership table: its key in the form, its rating (as stored, or a new one), what it shows."""

    key: str
    rating: CollectiveRating | LeaderRating
    name: str
    detail: str = ""
    stored: bool = False
    self_assessed: bool | None = None  # a leader's self-assessment is in the unit's file (None: the file has none yet)


@dataclass
class Leadership:
    """The two tables of a unit's file for a period, and the year's levels for collectives and for leaders."""

    collectives: list[Row] = field(default_factory=list)
    leaders: list[Row] = field(default_factory=list)
    unit_levels: list[RatingLevel] = field(default_factory=list)
    member_levels: list[RatingLevel] = field(default_factory=list)


def leadership_of(*, submission: Submission, period: str) -> Leadership:
    """The unit's collectives of the year with their ratings of the period, and the leaders (members holding a post in
    them that year) with theirs and whether their self-assessment is in the file: five queries whatever the number of
    rows, one when the unit has no collective."""
    organization, year = submission.organization, submission.cycle.year
    kinds = list(CollectiveKind.values)
    collectives = sorted(
        Collective.objects.during(year).filter(organization=organization),
        key=lambda c: (kinds.index(c.kind) if c.kind in kinds else len(kinds), c.code),
    )
    if not collectives:
        return Leadership()
    found = Leadership()
    for level in level_rows(submission.cycle.scheme):
        (found.unit_levels if level.subject == Subject.UNIT else found.member_levels).append(level)
    order = {c.pk: index for index, c in enumerate(collectives)}
    ratings = {
        r.collective_id: r
        for r in CollectiveRating.objects.filter(collective__in=collectives, year=year, period=period).select_related(
            *LEVELS
        )
    }
    for collective in collectives:
        rating = ratings.get(collective.pk)
        found.collectives.append(
            Row(
                key=f"c{collective.pk}",
                rating=rating or CollectiveRating(collective=collective, year=year, period=period),
                name=collective.name,
                detail=collective.get_kind_display(),
                stored=rating is not None,
            )
        )
    posts = Position.objects.held_during(year).filter(collective__in=collectives).select_related("member")
    if submission.pk:
        documents = SelfAssessmentDocument.objects.filter(submission_id=submission.pk, member_id=OuterRef("member_id"))
        posts = posts.annotate(self_assessed=Exists(documents))
    latest: dict[tuple[int, int], Position] = {}
    for post in posts.order_by("start"):
        latest[(post.member_id, post.collective_id)] = post  # a member rated once per collective, by the latest post
    if not latest:
        return found
    stored = {
        (r.member_id, r.collective_id): r
        for r in LeaderRating.objects.filter(
            collective__in=collectives, member_id__in={m for m, _c in latest}, year=year, period=period
        ).select_related(*LEVELS)
    }
    titles = list(Title.values)
    by_pk = {c.pk: c for c in collectives}
    for (member_id, collective_id), post in sorted(
        latest.items(),
        key=lambda item: (
            order[item[0][1]],
            not item[1].heads,
            titles.index(item[1].title) if item[1].title in titles else len(titles),
            sort_key(item[1].member.full_name),
        ),
    ):
        collective, rating = by_pk[collective_id], stored.get((member_id, collective_id))
        found.leaders.append(
            Row(
                key=f"l{member_id}-{collective_id}",
                rating=rating or LeaderRating(member=post.member, collective=collective, year=year, period=period),
                name=post.member.full_name,
                detail=f"{post.get_title_display()}, {collective.name}",
                stored=rating is not None,
                self_assessed=getattr(post, "self_assessed", None) if submission.pk else None,
            )
        )
    return found


class RowsRefused(Exception):
    """Rows of a table the services refused, by row key: nothing of the table was saved."""

    def __init__(self, errors: dict[str, ValidationError]):
        super().__init__(errors)
        self.errors = errors


def _save(rating, *, actor: User, override_reason: str = ""):
    save = (
        leadership_services.collective_rating_save
        if isinstance(rating, CollectiveRating)
        else leadership_services.leader_rating_save
    )
    return save(rating=rating, actor=actor, override_reason=override_reason)


def _all_or_none(changes: list[tuple[str, object, str]], *, actor: User) -> int:
    """Save every changed row; a row refused by its rules is kept with its errors and, at the end, nothing is saved.
    Each service runs in its own savepoint, so the rows after a refused one are still checked (and the rows of a
    table are checked against those saved before them, a leader against his collective decided in the same table)."""
    refused: dict[str, ValidationError] = {}
    with transaction.atomic():
        for key, rating, reason in changes:
            try:
                _save(rating, actor=actor, override_reason=reason)
            except ValidationError as error:
                refused[key] = error
        if refused:
            raise RowsRefused(refused)
    return len(changes)


def leadership_self_record(*, submission: Submission, changes: list[tuple[str, object, str]], actor: User) -> int:
    """The secretary's self-assessment of the unit's collectives or leaders, while the file is editable: every
    changed row (key, rating, unused reason) through the leadership services, all or none; how many were saved."""
    with transaction.atomic():
        submission = submission_lock(submission)
        secretary_require(actor=actor, submission=submission)
        return _all_or_none(changes, actor=actor)


def decisions_open(submission: Submission) -> bool:
    """Whether officers may still appraise and decide the file's collectives and leaders: until its result is
    finalized (a correction after that reopens the file first, as for the unit's own level)."""
    return submission.status != SubmissionStatus.FINALIZED


def leadership_decide_record(*, submission: Submission, changes: list[tuple[str, object, str]], actor: User) -> int:
    """The officers' appraisal and decision on the unit's collectives or leaders, until the file is finalized:
    every changed row (key, rating, the reason for keeping a level the period's rules refuse) through the leadership
    services, all or none."""
    permissions.scope_require(actor, submission.organization)
    permissions.role_require(
        permissions.may_decide_leadership(actor, submission.organization),
        _("Chỉ cán bộ Ban Tổ chức được ghi thẩm định và quyết định xếp loại tập thể, cá nhân lãnh đạo, quản lý."),
    )
    with transaction.atomic():
        submission = submission_lock(submission)
        if not decisions_open(submission):
            raise ValidationError(
                _(
                    "Hồ sơ đã chốt kết quả: mở lại hồ sơ trước khi sửa thẩm định, quyết định xếp loại tập thể, "
                    "cá nhân lãnh đạo, quản lý."
                )
            )
        return _all_or_none(changes, actor=actor)

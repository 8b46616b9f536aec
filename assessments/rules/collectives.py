"""Rules of leadership collectives, positions and the ratings of collectives and leaders (issue 16): dates, levels of
the year's scheme, a leader holding a post in the collective that year, and who writes which part of a rating.

A collective is rated on the unit scale and a leader on the member scale (the same four levels since 2018); the
secretary writes the self-assessment part, officers the appraisal and the decision
(permissions.leadership_decide_allowed).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.common.vocabulary import year_end
from assessments.models import Collective, CollectiveRating, LeaderRating, Position, Subject
from assessments.permissions import leadership_decide_allowed
from assessments.rules.ratings import level_check
from assessments.rules.scores import score_check

# The self-assessment part of a rating (the secretary writes it); every other field is the appraisal or decision.
SELF_FIELDS = ("self_level_id", "self_score", "tasks_assigned", "tasks_on_time", "tasks_exceeded", "tasks_late")
DECIDED_FIELDS = (
    "appraisal_level_id",
    "level_id",
    "score",
    "below_score_reason",
    "decision_ref",
    "decided_on",
    "note",
)
RATING_FIELDS = SELF_FIELDS + DECIDED_FIELDS


def dates_check(start: datetime.date | None, end: datetime.date | None, *, field: str) -> None:
    """An end is not before its start (the constraint's message, keyed by the end's field)."""
    if start and end and end < start:
        raise ValidationError({field: _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})


def collective_check(collective: Collective) -> None:
    """A collective's own rules: its dates."""
    dates_check(collective.valid_from, collective.valid_to, field="valid_to")


def position_check(position: Position) -> None:
    """A post's dates lie in order and within the collective's life."""
    dates_check(position.start, position.end, field="end")
    collective = position.collective
    if collective.valid_to and position.start and position.start > collective.valid_to:
        raise ValidationError(
            {
                "start": _("Tập thể %(code)s đã kết thúc ngày %(day)s.")
                % {"code": collective.code, "day": _day(collective.valid_to)}
            }
        )


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def collective_active_check(*, collective: Collective, year: int, field: str = "collective") -> None:
    """A collective is rated for a year it existed in, at least one day of it (a quarter of a merged commune too)."""
    first, last = datetime.date(year, 1, 1), year_end(year)
    if (collective.valid_from and collective.valid_from > last) or (
        collective.valid_to and collective.valid_to < first
    ):
        raise ValidationError(
            {field: _("Tập thể %(code)s không tồn tại trong năm %(year)s.") % {"code": collective.code, "year": year}}
        )


def positions_held(*, collective_ids: Iterable[int], member_ids: Iterable[int], year: int):
    """The posts held in the collectives by the members at some time in the year (one query)."""
    return Position.objects.held_during(year).filter(collective_id__in=collective_ids, member_id__in=member_ids)


def leader_position_check(*, rating: LeaderRating, held: bool | None = None) -> None:
    """A leader is rated in a collective where he or she held a post during the year (`held` when the importer
    looked it up set-based)."""
    if held is None:
        held = positions_held(
            collective_ids=[rating.collective_id], member_ids=[rating.member_id], year=rating.year
        ).exists()
    if not held:
        raise ValidationError(
            {
                "member": _("Đảng viên số thẻ %(card)s không giữ chức danh nào trong tập thể %(code)s năm %(year)s.")
                % {"card": rating.member.card_number, "code": rating.collective.code, "year": rating.year}
            }
        )


def _levels_check(rating, subject: str) -> None:
    for name in ("level", "self_level", "appraisal_level"):
        level_check(level=getattr(rating, name), year=rating.year, subject=subject, field=name)


def _scores_check(rating, subject: str) -> None:
    """Issue 15's score rule (rules/scores.py: the band and task conditions of a scored year, the scheme's total, the
    task figures adding up), then the fields' own bounds for a year that is not scored."""
    score_check(assessment=rating, subject=subject)
    for name in ("self_score", "score"):
        value = getattr(rating, name)
        if value is not None and not 0 <= value <= 100:
            raise ValidationError({name: _("Điểm phải từ 0 đến 100.")})


def collective_rating_check(rating: CollectiveRating) -> None:
    """The rules of one collective's rating: levels of the year's unit scale, its score, the collective that year."""
    _levels_check(rating, Subject.UNIT)
    _scores_check(rating, Subject.UNIT)
    collective_active_check(collective=rating.collective, year=rating.year)


def leader_rating_check(rating: LeaderRating, *, held: bool | None = None) -> None:
    """The rules of one leader's rating: levels of the year's member scale, its score, a post held that year."""
    _levels_check(rating, Subject.MEMBER)
    _scores_check(rating, Subject.MEMBER)
    collective_active_check(collective=rating.collective, year=rating.year)
    leader_position_check(rating=rating, held=held)


def rating_changed(stored, rating) -> list[str]:
    """The fields an update changes (every non-empty one for a new rating)."""
    before = stored if stored is not None else type(rating)()
    return [name for name in RATING_FIELDS if getattr(before, name) != getattr(rating, name)]


def leadership_actor_check(*, actor, changed: Iterable[str]) -> None:
    """A secretary writes the self-assessment only; the appraisal and the decision are the district's."""
    refused = [name for name in changed if name in DECIDED_FIELDS]
    if not refused or leadership_decide_allowed(actor):
        return
    message = _(
        "Ban Tổ chức thẩm định và cấp ủy quản lý quyết định: bạn chỉ ghi phần tự đánh giá (tự đánh giá, điểm tự "
        "chấm, số nhiệm vụ); mức thẩm định, xếp loại, điểm, quyết định và ghi chú phải giữ như hiện có."
    )
    raise ValidationError({name.removesuffix("_id"): message for name in refused})

"""Rules of unit and member ratings: the level fits the year's scheme and subject and its score (rules.scores),
reasons fit, the unit exists.

Decision (the service used to accept what the importer refused): a rating at a unit that does not exist in that
year, that is on 31 December, is refused for units and members alike, with one message, by every write path.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.common.vocabulary import scheme_title
from assessments.models import (
    MEMBER_REASONS,
    UNIT_REASONS,
    MemberAssessment,
    Organization,
    RatingLevel,
    RatingScheme,
    Subject,
    UnitAssessment,
)
from assessments.permissions import unit_rating_decide_allowed
from assessments.rules.criteria import rating_items_total_check
from assessments.rules.scores import score_check

# The part of a unit's rating the level above decides; a unit's own secretary proposes only self_level.
DECIDED_FIELDS = ("level_id", "exemplary", "decision_ref", "decided_on", "note")


def no_scheme_message(year: int) -> str:
    """What every path says of a year without a rating scheme, whatever it raises (a form's error, a row's, a
    command's)."""
    return _("Năm %(year)s chưa có quy định xếp loại.") % {"year": year}


def scheme_in_force(year: int) -> RatingScheme:
    """The rating scheme in force in the year; a ValidationError on `year` when the year has none."""
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        raise ValidationError({"year": no_scheme_message(year)})
    return scheme


def level_check(*, level: RatingLevel | None, year: int, subject: str, field: str = "level") -> None:
    """A level must belong to the scheme in force that year and to the right subject."""
    if level is None:
        return
    scheme = scheme_in_force(year)
    if level.scheme_id != scheme.pk:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” thuộc %(other)s, không dùng cho năm %(year)s (%(scheme)s).")
                % {
                    "level": level.label,
                    "other": scheme_title(level.scheme),
                    "year": year,
                    "scheme": scheme_title(scheme),
                }
            }
        )
    if level.subject != subject:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” dành cho %(subject)s, không dùng ở đây.")
                % {"level": level.label, "subject": Subject(level.subject).label}
            }
        )


def organization_exists_check(*, organization: Organization, year: int, field: str = "organization") -> None:
    """A rating for a year is given at a unit that exists on 31 December of that year."""
    if not organization.exists_in(year):
        raise ValidationError(
            {field: _("%(org)s không tồn tại vào ngày 31/12/%(year)s.") % {"org": organization.code, "year": year}}
        )


def unit_assessment_check(assessment: UnitAssessment) -> None:
    """The rules of one unit's rating, beyond what the database enforces."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.UNIT)
    level_check(level=assessment.self_level, year=assessment.year, subject=Subject.UNIT, field="self_level")
    score_check(assessment=assessment, subject=Subject.UNIT)
    if assessment.exemplary and (assessment.level is None or not assessment.level.is_top):
        raise ValidationError({"exemplary": _("Chỉ đơn vị xếp mức cao nhất mới được công nhận tiêu biểu.")})
    if assessment.exemplary and assessment.period:
        # "Tiêu biểu" is a title of the year (and of five years running), never of a quarter.
        raise ValidationError({"exemplary": _("Chỉ xếp loại cả năm mới được công nhận tiêu biểu, không xét theo quý.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đơn vị đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in UNIT_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho tổ chức đảng.")})
    organization_exists_check(organization=assessment.organization, year=assessment.year)
    rating_items_total_check(assessment)


def member_assessment_check(assessment: MemberAssessment) -> None:
    """A member's rating: a level of that year's member scale, or no level and a reason; at a unit of that year."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.MEMBER)
    score_check(assessment=assessment, subject=Subject.MEMBER)
    if assessment.level is None and not assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Chưa xếp loại thì phải ghi lý do.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in MEMBER_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho đảng viên.")})
    organization_exists_check(organization=assessment.organization, year=assessment.year)
    rating_items_total_check(assessment)


def unit_rating_changed(stored: UnitAssessment | None, assessment: UnitAssessment) -> list[str]:
    """The decided fields an update changes (every non-empty one for a new rating): what the actor rule looks at."""
    before = stored if stored is not None else UnitAssessment()
    return [name for name in DECIDED_FIELDS if getattr(before, name) != getattr(assessment, name)]


def unit_rating_actor_check(*, actor, organization: Organization, changed: Iterable[str]) -> None:
    """A secretary proposes their own unit's level (self_level) but never decides it; and only a grassroots
    committee's secretary decides the units below it (assessments.permissions.unit_rating_decide_allowed)."""
    changed = [name for name in changed if name in DECIDED_FIELDS]
    if not changed or unit_rating_decide_allowed(actor, organization):
        return
    if organization.pk == actor.organization_id:
        message = _(
            "Cấp trên quyết định xếp loại của chính tổ chức bạn: bạn chỉ ghi mức tự đánh giá (self_level); "
            "mức xếp loại, tiêu biểu, quyết định và ghi chú phải giữ như hiện có."
        )
        raise ValidationError({("level" if name == "level_id" else name): message for name in changed})
    raise ValidationError({"organization": _("Chỉ đảng ủy cơ sở mới quyết định xếp loại chi bộ trực thuộc.")})

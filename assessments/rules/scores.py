"""Rules of scored ratings (QĐ 366): for a year whose scheme is scored, a level needs a score, and the level may not
be above what the score's band and the level's task conditions allow, nor below it without a written reason.

The bands and conditions are the scheme's level rows (min_score, min_on_time_percent, min_exceeded_percent,
min_done_percent, max_late_percent) and the total is the scheme's total_points: data, not code.

Decisions: the task figures are optional (the issue makes only the score required with a level); when
`tasks_assigned` is blank the task conditions are not checked, only the band. A share is counted over the tasks
assigned, so with no task assigned every condition holds. For a scheme that is not scored the fields are kept as
given and not checked (2016–2024 behave as before). The self score is bounded by the total, never by a level.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.vocabulary import band_of, band_text, percent_text, scheme_title, score_text
from assessments.models import RatingLevel, RatingScheme

SCORE_FIELDS = (
    "self_score",
    "score",
    "tasks_assigned",
    "tasks_on_time",
    "tasks_exceeded",
    "tasks_late",
    "below_score_reason",
)
TASK_FIELDS = ("tasks_on_time", "tasks_exceeded", "tasks_late")


def scored_levels(scheme: RatingScheme, subject: str) -> list[RatingLevel]:
    """A scheme's levels of one subject, best first, kept on the scheme row: a bulk import (RatingScheme.memoized)
    reads them once per scheme, not once per row."""
    cache = scheme.__dict__.setdefault("_scored_levels", {})
    if subject not in cache:
        cache[subject] = list(RatingLevel.objects.filter(scheme=scheme, subject=subject).order_by("rank"))
    return cache[subject]


# A level's task conditions: its field, whether it is a minimum (else a maximum), the figure it is a share of, the
# wording of the requirement. Worded (translated) only when a condition fails: score_allowed_level tries every
# level above the allowed one for every row of an import.
_CONDITIONS = (
    ("min_on_time_percent", True, "on_time", gettext_lazy("%(p)s%% nhiệm vụ hoàn thành đúng hạn")),
    ("min_exceeded_percent", True, "exceeded", gettext_lazy("từ %(p)s%% nhiệm vụ hoàn thành vượt mức")),
    ("min_done_percent", True, "done", gettext_lazy("%(p)s%% nhiệm vụ được hoàn thành")),
    ("max_late_percent", False, "late", gettext_lazy("không quá %(p)s%% nhiệm vụ hoàn thành chậm")),
)


def _unmet_conditions(level: RatingLevel, assessment) -> list[tuple[int, int, int, str]]:
    """The task conditions of a level the rating's figures do not meet: (percent, count, assigned, wording)."""
    assigned = assessment.tasks_assigned
    if assigned is None:
        return []
    on_time, late = assessment.tasks_on_time or 0, assessment.tasks_late or 0
    counts = {"on_time": on_time, "exceeded": assessment.tasks_exceeded or 0, "done": on_time + late, "late": late}
    unmet = []
    for field, is_minimum, figure, wording in _CONDITIONS:
        percent = getattr(level, field)
        if percent is None:
            continue
        # Whole numbers on both sides: 100 * count against percent * assigned, no rounding at the boundary.
        count = counts[figure]
        if not (100 * count >= percent * assigned if is_minimum else 100 * count <= percent * assigned):
            unmet.append((percent, count, assigned, wording))
    return unmet


def _level_met(level: RatingLevel, assessment) -> bool:
    """Whether the score and task figures reach a level (its band's lower bound and its task conditions)."""
    if level.min_score is not None and assessment.score < level.min_score:
        return False
    return not _unmet_conditions(level, assessment)


def _level_failures(level: RatingLevel, assessment) -> list[str]:
    """Why a score and task figures do not reach a level, in words: its band's lower bound, then its conditions."""
    failures = []
    if level.min_score is not None and assessment.score < level.min_score:
        failures.append(_("từ %(min)s điểm") % {"min": score_text(level.min_score)})
    for percent, count, assigned, wording in _unmet_conditions(level, assessment):
        share = percent_text(100 * count / assigned if assigned else None)
        failures.append(
            (wording % {"p": percent})
            + " "
            + _("(có %(count)s/%(assigned)s, %(share)s)") % {"count": count, "assigned": assigned, "share": share}
        )
    return failures


def score_allowed_level(levels: list[RatingLevel], assessment) -> RatingLevel | None:
    """The highest level the rating's score and task figures allow (levels best first)."""
    return next((lv for lv in levels if _level_met(lv, assessment)), None)


def tasks_check(assessment) -> None:
    """The task figures add up: done (on time and late) within the assigned, exceeded within the done."""
    assigned = assessment.tasks_assigned
    given = [name for name in TASK_FIELDS if getattr(assessment, name) is not None]
    if assigned is None:
        if given:
            raise ValidationError(
                {"tasks_assigned": _("Ghi số nhiệm vụ được giao trước khi ghi số đúng hạn, vượt mức hoặc chậm.")}
            )
        return
    on_time = assessment.tasks_on_time or 0
    late = assessment.tasks_late or 0
    if on_time + late > assigned:
        raise ValidationError(
            {
                "tasks_on_time": _(
                    "Số nhiệm vụ đúng hạn (%(on_time)s) cộng số chậm (%(late)s) vượt số nhiệm vụ được giao "
                    "(%(assigned)s)."
                )
                % {"on_time": on_time, "late": late, "assigned": assigned}
            }
        )
    if (assessment.tasks_exceeded or 0) > on_time + late:
        raise ValidationError(
            {
                "tasks_exceeded": _("Số nhiệm vụ vượt mức (%(exceeded)s) nhiều hơn số đã hoàn thành (%(done)s).")
                % {"exceeded": assessment.tasks_exceeded, "done": on_time + late}
            }
        )


def _total_check(scheme: RatingScheme, assessment) -> None:
    total = Decimal(scheme.total_points)
    for name in ("score", "self_score"):
        value = getattr(assessment, name)
        if value is not None and value > total:
            raise ValidationError(
                {
                    name: _("Điểm %(score)s vượt tổng điểm %(total)s của %(scheme)s.")
                    % {"score": score_text(value), "total": score_text(total), "scheme": scheme_title(scheme)}
                }
            )


def score_check(*, assessment, subject: str) -> None:
    """A rating's level against its score and task figures, for a year whose scheme is scored (see the module)."""
    scheme = RatingScheme.for_year(assessment.year)
    if scheme is None or not scheme.is_scored:
        return
    _total_check(scheme, assessment)
    tasks_check(assessment)
    level = assessment.level
    if level is None:
        return
    if assessment.score is None:
        raise ValidationError(
            {
                "score": _("Năm %(year)s xếp loại theo điểm (%(scheme)s): mức xếp loại cần có điểm.")
                % {"year": assessment.year, "scheme": scheme_title(scheme)}
            }
        )
    levels = scored_levels(scheme, subject)
    allowed = score_allowed_level(levels, assessment)
    if allowed is None or level.rank < allowed.rank:
        band = band_of(levels, assessment.score)
        failures = _level_failures(level, assessment)
        message = _("Điểm %(score)s thuộc khung %(band)s (%(range)s); mức %(level)s cần %(needs)s.") % {
            "score": score_text(assessment.score),
            "band": band.label if band else "—",
            "range": band_text(levels, band) if band else "—",
            "level": level.label,
            "needs": _(", ").join(failures),
        }
        raise ValidationError({"level": message})
    if level.rank > allowed.rank and not (assessment.below_score_reason or "").strip():
        raise ValidationError(
            {
                "below_score_reason": _(
                    "Điểm %(score)s cho phép mức %(allowed)s; xếp mức thấp hơn (%(level)s) phải ghi lý do "
                    "(ví dụ bị kỷ luật trong năm)."
                )
                % {"score": score_text(assessment.score), "allowed": allowed.label, "level": level.label}
            }
        )

"""Writes of collectives, positions and the ratings of collectives and leaders. Each checks its actor (404 outside
the scope, 403 for a role that may not), then the rules of rules/collectives.py; deciding a level also runs the
leadership rules of the period (regulation/leaders.py), which block unless a reason is written (kept as an override)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments.common.history import save_as
from assessments.common.vocabulary import levels_of
from assessments.models import (
    Collective,
    CollectiveRating,
    LeaderRating,
    Organization,
    Period,
    Position,
    RatingScheme,
    User,
)
from assessments.permissions import (
    WRITE_COLLECTIVE_RATINGS,
    WRITE_COLLECTIVES,
    WRITE_LEADER_RATINGS,
    WRITE_POSITIONS,
    data_write_allowed,
    role_require,
    scope_require,
)
from assessments.regulation.leaders import collective_decision_checks, leader_decision_checks
from assessments.regulation.overrides import failed_refuse, overrides_record
from assessments.regulation.periods import rules_in_force
from assessments.rules.access import role_refused_message
from assessments.rules.collectives import (
    collective_check,
    collective_rating_check,
    leader_rating_check,
    leadership_actor_check,
    position_check,
    rating_changed,
)


def _actor_require(actor: User | None, organization: Organization, data_type: str) -> None:
    """Scope first (404), then the role (403); no actor is a system write (a command, the demo loader)."""
    if actor is None:
        return
    scope_require(actor, organization)
    role_require(data_write_allowed(actor, data_type), role_refused_message())


@transaction.atomic
def collective_save(*, collective: Collective, actor: User | None) -> Collective:
    """Record or correct a leadership collective of an organization in the actor's scope (officers)."""
    _actor_require(actor, collective.organization, WRITE_COLLECTIVES)
    collective_check(collective)
    return save_as(collective, actor)


@transaction.atomic
def position_save(*, position: Position, actor: User | None) -> Position:
    """Record or correct a member's post in a collective; the member, the collective and the managing committee are
    in the actor's scope."""
    _actor_require(actor, position.collective.organization, WRITE_POSITIONS)
    if actor is not None:
        scope_require(actor, position.member.organization)
        scope_require(actor, position.managed_by)
    position_check(position)
    return save_as(position, actor)


def _role_fields_require(actor: User | None, stored, rating) -> list[str]:
    """The fields a write changes; a secretary changing the appraisal or decision answers 403 with the rule's words."""
    changed = rating_changed(stored, rating)
    try:
        leadership_actor_check(actor=actor, changed=changed)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    return changed


def _decision_failed(rating, changed: list[str], checks) -> list:
    """The period's leadership rules a yearly level being decided fails (none when no level is being decided)."""
    if rating.level_id is None or rating.period != Period.YEAR or not {"level_id", "decided_on"} & set(changed):
        return []
    in_force = rules_in_force(rating.year)
    if not in_force:
        return []
    levels = levels_of(RatingScheme.for_year(rating.year))
    return [result for result in checks(rating=rating, levels=levels, in_force=in_force) if result.failed]


def _decision_require(rating, changed: list[str], checks, *, override_reason: str, actor: User | None) -> None:
    """Deciding a yearly level runs the period's leadership rules; a failed one needs a reason, kept as an override."""
    failed = _decision_failed(rating, changed, checks)
    failed_refuse(failed=failed, override_reason=override_reason, finalize=False)
    overrides_record(failed=failed, year=rating.year, reason=override_reason, actor=actor)


# Each kind of rating: the data type its writer must be allowed, its own rules, the period's rules on deciding it.
_RATING_RULES = {
    CollectiveRating: (WRITE_COLLECTIVE_RATINGS, collective_rating_check, collective_decision_checks),
    LeaderRating: (WRITE_LEADER_RATINGS, leader_rating_check, leader_decision_checks),
}


def leadership_decision_check(rating) -> None:
    """The period's rules on a rating about to be decided, as errors of the whole form (the admin has no reason
    field: a level the rules refuse is decided with a reason through the services)."""
    _data_type, _check, decisions = _RATING_RULES[type(rating)]
    stored = type(rating).objects.filter(pk=rating.pk).first() if rating.pk else None
    failed = _decision_failed(rating, rating_changed(stored, rating), decisions)
    if failed:
        raise ValidationError([result.message for result in failed])


def _rating_write(rating, *, actor: User | None, override_reason: str):
    """The write of a collective's or a leader's rating: the actor, the fields their role may change (on the row
    locked), the rating's rules, the period's rules on deciding it, then the row with its history."""
    data_type, check, decisions = _RATING_RULES[type(rating)]
    _actor_require(actor, rating.collective.organization, data_type)
    stored = type(rating).objects.select_for_update().filter(pk=rating.pk).first() if rating.pk else None
    changed = _role_fields_require(actor, stored, rating)
    check(rating)
    _decision_require(rating, changed, decisions, override_reason=override_reason, actor=actor)
    return save_as(rating, actor)


@transaction.atomic
def collective_rating_save(
    *, rating: CollectiveRating, actor: User | None, override_reason: str = ""
) -> CollectiveRating:
    """Record a collective's rating: the secretary its self-assessment, officers the appraisal and the decision."""
    return _rating_write(rating, actor=actor, override_reason=override_reason)


@transaction.atomic
def leader_rating_save(*, rating: LeaderRating, actor: User | None, override_reason: str = "") -> LeaderRating:
    """Record a leader's rating: the secretary the self-assessment, officers the appraisal and the decision (after
    the collective, not above it, within the cap of the leader's group)."""
    return _rating_write(rating, actor=actor, override_reason=override_reason)

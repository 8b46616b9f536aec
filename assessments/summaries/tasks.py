"""Celery tasks that keep the stored summaries fresh, and the receivers that mark them stale and enqueue them."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from assessments.models import (
    Collective,
    CollectiveRating,
    LeaderRating,
    MemberAssessment,
    Organization,
    Position,
    RatingLevel,
    RatingScheme,
    UnitAssessment,
)
from assessments.signals import assessments_changed, leadership_changed, organizations_changed
from assessments.summaries import recompute as summaries

logger = logging.getLogger(__name__)

RETRY = {
    "acks_late": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}
# A recompute stuck on a lock or a runaway query is stopped; its summaries stay stale and reconciliation repairs them.
LIMITS = {"soft_time_limit": settings.SUMMARIES_TASK_SOFT_TIME_LIMIT, "time_limit": settings.SUMMARIES_TASK_TIME_LIMIT}


def pending_key(organization_id: int | str, year: int, period: str = "") -> str:
    """Cache key held while a recompute of this organization's year (or quarter) is queued and not yet started."""
    return f"summaries:pending:{year}{'-' + period if period else ''}:{organization_id}"


def _pending_timeout() -> int:
    return getattr(settings, "SUMMARIES_PENDING_TIMEOUT", 600)


def _release(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # the cache may be down with the broker; the keys then expire by themselves
        logger.warning("Could not release summary keys %s", keys, exc_info=True)


@shared_task(name="assessments.tasks.summaries_recompute_task", **RETRY, **LIMITS)
def summaries_recompute_task(organization_ids: list[int], year: int, period: str = "") -> int:
    """Recompute the summaries of these organizations for a year or a quarter from source rows (idempotent)."""
    # Released before reading: a change committed from now on queues one more run instead of being absorbed
    # by a run that may not see it.
    _release([pending_key(pk, year, period) for pk in organization_ids])
    return summaries.summaries_recompute(
        organization_ids=organization_ids, year=year, with_ancestors=False, period=period
    )


@shared_task(name="assessments.tasks.summaries_recompute_year_task", **RETRY, **LIMITS)
def summaries_recompute_year_task(year: int, period: str = "") -> int:
    """Recompute every summary of a year or a quarter with set-based queries (idempotent)."""
    _release([pending_key("all", year, period)])
    return summaries.summaries_recompute_year(year=year, period=period)


@shared_task(name="assessments.tasks.summaries_reconcile_task", **RETRY, **LIMITS)
def summaries_reconcile_task() -> dict:
    """Periodic repair (Celery beat): recompute stale summaries and years that have data but no summaries."""
    # Keyed "2017" for a year, "2026-Q1" for a quarter.
    return {
        f"{year}{'-' + period if period else ''}": n for (year, period), n in summaries.summaries_reconcile().items()
    }


# --- enqueueing after commit ---------------------------------------------------------------------------------------


def _delay(task, *args, period: str) -> None:
    # A yearly task is queued with the arguments it always had, so a worker of the previous release still runs it.
    if period:
        task.delay(*args, period)
    else:
        task.delay(*args)


def _enqueue(organizations: dict[tuple[int, str], set[int]], years: set[tuple[int, str]]) -> None:
    """Queue one task per year or quarter for the organizations not already queued; never raise into the writer."""
    jobs = [(key, None) for key in sorted(years)]
    jobs += [(key, sorted(ids)) for key, ids in sorted(organizations.items()) if key not in years]
    for (year, period), ids in jobs:
        added: list[str] = []
        try:
            if ids is None:
                if cache.add(pending_key("all", year, period), 1, _pending_timeout()):
                    added.append(pending_key("all", year, period))
                    _delay(summaries_recompute_year_task, year, period=period)
                continue
            fresh = []
            for pk in ids:
                if cache.add(pending_key(pk, year, period), 1, _pending_timeout()):
                    added.append(pending_key(pk, year, period))
                    fresh.append(pk)
            if fresh:
                _delay(summaries_recompute_task, fresh, year, period=period)
        except Exception:
            # Broker or cache down (or an eager task failed): the change is saved and its summaries say stale;
            # the periodic reconciliation and `recompute_summaries` repair them.
            logger.warning("Could not queue the summary recompute for %s (%s)", year, ids, exc_info=True)
            _release(added)


class _Batch:
    """What one transaction changed; flushed once at commit, so a bulk write queues one task, not one per row."""

    def __init__(self) -> None:
        # Keyed by (year, period); `years` are the periods to recompute in full.
        self.organizations: dict[tuple[int, str], set[int]] = {}
        self.years: set[tuple[int, str]] = set()
        self.done = False

    def __call__(self) -> None:
        if not self.done:
            self.done = True
            _enqueue(self.organizations, self.years)


def _schedule(
    *,
    organization_ids: list[int] = (),
    years: list[int] = (),
    periods: list[str] = ("",),
    full_years: list[tuple[int, str]] = (),
) -> None:
    batch = None
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        batch = next(
            (f for _s, f, _r in reversed(connection.run_on_commit) if isinstance(f, _Batch) and not f.done), None
        )
    if batch is None:
        batch = _Batch()
    for year in years:
        for period in periods:
            batch.organizations.setdefault((int(year), period), set()).update(organization_ids)
    batch.years.update((int(y), p) for y, p in full_years)
    # Registered again at each change so that the batch still runs if an inner savepoint holding an earlier
    # registration rolls back; only the first call at commit does anything. Outside a transaction it runs now.
    transaction.on_commit(batch, robust=True)


def summaries_changed(*, organization_ids: list[int], years: list[int], periods: list[str] = ("",)) -> None:
    """Mark the summaries of these organizations and their ancestors stale now for these years in these periods
    (by default the year's), and queue their recompute."""
    targets = summaries.summaries_mark_stale(organization_ids=organization_ids, years=years, periods=periods)
    _schedule(organization_ids=targets, years=years, periods=periods)


def summaries_all_changed() -> None:
    """Mark every summary stale now (tree or scheme changed), and queue a full recompute of each year."""
    _schedule(full_years=summaries.summaries_mark_all_stale())


@receiver(assessments_changed, dispatch_uid="summaries_assessments_changed")
def _assessments_changed(sender, organization_ids, years, periods=("",), **kwargs) -> None:
    summaries_changed(organization_ids=organization_ids, years=years, periods=list(periods))


@receiver(organizations_changed, dispatch_uid="summaries_organizations_changed")
def _organizations_changed(sender, organization_ids, **kwargs) -> None:
    # A moved or re-dated unit changes counts of its old and new ancestors in any year: recompute them all.
    summaries_all_changed()


# Deletions (the admin's delete action, queryset.delete()) and scheme edits in the admin bypass the services.
@receiver(post_delete, sender=UnitAssessment, dispatch_uid="summaries_unit_assessment_deleted")
@receiver(post_delete, sender=MemberAssessment, dispatch_uid="summaries_member_assessment_deleted")
def _assessment_deleted(sender, instance, **kwargs) -> None:
    summaries_changed(organization_ids=[instance.organization_id], years=[instance.year], periods=[instance.period])


@receiver(post_delete, sender=Organization, dispatch_uid="summaries_organization_deleted")
@receiver(post_save, sender=RatingScheme, dispatch_uid="summaries_scheme_saved")
@receiver(post_delete, sender=RatingScheme, dispatch_uid="summaries_scheme_deleted")
@receiver(post_save, sender=RatingLevel, dispatch_uid="summaries_level_saved")
@receiver(post_delete, sender=RatingLevel, dispatch_uid="summaries_level_deleted")
def _tree_or_scheme_changed(sender, **kwargs) -> None:
    summaries_all_changed()


# --- issue 16: leadership collectives, positions and their ratings -------------------------------------------------


def leadership_summaries_changed(*, organization_ids, keys=None) -> None:
    """Mark stale and queue the summaries of these organizations (and ancestors) for these (year, period) pairs, by
    default every summarized one."""
    ids = sorted({pk for pk in organization_ids if pk is not None})
    if not ids:
        return
    by_period: dict[str, set[int]] = {}
    for year, period in summaries.summary_keys() if keys is None else keys:
        by_period.setdefault(period, set()).add(int(year))
    for period, years in sorted(by_period.items()):
        summaries_changed(organization_ids=ids, years=sorted(years), periods=[period])


@receiver(leadership_changed, dispatch_uid="summaries_leadership_changed")
def _leadership_changed(sender, organization_ids, keys=None, **kwargs) -> None:
    leadership_summaries_changed(organization_ids=organization_ids, keys=keys)


def _collective_organization(collective_id) -> int | None:
    return Collective.objects.filter(pk=collective_id).values_list("organization_id", flat=True).first()


@receiver(pre_save, sender=Collective, dispatch_uid="summaries_collective_before")
@receiver(pre_save, sender=Position, dispatch_uid="summaries_position_before")
def _leadership_before(sender, instance, **kwargs) -> None:
    # A collective moved to another organization (or a position to another collective) leaves the old one's counts.
    if instance.pk is None:
        instance._summaries_before = None
    elif sender is Collective:
        instance._summaries_before = (
            sender.objects.filter(pk=instance.pk).values_list("organization_id", flat=True).first()
        )
    else:
        old = sender.objects.filter(pk=instance.pk).values_list("collective_id", flat=True).first()
        instance._summaries_before = _collective_organization(old) if old else None


@receiver(post_save, sender=Collective, dispatch_uid="summaries_collective_saved")
@receiver(post_delete, sender=Collective, dispatch_uid="summaries_collective_deleted")
def _collective_changed(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_summaries_before", None)
    leadership_summaries_changed(organization_ids=[instance.organization_id, before])


@receiver(post_save, sender=Position, dispatch_uid="summaries_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="summaries_position_deleted")
def _position_changed(sender, instance, **kwargs) -> None:
    before = getattr(instance, "_summaries_before", None)
    leadership_summaries_changed(organization_ids=[_collective_organization(instance.collective_id), before])


@receiver(post_save, sender=CollectiveRating, dispatch_uid="summaries_collective_rating_saved")
@receiver(post_delete, sender=CollectiveRating, dispatch_uid="summaries_collective_rating_deleted")
@receiver(post_save, sender=LeaderRating, dispatch_uid="summaries_leader_rating_saved")
@receiver(post_delete, sender=LeaderRating, dispatch_uid="summaries_leader_rating_deleted")
def _leadership_rating_changed(sender, instance, **kwargs) -> None:
    summaries_changed(
        organization_ids=[_collective_organization(instance.collective_id)],
        years=[instance.year],
        periods=[instance.period],
    )

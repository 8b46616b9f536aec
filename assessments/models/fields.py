"""Factories for the fields several models declare alike: a year in the app's range (and the ratings' database check
of it), a rating level that may stay empty, the user who did something, QĐ 366's scores and task figures, the random
name an uploaded file is stored under. Each returns plain Django fields, so a migration sees them as if they were
written out (the same deconstruction); a model using them needs no new migration."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.organizations import MAX_YEAR, MIN_YEAR, YEAR_VALIDATORS


def year_field(verbose_name, **options) -> models.PositiveSmallIntegerField:
    """A calendar year between MIN_YEAR and MAX_YEAR (the range every URL and form with a year accepts)."""
    return models.PositiveSmallIntegerField(verbose_name, validators=YEAR_VALIDATORS, **options)


def _optional_reference(to: str, verbose_name, on_delete) -> models.ForeignKey:
    """A reference that may stay empty, which its target does not list (`related_name="+"`)."""
    return models.ForeignKey(
        to, verbose_name=verbose_name, null=True, blank=True, on_delete=on_delete, related_name="+"
    )


def optional_level_field(verbose_name) -> models.ForeignKey:
    """A rating level that may stay empty (not yet rated, not proposed); a level in use cannot be deleted."""
    return _optional_reference("assessments.RatingLevel", verbose_name, models.PROTECT)


def acting_user_field(verbose_name) -> models.ForeignKey:
    """The user who did something (opened, sent, recorded...): kept as empty when the account is deleted, so the
    row and its history stay."""
    return _optional_reference(settings.AUTH_USER_MODEL, verbose_name, models.SET_NULL)


def score_field(verbose_name) -> models.DecimalField:
    """A score out of at most 100 points, two decimals, empty until given; the scheme's own total is checked by the
    rules (rules/scores.py), so a scheme of fewer points needs data, not a migration."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


def task_figure_fields() -> tuple[models.PositiveIntegerField, ...]:
    """QĐ 366's task figures of a rating, each a number empty when not recorded, in this order: the tasks assigned,
    those done on time, done beyond what was asked, done late."""
    return tuple(
        models.PositiveIntegerField(verbose_name, null=True, blank=True)
        for verbose_name in (
            _("số nhiệm vụ được giao"),
            _("số nhiệm vụ hoàn thành đúng hạn"),
            _("số nhiệm vụ hoàn thành vượt mức"),
            _("số nhiệm vụ hoàn thành chậm"),
        )
    )


def share_field(verbose_name, help_text) -> models.PositiveSmallIntegerField:
    """A percentage (0 to 100) a level's task condition needs, empty when the level has no such condition."""
    return models.PositiveSmallIntegerField(
        verbose_name, null=True, blank=True, validators=[MaxValueValidator(100)], help_text=help_text
    )


def random_upload_name(folder: str, suffix: str) -> str:
    """Where an upload_to function stores a file: a random name in the folder, never the uploader's file name, which
    the row keeps only as data (a name from outside is never a path)."""
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def year_range_constraint(name: str) -> models.CheckConstraint:
    """The database's own check that a rating's year is one year_field accepts (its validators run only in forms)."""
    return models.CheckConstraint(condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name=name)


def below_score_reason_field() -> models.TextField:
    """Why a rating's level is lower than its score allows (QĐ 366), e.g. a discipline in the year."""
    return models.TextField(
        _("lý do xếp thấp hơn mức theo điểm"),
        blank=True,
        help_text=_("Vì sao mức xếp loại thấp hơn mức điểm cho phép, ví dụ bị kỷ luật trong năm."),
    )

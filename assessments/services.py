"""Writes with business rules: the only path views, the admin, imports, commands and tasks use for a change."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.cycle.rules import rating_lock_check
from assessments.models import (
    MEMBER_KINDS,
    MEMBER_REASONS,
    UNIT_REASONS,
    Member,
    MemberAssessment,
    Membership,
    Organization,
    RatingLevel,
    RatingScheme,
    Role,
    Subject,
    UnitAssessment,
    User,
)
from assessments.signals import assessments_changed, organizations_changed

# --- rules (pure checks, raise ValidationError keyed by field) -------------------------------------------------


def level_check(*, level: RatingLevel | None, year: int, subject: str, field: str = "level") -> None:
    """A level must belong to the scheme in force that year and to the right subject."""
    if level is None:
        return
    scheme = RatingScheme.for_year(year)
    if scheme is None:
        raise ValidationError({"year": _("Năm %(year)s chưa có quy định xếp loại.") % {"year": year}})
    if level.scheme_id != scheme.pk:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” thuộc quy định %(other)s, không dùng cho năm %(year)s (quy định %(scheme)s).")
                % {"level": level.code, "other": level.scheme.code, "year": year, "scheme": scheme.code}
            }
        )
    if level.subject != subject:
        raise ValidationError(
            {
                field: _("Mức “%(level)s” dành cho %(subject)s, không dùng ở đây.")
                % {"level": level.code, "subject": Subject(level.subject).label}
            }
        )


def unit_assessment_check(assessment: UnitAssessment) -> None:
    """The rules of one unit's rating, beyond what the database enforces."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.UNIT)
    level_check(level=assessment.self_level, year=assessment.year, subject=Subject.UNIT, field="self_level")
    if assessment.exemplary and (assessment.level is None or not assessment.level.is_top):
        raise ValidationError({"exemplary": _("Chỉ đơn vị xếp mức cao nhất mới được công nhận tiêu biểu.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đơn vị đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in UNIT_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho tổ chức đảng.")})
    if not assessment.organization.exists_in(assessment.year):
        raise ValidationError(
            {
                "organization": _("%(org)s không tồn tại vào ngày 31/12/%(year)s.")
                % {"org": assessment.organization.code, "year": assessment.year}
            }
        )


def member_assessment_check(assessment: MemberAssessment) -> None:
    """A member's rating: a level of that year's member scale, or no level and a reason."""
    level_check(level=assessment.level, year=assessment.year, subject=Subject.MEMBER)
    if assessment.level is None and not assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Chưa xếp loại thì phải ghi lý do.")})
    if assessment.level is not None and assessment.not_rated_reason:
        raise ValidationError({"not_rated_reason": _("Đã xếp loại thì không ghi lý do không xếp loại.")})
    if assessment.not_rated_reason and assessment.not_rated_reason not in MEMBER_REASONS:
        raise ValidationError({"not_rated_reason": _("Lý do này không áp dụng cho đảng viên.")})


# --- organizations ---------------------------------------------------------------------------------------------


@transaction.atomic
def organization_save(*, organization: Organization, actor: User | None) -> Organization:
    """Create or change an organization, keeping the paths of its subtree right when it moves."""
    if organization.parent_id and organization.pk and organization.parent.path.startswith(organization.path or "\0"):
        raise ValidationError({"parent": _("Không thể đặt một tổ chức trực thuộc chính cấp dưới của nó.")})
    old_path = None
    if organization.pk:
        old_path = Organization.objects.filter(pk=organization.pk).values_list("path", flat=True).first()
    organization._history_user = actor
    organization.full_clean()
    organization.save()
    if old_path and old_path != organization.path:
        for child in (
            Organization.objects.filter(path__startswith=old_path).exclude(pk=organization.pk).order_by("depth")
        ):
            child.save()  # recomputes path from the (already moved) parent
    organizations_changed.send(sender=Organization, organization_ids=[organization.pk])
    return organization


# --- members ---------------------------------------------------------------------------------------------------


@transaction.atomic
def member_save(*, member: Member, actor: User | None, joined_on: datetime.date | None = None) -> Member:
    """Create or change a member; a changed cell is recorded as a transfer."""
    if member.organization.kind not in MEMBER_KINDS:
        raise ValidationError(
            {"organization": _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": member.organization.name}}
        )
    previous_org_id = None
    if member.pk:
        previous_org_id = Member.objects.filter(pk=member.pk).values_list("organization_id", flat=True).first()
    member._history_user = actor
    member.full_clean()
    member.save()
    day = joined_on or datetime.date.today()
    if previous_org_id is None:
        Membership.objects.create(
            member=member, organization=member.organization, start=joined_on or member.admitted_on or day
        )
    elif previous_org_id != member.organization_id:
        _membership_move(member=member, day=day)
    return member


def _membership_move(*, member: Member, day: datetime.date) -> None:
    Membership.objects.filter(member=member, end__isnull=True).update(end=day - datetime.timedelta(days=1))
    Membership.objects.create(member=member, organization=member.organization, start=day)


@transaction.atomic
def member_transfer(*, member: Member, organization: Organization, day: datetime.date, actor: User | None) -> Member:
    """Move a member to another cell from a given day: closes one membership and opens the next."""
    if organization.kind not in MEMBER_KINDS:
        raise ValidationError(
            {"organization": _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": organization.name}}
        )
    if organization.pk == member.organization_id:
        return member
    open_since = Membership.objects.filter(member=member, end__isnull=True).values_list("start", flat=True).first()
    if open_since and day <= open_since:
        raise ValidationError(
            {
                "day": _("Ngày chuyển phải sau ngày bắt đầu sinh hoạt hiện tại (%(d)s).")
                % {"d": open_since.strftime("%d/%m/%Y")}
            }
        )
    member.organization = organization
    member._history_user = actor
    member.save()
    _membership_move(member=member, day=day)
    return member


# --- assessments -----------------------------------------------------------------------------------------------


def _assessment_write(assessment, *, check, actor: User | None):
    """The one write path of a rating: rules, the cycle's locks, history with the actor, then the summaries signal."""
    check(assessment)
    rating_lock_check(organization=assessment.organization, year=assessment.year, actor=actor)
    assessment._history_user = actor
    assessment.full_clean(validate_unique=True)
    assessment.save()
    assessments_changed.send(
        sender=type(assessment), organization_ids=[assessment.organization_id], years=[assessment.year]
    )
    return assessment


@transaction.atomic
def unit_assessment_save(*, assessment: UnitAssessment, actor: User | None) -> UnitAssessment:
    """Record or change a unit's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=unit_assessment_check, actor=actor)


@transaction.atomic
def member_assessment_save(*, assessment: MemberAssessment, actor: User | None) -> MemberAssessment:
    """Record or change a member's rating for a year, after checking every rule."""
    return _assessment_write(assessment, check=member_assessment_check, actor=actor)


# --- accounts --------------------------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    username: str,
    role: str,
    organization: Organization | None,
    password: str,
    full_name: str = "",
    actor: User | None = None,
) -> User:
    """Provision a login; the password must pass the configured validators."""
    from django.contrib.auth.password_validation import validate_password

    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò không hợp lệ: %(role)s.") % {"role": role}})
    if role != Role.ADMIN and organization is None:
        raise ValidationError({"organization": _("Vai trò này phải gắn với một tổ chức.")})
    if role == Role.SECRETARY and organization is not None and not organization.is_grassroots:
        raise ValidationError({"organization": _("Bí thư phải gắn với một tổ chức cơ sở đảng.")})
    first, _sep, last = full_name.rpartition(" ")
    user = User(
        username=username,
        role=role,
        organization=organization,
        first_name=first,
        last_name=last,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user

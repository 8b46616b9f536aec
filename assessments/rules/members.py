"""Rules of members and memberships: the cell a member may join on a day, transfers, and the dated memberships.

Decisions (the service and the importer used to disagree):
- A member joins or is transferred only into a cell (or grassroots cell) that exists on that day: a dissolved cell,
  or one not founded yet, is refused.
- A second transfer on the day the current membership started is a correction of that day's transfer, not a
  refusal: the open membership changes cell; moving back to the cell the member left that day undoes the transfer.
  A transfer dated before the current membership started is refused.
- memberships_move is the one set-based writer of transfers, used by the services and the importer.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.models import MEMBER_KINDS, Member, Membership, Organization


def _day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def member_organization_check(*, organization: Organization, day: datetime.date, field: str = "organization") -> None:
    """A member belongs to a cell or a grassroots cell, and only one that exists on the day they join it."""
    if organization.kind not in MEMBER_KINDS:
        raise ValidationError({field: _("Đảng viên sinh hoạt ở chi bộ, không ở %(org)s.") % {"org": organization.name}})
    if organization.valid_to is not None and organization.valid_to < day:
        raise ValidationError(
            {
                field: _("%(code)s không còn tồn tại vào ngày %(day)s (tồn tại đến %(end)s).")
                % {"code": organization.code, "day": _day(day), "end": _day(organization.valid_to)}
            }
        )
    if organization.valid_from is not None and organization.valid_from > day:
        raise ValidationError(
            {
                field: _("%(code)s chưa thành lập vào ngày %(day)s (thành lập từ %(start)s).")
                % {"code": organization.code, "day": _day(day), "start": _day(organization.valid_from)}
            }
        )


def member_dates_check(*, admitted_on, official_on, field: str = "official_on") -> None:
    """Made a full member after admission (the database constraint, checked first so the message is a field's)."""
    if admitted_on and official_on and official_on < admitted_on:
        constraint = next(c for c in Member._meta.constraints if c.name == "member_official_after_admission")
        raise ValidationError({field: str(constraint.violation_error_message)})


def transfer_day_check(*, open_since: datetime.date | None, day: datetime.date, field: str = "day") -> None:
    """A transfer is dated on or after the day the current membership started (on that day, it corrects it)."""
    if open_since is not None and day < open_since:
        raise ValidationError(
            {field: _("Ngày chuyển phải từ ngày bắt đầu sinh hoạt hiện tại (%(d)s) trở đi.") % {"d": _day(open_since)}}
        )


def memberships_move(moves: Iterable[tuple[int, int]], day: datetime.date) -> None:
    """Record transfers (member id, new cell id) from a day, set-based: close the open membership the day before and
    open the next; a membership that started that day is corrected instead, or undone when the member goes back to
    the cell they left that day. Callers check transfer_day_check first."""
    moves = dict(moves)
    if not moves:
        return
    open_rows = {m.member_id: m for m in Membership.objects.filter(member_id__in=moves, end__isnull=True)}
    same_day = [mid for mid, row in open_rows.items() if row.start >= day]
    the_day_before = day - datetime.timedelta(days=1)
    left_that_day = {
        m.member_id: m for m in Membership.objects.filter(member_id__in=same_day, end=the_day_before).order_by("start")
    }
    closing, corrected, undone, reopened, opening = [], [], [], [], []
    for member_id, new in moves.items():
        current = open_rows.get(member_id)
        if current is not None and current.start >= day:
            previous = left_that_day.get(member_id)
            if previous is not None and previous.organization_id == new:
                undone.append(current.pk)
                previous.end = None
                reopened.append(previous)
            else:
                current.organization_id = new
                corrected.append(current)
            continue
        if current is not None:
            current.end = the_day_before
            closing.append(current)
        opening.append(Membership(member_id=member_id, organization_id=new, start=day))
    # One open membership per member (a constraint): close and delete before reopening and opening.
    Membership.objects.bulk_update(closing, ["end"], batch_size=1000)
    Membership.objects.filter(pk__in=undone).delete()
    Membership.objects.bulk_update(reopened, ["end"], batch_size=1000)
    Membership.objects.bulk_update(corrected, ["organization"], batch_size=1000)
    Membership.objects.bulk_create(opening, batch_size=1000)


def membership_check(membership: Membership) -> None:
    """One membership as edited by hand: a cell that exists when it starts, a valid span, no overlap with another."""
    if membership.organization_id is None or membership.start is None:
        return  # the form reports the missing field
    member_organization_check(organization=membership.organization, day=membership.start)
    if membership.end is not None and membership.end < membership.start:
        raise ValidationError({"end": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    if membership.member_id is None:
        return
    others = Membership.objects.filter(member_id=membership.member_id).exclude(pk=membership.pk)
    others = others.filter(start__lte=membership.end) if membership.end is not None else others
    clash = others.exclude(end__lt=membership.start).select_related("organization").order_by("start").first()
    if clash is not None:
        raise ValidationError(
            {
                "start": _("Trùng thời gian với quá trình sinh hoạt ở %(org)s từ ngày %(start)s.")
                % {"org": clash.organization.code, "start": _day(clash.start)}
            }
        )


def membership_delete_check(membership: Membership) -> None:
    """Only a past membership entered by mistake is deleted; the open one changes only by a transfer."""
    if membership.end is None:
        raise ValidationError(
            _("Không xóa được quá trình sinh hoạt hiện tại của đảng viên; muốn đổi chi bộ, hãy chuyển sinh hoạt.")
        )

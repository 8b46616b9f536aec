"""Notices of the yearly cycle: a year opened, its deadline near, a file returned or decided (to the unit's secretary),
a file submitted (to the officers above it). After the change commits, each active recipient gets a row in the app's
list of notices, and an email through Django's email settings (the console backend unless EMAIL_BACKEND says
otherwise) when an address is set."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.models import EDITABLE_STATUSES, Notice, NoticeKind, Organization, Submission, User, YearCycle

# How many days before the deadline the secretaries of units that have not sent their file are reminded.
REMINDER_DAYS = 3


def _send(users, *, kind: str, subject: str, text: str, path: str) -> int:
    """Tell each active user after commit, in the app and by email; returns how many emails go out."""
    recipients = {user.pk: user for user in users if user.is_active}
    addresses = sorted({user.email for user in recipients.values() if user.email})
    body = text + "\n" + _("Xem tại: %(url)s") % {"url": _link(path)}

    def deliver() -> None:
        Notice.objects.bulk_create(
            Notice(recipient_id=pk, kind=kind, subject=subject, body=text, path=path) for pk in sorted(recipients)
        )
        for address in addresses:
            # One message each: a secretary does not see the other communes' addresses.
            send_mail(subject, body, None, [address], fail_silently=True)

    if recipients:
        transaction.on_commit(deliver)
    return len(addresses)


def _link(path: str) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def _secretaries(organization: Organization) -> list[User]:
    return [u for u in User.objects.filter(organization=organization) if permissions.is_secretary_of(u, organization)]


def _officers_above(organization: Organization) -> list[User]:
    parts = organization.path.strip("/").split("/")
    paths = ["".join(part + "/" for part in parts[: i + 1]) for i in range(len(parts))]
    users = User.objects.filter(organization__path__in=paths).select_related("organization")
    return [u for u in users if permissions.may_review(u, organization)]


def _portal(submission: Submission) -> str:
    return reverse("assessments:portal_detail", args=[submission.organization.code, submission.cycle.year])


def notices_year_opened(*, cycle: YearCycle) -> int:
    """Each unit's secretary: the year is open, with its deadline and the way to the file."""
    sent = 0
    for submission in cycle.submissions.select_related("organization", "cycle"):
        sent += _send(
            _secretaries(submission.organization),
            kind=NoticeKind.YEAR_OPENED,
            subject=_("Đã mở đợt đánh giá, xếp loại năm %(year)s") % {"year": cycle.year},
            text=_("Đơn vị %(unit)s cần nộp hồ sơ đánh giá năm %(year)s trước ngày %(deadline)s.")
            % {
                "unit": submission.organization.name,
                "year": cycle.year,
                "deadline": cycle.deadline.strftime("%d/%m/%Y"),
            },
            path=_portal(submission),
        )
    return sent


def notice_submitted(*, submission: Submission) -> int:
    """The officers above the unit: a file waits for their review."""
    return _send(
        _officers_above(submission.organization),
        kind=NoticeKind.SUBMITTED,
        subject=_("%(unit)s đã gửi hồ sơ năm %(year)s")
        % {"unit": submission.organization.name, "year": submission.cycle.year},
        text=_("Hồ sơ đang chờ thẩm định."),
        path=reverse("assessments:review_detail", args=[submission.organization.code, submission.cycle.year]),
    )


def notice_returned(*, submission: Submission) -> int:
    """The unit's secretary: the file came back, with the district's comment."""
    return _send(
        _secretaries(submission.organization),
        kind=NoticeKind.RETURNED,
        subject=_("Hồ sơ năm %(year)s bị trả lại để sửa") % {"year": submission.cycle.year},
        text=_("Ý kiến của cấp trên: %(comment)s") % {"comment": submission.return_comment},
        path=_portal(submission),
    )


def notice_decided(*, submission: Submission) -> int:
    """The unit's secretary: the result of the year is decided."""
    return _send(
        _secretaries(submission.organization),
        kind=NoticeKind.DECIDED,
        subject=_("Đã có kết quả xếp loại năm %(year)s") % {"year": submission.cycle.year},
        text=_("Kết quả xếp loại của %(unit)s đã được chốt.") % {"unit": submission.organization.name},
        path=_portal(submission),
    )


def notices_deadline_near(*, today: datetime.date | None = None) -> int:
    """Secretaries of units that have not sent their file, REMINDER_DAYS before the deadline (run daily by beat)."""
    day = (today or datetime.date.today()) + datetime.timedelta(days=REMINDER_DAYS)
    sent = 0
    waiting = Submission.objects.filter(cycle__deadline=day, status__in=EDITABLE_STATUSES).select_related(
        "organization", "cycle"
    )
    for submission in waiting:
        sent += _send(
            _secretaries(submission.organization),
            kind=NoticeKind.DEADLINE_NEAR,
            subject=_("Còn %(days)s ngày đến hạn nộp hồ sơ năm %(year)s")
            % {"days": REMINDER_DAYS, "year": submission.cycle.year},
            text=_("Hạn nộp là %(deadline)s; hồ sơ của %(unit)s chưa gửi.")
            % {"deadline": day.strftime("%d/%m/%Y"), "unit": submission.organization.name},
            path=_portal(submission),
        )
    return sent


@transaction.atomic
def notice_read(*, notice: Notice, actor: User) -> Notice:
    """Mark one of the actor's notices read (only its recipient reaches it: permissions.notice_get_for_user)."""
    if notice.recipient_id != actor.pk:
        raise permissions.OutOfScope(_("Không tìm thấy thông báo này trong thông báo của bạn."))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_read_all(*, actor: User) -> int:
    """Mark every unread notice of the actor read; returns how many were."""
    return Notice.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())

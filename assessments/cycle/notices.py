"""Email notices of the yearly cycle, through Django's email settings (the console backend unless EMAIL_BACKEND says
otherwise): a year opened, its deadline near, a file returned or decided (to the unit's secretary), a file submitted
(to the officers above it). Sent after the change commits, one message per person with an address set."""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import permissions
from assessments.models import EDITABLE_STATUSES, Organization, Submission, User, YearCycle

# How many days before the deadline the secretaries of units that have not sent their file are reminded.
REMINDER_DAYS = 3


def _send(users, subject: str, body: str) -> int:
    addresses = sorted({user.email for user in users if user.email and user.is_active})
    for address in addresses:
        # One message each: a secretary does not see the other communes' addresses.
        transaction.on_commit(lambda address=address: send_mail(subject, body, None, [address], fail_silently=True))
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
    return _link(reverse("assessments:portal_detail", args=[submission.organization.code, submission.cycle.year]))


def notices_year_opened(*, cycle: YearCycle) -> int:
    """Each unit's secretary: the year is open, with its deadline and the way to the file."""
    sent = 0
    for submission in cycle.submissions.select_related("organization", "cycle"):
        sent += _send(
            _secretaries(submission.organization),
            _("Đã mở đợt đánh giá, xếp loại năm %(year)s") % {"year": cycle.year},
            _("Đơn vị %(unit)s cần nộp hồ sơ đánh giá năm %(year)s trước ngày %(deadline)s: %(url)s")
            % {
                "unit": submission.organization.name,
                "year": cycle.year,
                "deadline": cycle.deadline.strftime("%d/%m/%Y"),
                "url": _portal(submission),
            },
        )
    return sent


def notice_submitted(*, submission: Submission) -> int:
    """The officers above the unit: a file waits for their review."""
    url = _link(reverse("assessments:review_detail", args=[submission.organization.code, submission.cycle.year]))
    return _send(
        _officers_above(submission.organization),
        _("%(unit)s đã gửi hồ sơ năm %(year)s") % {"unit": submission.organization.name, "year": submission.cycle.year},
        _("Hồ sơ đang chờ thẩm định: %(url)s") % {"url": url},
    )


def notice_returned(*, submission: Submission) -> int:
    """The unit's secretary: the file came back, with the district's comment."""
    return _send(
        _secretaries(submission.organization),
        _("Hồ sơ năm %(year)s bị trả lại để sửa") % {"year": submission.cycle.year},
        _("Ý kiến của cấp trên: %(comment)s\nSửa hồ sơ tại: %(url)s")
        % {"comment": submission.return_comment, "url": _portal(submission)},
    )


def notice_decided(*, submission: Submission) -> int:
    """The unit's secretary: the result of the year is decided."""
    return _send(
        _secretaries(submission.organization),
        _("Đã có kết quả xếp loại năm %(year)s") % {"year": submission.cycle.year},
        _("Kết quả xếp loại của %(unit)s đã được chốt: %(url)s")
        % {"unit": submission.organization.name, "url": _portal(submission)},
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
            _("Còn %(days)s ngày đến hạn nộp hồ sơ năm %(year)s")
            % {"days": REMINDER_DAYS, "year": submission.cycle.year},
            _("Hạn nộp là %(deadline)s; hồ sơ của %(unit)s chưa gửi: %(url)s")
            % {
                "deadline": day.strftime("%d/%m/%Y"),
                "unit": submission.organization.name,
                "url": _portal(submission),
            },
        )
    return sent

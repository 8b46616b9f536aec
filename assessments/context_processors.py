"""Template context of every page: the number of the user's unread notices, for the navigation bar, and the board the
user works for, for the page title."""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.models import Kind


def notices(request) -> dict:
    """The unread count, queried once and only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notices_unread": SimpleLazyObject(lambda: selectors.notices_unread_count(user))}


def board(request) -> dict:
    """The Organization Board of the user's committee (a province's since July 2025, a district's before), or for a
    grassroots secretary the unit; the board in general for everyone else (the login page, administrators)."""
    organization = getattr(getattr(request, "user", None), "organization", None)
    if organization is None:
        name = _("Ban Tổ chức")
    elif organization.kind == Kind.PROVINCE:
        name = _("Ban Tổ chức Tỉnh ủy")
    elif organization.kind == Kind.DISTRICT:
        name = _("Ban Tổ chức Huyện ủy")
    else:
        name = organization.name
    return {"board_name": name}

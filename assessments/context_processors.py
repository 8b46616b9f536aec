"""Template context of every page: the number of the user's unread notices, for the navigation bar."""

from django.utils.functional import SimpleLazyObject

from assessments import selectors


def notices(request) -> dict:
    """The unread count, queried once and only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"notices_unread": SimpleLazyObject(lambda: selectors.notices_unread_count(user))}

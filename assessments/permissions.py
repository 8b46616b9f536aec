"""Who may see and do what: the one scope function, the role predicates and the *_get_for_user lookups.

Policy (docs/architecture.md): an object outside the user's scope answers 404, whether it exists or not; an
action inside the scope that the role may not take answers 403. Services that change data check the actor
themselves through these predicates; views may ask first to show a friendly message.
"""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessments.models import Organization, Role


def organizations_visible_to(user) -> QuerySet[Organization]:
    """The organizations a user may see: their own and everything below it; all for administrators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser or (user.role == Role.ADMIN and user.organization_id is None):
        return Organization.objects.all()
    if user.organization_id is None:
        return Organization.objects.none()
    return Organization.objects.filter(path__startswith=user.organization.path)


def organization_get_for_user(*, user, code: str) -> Organization:
    """Fetch an organization by code within the user's scope; 404 outside it, whether it exists or not."""
    return get_object_or_404(organizations_visible_to(user), code=code)

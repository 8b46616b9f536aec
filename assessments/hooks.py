"""Extension points that other apps fill through settings, so that assessments never imports them."""

from collections.abc import Callable
from functools import cache

from django.apps import apps
from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

# settings.ASSESSMENTS_HOOKS maps a hook name to the dotted path of a callable provided by another app, e.g.
# {"units_with_plan": "consolidation.hooks.units_with_plan"}. A hook whose app is not installed counts as absent.
HOOK_UNITS_WITH_PLAN = "units_with_plan"


@cache
def _hook(name: str) -> Callable | None:
    path = getattr(settings, "ASSESSMENTS_HOOKS", {}).get(name)
    if not path:
        return None
    app_label = path.split(".", 1)[0]
    if not apps.is_installed(app_label):
        return None
    return import_string(path)


def hook_clear_cache() -> None:
    """Forget the resolved hooks (tests that change settings.ASSESSMENTS_HOOKS call this)."""
    _hook.cache_clear()


def units_with_plan_hook() -> Callable[..., QuerySet] | None:
    """The callable `(*, year) -> QuerySet of organization ids` that have a consolidation plan for that year's
    rating, or None when no app provides it."""
    return _hook(HOOK_UNITS_WITH_PLAN)

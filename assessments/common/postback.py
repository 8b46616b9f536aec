"""Post/redirect/get for a refused form: its values and errors wait in the session for the page the user goes back
to, so the errors show where he is looking, and reloading that page neither re-posts nor meets a POST-only address."""

from django.contrib import messages
from django.forms.utils import ErrorDict, ErrorList
from django.http import QueryDict
from django.utils.translation import gettext as _

SESSION_KEY = "postback"
# Never kept: the CSRF token (a new one comes with the page). Files are not kept either: a refused upload is chosen
# again.
_SKIPPED = {"csrfmiddlewaretoken"}


class Kept:
    """A refused form kept for its page: the values posted and the errors they got."""

    def __init__(self, data: dict, errors: dict):
        self.data = QueryDict(mutable=True)
        for name, values in data.items():
            self.data.setlist(name, values)
        self.errors = errors

    def bind(self, build):
        """The form made by `build(data)`, bound again to the kept values and showing the errors it had (a
        service's refusal included), without running its checks again."""
        form = build(self.data)
        form._errors = ErrorDict({name: ErrorList(found) for name, found in self.errors.items()})
        return form


def postback_keep(request, *, page: list, forms: dict) -> None:
    """Keep the refused forms (or lists of messages) by name for the next GET of `page` (its URL arguments)."""
    kept = {}
    for name, value in forms.items():
        if isinstance(value, list):
            kept[name] = [str(message) for message in value]
            continue
        data = value.data
        kept[name] = {
            "data": {field: data.getlist(field) for field in data if field not in _SKIPPED},
            "errors": {field: [str(m) for m in found] for field, found in value.errors.items()},
        }
    request.session[SESSION_KEY] = {"page": [str(part) for part in page], "forms": kept}


def postback_refuse(request, *, page: list, forms: dict) -> None:
    """Keep the refused forms for `page` (postback_keep) and say all their errors at the top of it, where the user
    is looking."""
    postback_keep(request, page=page, forms=forms)
    messages.error(request, _("Chưa thực hiện được: %(errors)s") % {"errors": " ".join(errors_of(forms))})


def postback_take(request, *, page: list) -> dict:
    """What was kept for `page`, by form name (a Kept, or a list of messages), removed from the session: a page
    shows it once. Empty when nothing was kept for this page."""
    kept = request.session.get(SESSION_KEY)
    if not kept or kept.get("page") != [str(part) for part in page]:
        return {}
    del request.session[SESSION_KEY]
    return {
        name: value if isinstance(value, list) else Kept(value["data"], value["errors"])
        for name, value in kept["forms"].items()
    }


def errors_of(forms: dict) -> list[str]:
    """Every message of the refused forms, for the alert at the top of the page."""
    found = []
    for value in forms.values():
        if isinstance(value, list):
            found += [str(message) for message in value]
        elif hasattr(value, "errors"):
            found += [str(message) for messages in value.errors.values() for message in messages]
    return found

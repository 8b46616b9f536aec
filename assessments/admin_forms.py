"""The admin's forms checked by the rules layer: a broken rule is a form error on its field, never a 500."""

from django.core.exceptions import ValidationError


def checked_form(form_class, check, *, ready=None):
    """`form_class` with `check(instance)` run after the model's own cleaning, its errors shown on their fields;
    when `ready(form)` is false (a field the check needs was refused) the check waits for a valid form."""

    class Checked(form_class):
        def _post_clean(self):
            super()._post_clean()
            if ready is not None and not ready(self):
                return
            try:
                check(self.instance)
            except ValidationError as error:
                self._update_errors(error)

    return Checked

"""A service's ValidationError put on the form whose data it refused (the pages of both apps)."""

from django.core.exceptions import ValidationError


def form_errors_add(form, error: ValidationError) -> None:
    """Put a service's errors on the form: on their field if the form has it, otherwise on the whole form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)

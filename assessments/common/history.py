"""Writes that name the acting user in the row's history (django-simple-history reads `_history_user`)."""


def save_as(obj, actor):
    """Validate and save a row; its history names the actor (None: a system write). Returns the row."""
    obj._history_user = actor
    obj.full_clean()
    obj.save()
    return obj


def delete_as(obj, actor) -> None:
    """Delete a row; its history names the actor."""
    obj._history_user = actor
    obj.delete()

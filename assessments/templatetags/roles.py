"""Role questions in templates, answered by the predicates of assessments.permissions: `{% if user|may:"import" %}`."""

from django import template

from assessments import permissions

register = template.Library()

# The questions a template may ask about the user alone (objects are checked by the views that render the page).
QUESTIONS = {
    "read_cycle": permissions.may_read_cycle,
    "read_review": permissions.may_read_review,
    "import": permissions.may_import,
    "manage_plans": permissions.may_manage_plans,
    "read_programmes": permissions.may_read_programmes,
    "be_secretary": permissions.is_secretary,
    "use_admin": permissions.may_use_admin,
}


@register.filter
def may(user, question: str) -> bool:
    """Whether the user may do what `question` names (a key of QUESTIONS); an unknown question is a template error."""
    try:
        return QUESTIONS[question](user)
    except KeyError:
        raise template.TemplateSyntaxError(
            f"may: unknown question {question!r}; known: {', '.join(sorted(QUESTIONS))}"
        ) from None

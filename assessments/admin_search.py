"""The admin's search boxes: folded, so that what a user types without diacritics finds the Vietnamese names."""

from django.db.models import Q

from assessments.common.text import fold


class FoldedSearchMixin:
    """Search that ignores case and diacritics: "dong y" finds "Đồng Ý", on SQLite and PostgreSQL alike."""

    folded_search_fields: tuple[str, ...] = ()
    exact_search_fields: tuple[str, ...] = ()  # codes and usernames, matched whole

    def get_search_results(self, request, queryset, search_term):
        if not search_term:
            return queryset, False
        term = fold(search_term)
        condition = Q()
        for field in self.folded_search_fields:
            condition |= Q(**{f"{field}__contains": term})
        for field in self.exact_search_fields:
            condition |= Q(**{f"{field}__iexact": search_term.strip()})
        return queryset.filter(condition), False

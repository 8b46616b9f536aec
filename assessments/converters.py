"""URL path converters: `<year:year>` takes only a year within MIN_YEAR..MAX_YEAR; any other year is a 404."""

from django.urls import register_converter

from assessments.models import MAX_YEAR, MIN_YEAR


class YearConverter:
    """A year of the allowed range; any other number does not match the URL, which Django answers with 404."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
        return year

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearConverter, "year")

"""Template filters for party documents: the date line and numbers as Vietnamese write them."""

import datetime
from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def party_date(day: datetime.date | None) -> str:
    """ "ngày 04 tháng 5 năm 2017": days under 10 and the months January and February take a leading zero."""
    if not day:
        return "ngày     tháng     năm     "
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


@register.filter
def vn_number(value) -> str:
    """21.5 -> "21,5" and 1234 -> "1.234": Vietnamese decimal comma and thousands dot, no trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    if number == number.to_integral():
        number = number.quantize(Decimal(1))
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + (f",{fraction}" if fraction else "")


@register.filter
def outcome_change(outcome, year: int) -> str:
    """'improved', 'same', 'worse' or 'unknown' for the rating of a year against the plan's baseline."""
    return outcome.change_in(int(year)) if outcome is not None else "unknown"

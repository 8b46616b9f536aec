"""Template words of the counting vocabulary: a level's name in the active language, from its two label columns."""

from django import template

from assessments.common.vocabulary import level_label

register = template.Library()


@register.simple_tag
def level_name(label_vi, label_en=None) -> str:
    """`{% level_name row.rating__level__label_vi row.rating__level__label_en %}`: English when active and known."""
    return level_label(label_vi, label_en)

"""Criteria sets (QĐ 366): writes of sets, groups, items and new versions (services), the pages officers write
them on and secretaries read them on (forms, views, urls)."""

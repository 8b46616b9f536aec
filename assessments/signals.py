"""Signals sent by services after a change, so that other parts (summaries) can react without imports back."""

from django.dispatch import Signal

# Sent with organization_ids and years whenever unit or member ratings change through a service; `periods` (optional,
# the yearly period "" when left out) says which periods of those years changed.
assessments_changed = Signal()
# Sent with organization_ids whenever organizations are created, moved or re-dated.
organizations_changed = Signal()
# Sent by load_demo after the demo district is loaded (actor=the demo officer), so other apps add their demo data.
demo_loaded = Signal()
# Issue 16: sent with organization_ids whenever leadership collectives, positions or their ratings change outside the
# services' saves (the importer's bulk writes); `keys` (optional) are the (year, period) pairs changed, every
# summarized one when left out (a collective's or a position's dates reach any year).
leadership_changed = Signal()

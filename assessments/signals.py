"""Signals sent by services after a change, so that other parts (summaries) can react without imports back."""

from django.dispatch import Signal

# Sent with organization_ids and years whenever unit or member ratings change through a service.
assessments_changed = Signal()
# Sent with organization_ids whenever organizations are created, moved or re-dated.
organizations_changed = Signal()

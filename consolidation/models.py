"""Consolidation of weak units (see the consolidation issue)."""

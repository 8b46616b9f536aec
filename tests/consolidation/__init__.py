"""Consolidation programmes, plans, their rules, pages and printouts."""

"""Stored yearly counts per organization: staleness marks, set-based recomputes and the Celery tasks that run them."""

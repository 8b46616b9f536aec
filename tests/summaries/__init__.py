"""Stored summaries: counting, recomputes on both paths, the real worker."""

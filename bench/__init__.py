"""Benchmarks at district, province and national scale on PostgreSQL (see docs/benchmarks.md)."""

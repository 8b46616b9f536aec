"""Imports and exports: commands, rules, file safety, upload pages and sample files."""

"""Accounts: one at a time and many from a file."""

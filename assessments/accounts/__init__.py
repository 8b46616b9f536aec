"""Accounts: creating users with a role and an organization, one at a time or many from a file."""

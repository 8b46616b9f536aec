"""Scope and hardening: every URL with every persona, headers, sessions and limits."""

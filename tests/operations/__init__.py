"""Faults (broker, worker, database) and the backup drill, on PostgreSQL with Redis."""

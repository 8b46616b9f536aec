"""Celery tasks of the yearly cycle: the daily reminder of a near deadline (beat: cycle-deadline-reminders)."""

from celery import shared_task

from assessments.cycle.notices import notices_deadline_near


@shared_task(name="assessments.cycle.tasks.deadline_reminders_task")
def deadline_reminders_task() -> int:
    """Email the secretaries whose file is not sent, REMINDER_DAYS before the deadline; returns the messages sent."""
    return notices_deadline_near()

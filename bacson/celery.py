"""The Celery app; with no broker configured, tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")

# DjangoTask gives every task delay_on_commit(): nothing is sent for a rolled-back transaction.
app = Celery("bacson", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

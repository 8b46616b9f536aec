"""Settings for the benchmark runner and its gunicorn: production settings, plain static storage, no TLS redirect."""

import os
import warnings

# Production mode as deployed, but served over plain HTTP on 127.0.0.1; set before the project settings read them.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Tasks are queued, never run inline: the runner times the recompute functions themselves.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bacson.settings import *  # noqa: E402, F403
from bacson.settings import STORAGES  # noqa: E402

# Measured as deployed even if the shell exports DEBUG=true: in DEBUG mode Django keeps every query's text.
DEBUG = False
# The pages need no collectstatic run here: the manifest storage is what production adds on top.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# WhiteNoise warns once per process that STATIC_ROOT (collectstatic's output) does not exist; the bench never
# serves static files.
warnings.filterwarnings("ignore", message="No directory at")
# The API floor (bench/urls.py) is served by the same workers as the app, and only by the benchmark's gunicorn.
ROOT_URLCONF = "bench.urls"

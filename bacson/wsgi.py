"""WSGI entry point (gunicorn bacson.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacson.settings")
application = get_wsgi_application()

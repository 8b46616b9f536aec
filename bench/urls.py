"""URLs of the benchmark's gunicorn only (bench.settings): the app's URLs plus the API floor, never deployed."""

from django.http import HttpResponse
from django.urls import path

from bacson.urls import urlpatterns as app_urlpatterns


def floor(request):
    """The least a request can cost on these workers: the same middleware and WSGI path, no view work, no query."""
    return HttpResponse(b'{"ok": true}', content_type="application/json")


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *app_urlpatterns]

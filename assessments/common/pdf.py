"""PDF rendering with WeasyPrint for every printable document, fetching nothing but the project's static files."""

import logging
import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint logs every rendering step at INFO; one PDF would add seven lines to the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# A stable base URL: relative links resolve to it, and the fetcher refuses every other host or scheme.
BASE_URL = "https://document.invalid/"


def static_path(url: str) -> str | None:
    """The file behind a static URL under BASE_URL, or None: no other scheme, host, or path outside static files."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        return None
    prefix = "/" + settings.STATIC_URL.lstrip("/")
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or ".." in relative.split("/"):
        return None
    return finders.find(relative)


def static_fetch(url: str) -> dict:
    """Serve a static file to WeasyPrint; any other URL (remote, file:, data from users) is an error."""
    path = static_path(url)
    if path is None:
        raise ValueError(f"Refusing to fetch {url!r}: documents may load only the project's static files.")
    with open(path, "rb") as handle:
        body = handle.read()
    return {
        "string": body,
        "mime_type": mimetypes.guess_type(path)[0] or "application/octet-stream",
        "redirected_url": url,
    }


def url_fetcher():
    """WeasyPrint 66+ wants a URLFetcher object; older versions a function returning a dict."""
    from weasyprint import urls

    if not hasattr(urls, "URLFetcher"):
        return static_fetch

    class StaticOnlyFetcher(urls.URLFetcher):
        def fetch(self, url, headers=None):
            resource = static_fetch(url)
            return urls.URLFetcherResponse(url, resource["string"], {"Content-Type": resource["mime_type"]})

    return StaticOnlyFetcher()


def pdf_from_html(html: str) -> bytes:
    """Render a document's HTML (built from escaped templates only) to PDF bytes."""
    from weasyprint import HTML

    return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()

"""WSGI-level care for request bodies, before Django sees them.

- A malformed Content-Length (not a non-negative integer) makes Django raise
  an unhandled ValueError, a 500; it gets a plain 400 here instead.
- WSGI requires CONTENT_LENGTH for a body, so Django reads nothing from a
  `Transfer-Encoding: chunked` request. Clients that stream ping bodies send
  exactly that. Under uWSGI the chunks are read through its chunked input API
  and handed to Django as an ordinary, sized body. Proxies such as nginx
  de-chunk requests themselves, in which case this does nothing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def read_chunks(read_chunk: Callable[[], bytes], limit: int) -> bytes:
    """Read chunks until the end, or until just past `limit` bytes."""
    buffer = bytearray()
    while len(buffer) <= limit:
        chunk = read_chunk()
        if not chunk:
            break
        buffer += chunk
    # One byte over the limit is enough for Django to refuse the request.
    return bytes(buffer[: limit + 1])


def guard_body(app: WSGIApp, read_chunk: Callable[[], bytes] | None = None) -> WSGIApp:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH", "")
        if length and not (length.isascii() and length.isdigit()):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"invalid content-length"]
        chunked = environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
        if read_chunk is not None and chunked and not length:
            body = read_chunks(read_chunk, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["wsgi.input"] = io.BytesIO(body)
        return app(environ, start_response)

    return wrapped

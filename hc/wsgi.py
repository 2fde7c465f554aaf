"""WSGI entry point for uWSGI (`module = hc.wsgi:application`)."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.core.wsgi import get_wsgi_application

from hc.lib.request_body import guard_body

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hc.settings")

read_chunk: Callable[[], bytes] | None = None
try:
    import uwsgi  # type: ignore[import-untyped]  # only importable inside uWSGI
except ImportError:
    pass
else:
    read_chunk = uwsgi.chunked_read

application = guard_body(get_wsgi_application(), read_chunk)

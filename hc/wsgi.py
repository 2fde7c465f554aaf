"""WSGI entry point for uWSGI (`module = hc.wsgi:application`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from hc.lib.chunked import dechunk

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hc.settings")
application = get_wsgi_application()

try:
    import uwsgi  # type: ignore[import-not-found]  # only exists inside uWSGI
except ImportError:
    pass
else:
    application = dechunk(application, uwsgi.chunked_read)

"""Log in whoever an authenticating reverse proxy names (web spec §3.12).

Enabled by REMOTE_USER_HEADER, which names the request.META key carrying the
user's email address. The proxy must strip any copy of that header sent by
clients: the value is trusted as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)


class RemoteUserHeaderMiddleware:
    """Runs after AuthenticationMiddleware, on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self._sync_login(request)
        return self.get_response(request)

    def _sync_login(self, request: HttpRequest) -> None:
        header = settings.REMOTE_USER_HEADER
        assert header, "RemoteUserHeaderMiddleware needs REMOTE_USER_HEADER"
        email = request.META.get(header, "").strip().lower()
        if email and not _is_email(email):
            logger.warning("Ignoring %s: not an email address", header)
            email = ""

        user = request.user
        if user.is_authenticated:
            if email and user.email == email:
                return
            auth.logout(request)
        if not email:
            return
        # Second factors are the proxy's business: log in directly.
        found = auth.authenticate(request, remote_user_email=email)
        if found is not None:
            auth.login(request, found)


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return len(value) <= 254

"""Sudo mode: re-authentication before sensitive account changes (web spec §3.7).

A signed marker in the session keeps sudo mode on for 30 minutes. To get it,
the user types a 6-digit code emailed to them or, when this server cannot send
email, their password (a required deviation: upstream crashes there).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare

from hc.accounts.mail import send_templated
from hc.lib import emails, ratelimit

SUDO_SECONDS = 30 * 60
CODE_SECONDS = 15 * 60
_MARKER_KEY = "sudo"
_CODE_KEY = "sudo_code"
_SALT = "sudo"

View = Callable[..., HttpResponse]


def activate(request: HttpRequest) -> None:
    request.session[_MARKER_KEY] = signing.TimestampSigner(salt=_SALT).sign("active")
    request.session.pop(_CODE_KEY, None)


def is_active(request: HttpRequest) -> bool:
    marker = request.session.get(_MARKER_KEY)
    if not isinstance(marker, str):
        return False
    try:
        signing.TimestampSigner(salt=_SALT).unsign(marker, max_age=SUDO_SECONDS)
    except signing.BadSignature:
        return False
    return True


def _stored_code(request: HttpRequest) -> str | None:
    signed = request.session.get(_CODE_KEY)
    if not isinstance(signed, str):
        return None
    try:
        return signing.TimestampSigner(salt=_SALT + "-code").unsign(signed, max_age=CODE_SECONDS)
    except signing.BadSignature:
        return None


def _send_code(request: HttpRequest, user: User) -> None:
    code = f"{secrets.randbelow(1_000_000):06d}"
    request.session[_CODE_KEY] = signing.TimestampSigner(salt=_SALT + "-code").sign(code)
    send_templated(user.email, "sudo_code", f"Confirmation code: {code}", {"code": code})


def _ask(request: HttpRequest, user: User) -> HttpResponse:
    """Show or check the re-authentication form; None-free: always a response."""
    if emails.is_configured():
        error = False
        if request.method == "POST" and "sudo_code" in request.POST:
            expected = _stored_code(request)
            given = request.POST["sudo_code"].strip()
            if expected and constant_time_compare(given, expected):
                activate(request)
                return redirect(request.get_full_path())
            error = True
        if _stored_code(request) is None:
            try:
                _send_code(request, user)
            except emails.EmailError:
                return render(request, "accounts/sudo_unavailable.html", {"email_failed": True})
        return render(request, "accounts/sudo_code.html", {"error": error})

    if not user.has_usable_password():
        return render(request, "accounts/sudo_unavailable.html", {"email_failed": False})
    error = False
    if request.method == "POST" and "sudo_password" in request.POST:
        if user.check_password(request.POST["sudo_password"]):
            activate(request)
            return redirect(request.get_full_path())
        error = True
    return render(request, "accounts/sudo_password.html", {"error": error})


def require_sudo_mode(view: View) -> View:
    """Login required, then sudo mode; apply to the sensitive views only."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_active(request):
            return view(request, *args, **kwargs)
        user = request.user
        assert isinstance(user, User)
        if not ratelimit.authorize(f"sudo-{user.id}", 10, 24 * 3600):
            return render(request, "try_later.html")
        return _ask(request, user)

    return wrapped

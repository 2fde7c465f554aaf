"""What happens after a first factor succeeds (web spec §3.3.4 and §3.6.1).

Password, magic-link and change-email logins all end in `complete_first_factor`:
it either logs the user in and redirects, or parks them in a pending
two-factor record and sends them to the second step. The second-step views
read that record with `pending_user` and finish with `complete_second_factor`.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse

from hc.accounts.models import Credential, Profile, Project

PENDING_KEY = "2fa_user"
PENDING_MAX_AGE = 300
EMAIL_BACKEND = "hc.accounts.backends.EmailBackend"

# Route names a `next` parameter may point to after login.
NEXT_WHITELIST = frozenset(
    {
        "hc-checks",
        "hc-details",
        "hc-log",
        "hc-channels",
        "hc-add-slack",
        "hc-add-pushover",
        "hc-add-telegram",
        "hc-project-settings",
        "hc-uncloak",
    }
)


def safe_next(value: str | None) -> str | None:
    """`value` if it is a relative URL of a whitelisted page, else None."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or value.startswith("//"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return value if match.url_name in NEXT_WHITELIST else None


def redirect_after_login(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    target = safe_next(next_url)
    if target:
        return redirect(target)
    user = request.user
    owned = list(Project.objects.filter(owner_id=user.pk).values_list("code", flat=True)[:2])
    if len(owned) == 1:
        return redirect("hc-checks", owned[0])
    return redirect("hc-index")


def _has_totp(user: User) -> bool:
    return Profile.objects.filter(user=user).exclude(totp="").exists()


def has_second_factor(user: User) -> bool:
    return _has_totp(user) or Credential.objects.filter(user=user).exists()


def complete_first_factor(
    request: HttpRequest, user: User, next_url: str | None = None
) -> HttpResponse:
    """Log in, or start the second step when the user has 2FA configured."""
    if not has_second_factor(user):
        auth.login(request, user, backend=EMAIL_BACKEND)
        return redirect_after_login(request, next_url)

    request.session[PENDING_KEY] = [user.id, user.email, int(time.time())]
    target = safe_next(next_url)
    query = f"?next={target}" if target else ""
    uses_keys = Credential.objects.filter(user=user).exists()
    if uses_keys and settings.RP_ID:
        return redirect(reverse("hc-login-webauthn") + query)
    if _has_totp(user):
        return redirect(reverse("hc-login-totp") + query)
    # Keys registered, but WebAuthn was switched off since: never skip the
    # second factor, explain instead (web spec §3.6.1 deviation).
    request.session.pop(PENDING_KEY, None)
    return render(request, "accounts/second_factor_unavailable.html", status=403)


def pending_user(request: HttpRequest) -> User | HttpResponse:
    """The user waiting for a second factor, or the response to give instead."""
    if request.user.is_authenticated or PENDING_KEY not in request.session:
        return HttpResponseBadRequest()
    user_id, email, started = request.session[PENDING_KEY]
    if time.time() - started > PENDING_MAX_AGE:
        return redirect("hc-login")
    user = User.objects.filter(id=user_id, email=email).first()
    if user is None:
        return HttpResponseBadRequest()
    return user


def complete_second_factor(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    auth.login(request, user, backend=EMAIL_BACKEND)
    return redirect_after_login(request, request.GET.get("next"))

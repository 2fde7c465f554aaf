"""Second factors: the login steps, passkey login, and managing keys and the app.

Web spec §3.6; passkey login is our addition. Ceremony states and the
not-yet-confirmed TOTP secret live in the session until the browser answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hc.accounts import login_flow, totp, webauthn
from hc.accounts.forms_two_factor import AddWebAuthnForm, TotpCodeForm, WebAuthnResponseForm
from hc.accounts.services_two_factor import (
    do_add_credential,
    do_disable_totp,
    do_enable_totp,
    do_remove_credential,
)
from hc.accounts.sudo import require_sudo_mode
from hc.lib import ratelimit
from hc.lib.ip import client_ip

logger = logging.getLogger(__name__)

REGISTER_STATE = "webauthn_register_state"
LOGIN_STATE = "webauthn_login_state"
PASSKEY_STATE = "passkey_state"
TOTP_SETUP = "totp_setup_secret"

PASSKEY_ATTEMPTS_PER_HOUR = 20

View = Callable[..., HttpResponse]
get_or_post = require_http_methods(["GET", "POST"])


def webauthn_only(view: View) -> View:
    """404 while RP_ID is unset; checked before login and sudo mode so that a
    disabled feature never costs a sudo code."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not webauthn.enabled():
            raise Http404("Security keys are not enabled on this site.")
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _keys(user: User) -> list[bytes]:
    return [bytes(c.data) for c in user.credentials.order_by("id")]


def _next_query(request: HttpRequest) -> str:
    target = login_flow.safe_next(request.GET.get("next"))
    return "?" + urlencode({"next": target}) if target else ""


def _failed(request: HttpRequest, heading: str, message: str, retry_url: str) -> HttpResponse:
    ctx = {"heading": heading, "message": message, "retry_url": retry_url}
    return render(request, "accounts/webauthn_failed.html", ctx, status=400)


@get_or_post
@webauthn_only
def login_webauthn(request: HttpRequest) -> HttpResponse:
    pending = login_flow.pending_user(request)
    if isinstance(pending, HttpResponse):
        return pending
    keys = _keys(pending)
    if not keys:
        # The keys were removed since the first step (by an admin, say).
        if pending.profile.totp:
            return redirect(reverse("hc-login-totp") + _next_query(request))
        return HttpResponseBadRequest()

    if request.method == "POST":
        retry_url = request.get_full_path()
        form = WebAuthnResponseForm(request.POST)
        state = request.session.pop(LOGIN_STATE, None)
        if state is None or not form.is_valid():
            message = "The security key's answer was missing or malformed."
            return _failed(request, "Security Key Not Accepted", message, retry_url)
        try:
            webauthn.complete_authentication(state, keys, form.cleaned_data["response"])
        except webauthn.WebAuthnError as e:
            logger.warning("Security key login failed for user %s: %s", pending.id, e)
            message = "The security key's answer did not match any of your registered keys."
            return _failed(request, "Security Key Not Accepted", message, retry_url)
        return login_flow.complete_second_factor(request, pending)

    options, state = webauthn.begin_authentication(keys)
    request.session[LOGIN_STATE] = state
    totp_url = reverse("hc-login-totp") + _next_query(request) if pending.profile.totp else None
    ctx = {"options": options, "totp_url": totp_url}
    return render(request, "accounts/login_webauthn.html", ctx)


@get_or_post
def login_totp(request: HttpRequest) -> HttpResponse:
    pending = login_flow.pending_user(request)
    if isinstance(pending, HttpResponse):
        return pending
    secret = pending.profile.totp
    if not secret:
        return HttpResponseBadRequest()

    form = TotpCodeForm(secret=secret)
    if request.method == "POST":
        # Counted before the code is checked: guessing costs attempts too.
        if not totp.attempt_allowed(pending.id):
            return render(request, "try_later.html")
        form = TotpCodeForm(request.POST, secret=secret)
        if form.is_valid():
            if not totp.first_use(pending.id, form.cleaned_data["code"]):
                return render(request, "try_later.html")
            return login_flow.complete_second_factor(request, pending)
    return render(request, "accounts/login_totp.html", {"form": form})


@get_or_post
@never_cache
@webauthn_only
def login_passkey(request: HttpRequest) -> HttpResponse:
    """GET: options for the browser (JSON); POST: the signed answer."""
    if request.user.is_authenticated:
        return HttpResponseBadRequest()
    if request.method == "GET":
        options, state = webauthn.begin_passkey()
        request.session[PASSKEY_STATE] = state
        return JsonResponse(options)

    ip = client_ip(request.META) or "unknown"
    if not ratelimit.authorize(f"passkey-{ip}", PASSKEY_ATTEMPTS_PER_HOUR, 3600):
        return render(request, "try_later.html")
    retry_url = reverse("hc-login") + _next_query(request)
    heading = "Passkey Not Accepted"
    form = WebAuthnResponseForm(request.POST)
    state = request.session.pop(PASSKEY_STATE, None)
    if state is None or not form.is_valid():
        message = "The passkey's answer was missing or malformed. Please try again."
        return _failed(request, heading, message, retry_url)
    try:
        credential = webauthn.complete_passkey(state, form.cleaned_data["response"])
    except webauthn.UnknownCredential:
        message = (
            "This passkey is not registered on this site, or it was removed from its account. "
            "Please log in another way."
        )
        return _failed(request, heading, message, retry_url)
    except webauthn.WebAuthnError as e:
        logger.warning("Passkey login failed: %s", e)
        message = (
            "The passkey's signature could not be verified, or your device did not confirm "
            "it is you (PIN, fingerprint or face). Please try again."
        )
        return _failed(request, heading, message, retry_url)
    if not credential.user.is_active:
        message = "The account of this passkey is disabled."
        return _failed(request, heading, message, retry_url)
    # A passkey with user verification is something the user has and knows
    # (or is): it stands in for both factors.
    return login_flow.complete_second_factor(request, credential.user)


@get_or_post
@webauthn_only
@require_sudo_mode
def add_webauthn(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        retry_url = reverse("hc-add-webauthn")
        heading = "Security Key Not Added"
        form = AddWebAuthnForm(request.POST)
        state = request.session.pop(REGISTER_STATE, None)
        if state is None or not form.is_valid():
            logger.warning("Security key registration by user %s: bad form", user.id)
            errors = " ".join(
                f"{form[field].label}: {error}"
                for field, field_errors in form.errors.items()
                for error in field_errors
            )
            message = errors or "The registration expired. Please start again."
            return _failed(request, heading, message, retry_url)
        try:
            data = webauthn.complete_registration(state, form.cleaned_data["response"])
        except webauthn.WebAuthnError as e:
            logger.warning("Security key registration failed for user %s: %s", user.id, e)
            message = "The security key's answer could not be verified. Please try again."
            return _failed(request, heading, message, retry_url)
        credential = do_add_credential(user, form.cleaned_data["name"], data)
        messages.success(request, f"Added security key {credential.name}")
        return redirect("hc-profile")

    options, state = webauthn.begin_registration(user.email, _keys(user))
    request.session[REGISTER_STATE] = state
    return render(request, "accounts/add_webauthn.html", {"options": options})


@get_or_post
@webauthn_only
@require_sudo_mode
def remove_credential(request: HttpRequest, code: UUID) -> HttpResponse:
    user = _user(request)
    credential = user.credentials.filter(code=code).first()
    if credential is None:
        return HttpResponseBadRequest()
    if request.method == "POST":
        do_remove_credential(credential)
        messages.success(request, f"Removed security key {credential.name}")
        return redirect("hc-profile")

    is_last = not user.profile.totp and user.credentials.count() == 1
    ctx = {"credential": credential, "is_last": is_last}
    return render(request, "accounts/remove_credential.html", ctx)


@get_or_post
@require_sudo_mode
def add_totp(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = user.profile
    if profile.totp:
        return HttpResponseBadRequest()
    # One secret per setup attempt: reloading the page must not change the
    # QR code the user may have scanned already.
    secret = request.session.get(TOTP_SETUP)
    if not isinstance(secret, str) or not secret:
        secret = totp.new_secret()
        request.session[TOTP_SETUP] = secret

    form = TotpCodeForm(secret=secret)
    if request.method == "POST":
        form = TotpCodeForm(request.POST, secret=secret)
        if form.is_valid():
            do_enable_totp(profile, secret)
            request.session.pop(TOTP_SETUP, None)
            messages.success(request, "Set up the authenticator app")
            return redirect("hc-profile")

    uri = totp.provisioning_uri(secret, user.email)
    ctx = {"form": form, "secret": secret, "qr_data_uri": totp.qr_data_uri(uri)}
    return render(request, "accounts/add_totp.html", ctx)


@get_or_post
@require_sudo_mode
def remove_totp(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    profile = user.profile
    if not profile.totp:
        return HttpResponseBadRequest()
    if request.method == "POST":
        do_disable_totp(profile)
        messages.success(request, "Disabled the authenticator app")
        return redirect("hc-profile")

    # Keys count as a remaining factor only while WebAuthn is switched on.
    has_keys = webauthn.enabled() and user.credentials.exists()
    return render(request, "accounts/remove_totp.html", {"is_last": not has_keys})

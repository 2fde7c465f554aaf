"""The email integration's pages (integrations spec §3.1).

The add and edit forms are for project members with write access. The links
in emails (address verification, unsubscribing) work without logging in: the
link itself is the credential.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from hc.api.models import Channel, ChannelKind
from hc.integrations.email.actions import do_unsubscribe_email, do_verify_email
from hc.integrations.email.config import email_settings
from hc.integrations.email.forms import EmailForm
from hc.integrations.email.tokens import UNSUBSCRIBE_SALT, verify_token
from hc.integrations.form_views import FormPages

# A link opened sooner than this after the email was sent is probably a
# mail scanner's check, so the page waits for a human to press the button.
AUTO_SUBMIT_AFTER = 300


def _page(request: HttpRequest, name: str, status: int = 200, **context: Any) -> HttpResponse:
    context["site_name"] = settings.SITE_NAME
    return render(request, f"integrations/email/{name}.html", context, status=status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return _page(request, "bad_link", status=400)


def _email_channel(code: uuid.UUID) -> Channel | None:
    return Channel.objects.filter(code=code, kind=ChannelKind.EMAIL).first()


@require_safe
def verify(request: HttpRequest, code: uuid.UUID, token: str) -> HttpResponse:
    channel = _email_channel(code)
    if channel is None or not constant_time_compare(token, verify_token(channel)):
        return _bad_link(request)
    do_verify_email(channel)
    return _page(request, "verified", address=email_settings(channel.config).address)


def _unsign(signed: str) -> tuple[str, bool] | None:
    """The signed token and whether it is old enough to auto-submit; None if forged."""
    signer = TimestampSigner(salt=UNSUBSCRIBE_SALT)
    try:
        return signer.unsign(signed, max_age=AUTO_SUBMIT_AFTER), False
    except SignatureExpired:
        pass
    except BadSignature:
        return None
    try:
        return signer.unsign(signed), True
    except BadSignature:
        return None


@csrf_exempt  # RFC 8058 one-click unsubscribe POSTs come from mail clients.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, code: uuid.UUID, signed: str) -> HttpResponse:
    channel = _email_channel(code)
    if channel is None:
        return _bad_link(request)
    unsigned = _unsign(signed)
    if unsigned is None or not constant_time_compare(unsigned[0], verify_token(channel)):
        return _bad_link(request)
    old_enough = unsigned[1]
    address = email_settings(channel.config).address
    if request.method == "POST":
        do_unsubscribe_email(channel)
        return _page(request, "unsubscribed", address=address)
    return _page(request, "unsubscribe", address=address, autosubmit=old_enough)


# The add and edit forms ------------------------------------------------------------


def _say_verification_sent(request: HttpRequest, channel: Channel) -> None:
    if not channel.email_verified and settings.EMAIL_USE_VERIFICATION:
        address = email_settings(channel.config).address
        messages.info(
            request,
            f"We sent a verification link to {address}. Alerts go out to this address "
            "once someone follows that link.",
        )


PAGES = FormPages(
    kind=ChannelKind.EMAIL,
    template="integrations/email/form.html",
    form=EmailForm,
    filled=lambda channel: EmailForm.for_settings(email_settings(channel.config)),
    context=lambda: {"use_verification": settings.EMAIL_USE_VERIFICATION},
    after_save=_say_verification_sent,
)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_email(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return PAGES.add(request, code)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, channel: Channel) -> HttpResponse:
    return PAGES.edit(request, channel)

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
from django.contrib.auth.models import User
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from hc.accounts.access import get_project
from hc.accounts.models import Project
from hc.api.channel_bodies import ChannelInputError
from hc.api.models import Channel, ChannelKind
from hc.api.services.channel_edits import do_add_channel
from hc.api.services.channels import do_update_channel
from hc.integrations import registry
from hc.integrations.email.actions import do_unsubscribe_email, do_verify_email
from hc.integrations.email.config import email_settings
from hc.integrations.email.forms import EmailForm
from hc.integrations.email.tokens import UNSUBSCRIBE_SALT, verify_token

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


def _enabled() -> None:
    if not registry.get(ChannelKind.EMAIL).enabled():
        raise Http404


def _form_page(
    request: HttpRequest, project: Project, form: EmailForm, channel: Channel | None
) -> HttpResponse:
    ctx = {
        "project": project,
        "page": "channels",
        "heading": registry.get(ChannelKind.EMAIL).label,
        "form": form,
        "channel": channel,
        "use_verification": settings.EMAIL_USE_VERIFICATION,
    }
    status = 400 if form.is_bound else 200
    return render(request, "integrations/email/form.html", ctx, status=status)


def _save(request: HttpRequest, project: Project, channel: Channel | None) -> HttpResponse:
    """Save the POSTed form and go back to the list, or show it again with its errors."""
    form = EmailForm(request.POST)
    if not form.is_valid():
        return _form_page(request, project, form, channel)
    user = request.user
    assert isinstance(user, User)  # behind login_required
    try:
        fields = form.fields_to_save()
        if channel is None:
            saved: Channel | None = do_add_channel(
                project, ChannelKind.EMAIL, "", fields, actor_email=user.email
            )
        else:
            saved = do_update_channel(channel, None, fields, actor_email=user.email)
    except ChannelInputError as e:
        form.add_error(None, e.message)
        return _form_page(request, project, form, channel)
    if saved is None:
        raise Http404  # removed while the form was open
    if not saved.email_verified and settings.EMAIL_USE_VERIFICATION:
        address = email_settings(saved.config).address
        messages.info(
            request,
            f"We sent a verification link to {address}. Alerts go out to this address "
            "once someone follows that link.",
        )
    return redirect("hc-channels", project.code)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def add_email(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    project = get_project(request, code, rw=True).project
    _enabled()
    if request.method == "POST":
        return _save(request, project, None)
    return _form_page(request, project, EmailForm(), None)


@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, channel: Channel) -> HttpResponse:
    """The edit form; the dashboard's edit route checked the user's write access."""
    _enabled()
    if request.method == "POST":
        return _save(request, channel.project, channel)
    form = EmailForm.for_settings(email_settings(channel.config))
    return _form_page(request, channel.project, form, channel)
